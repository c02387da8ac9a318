/**
 * Prometheus HTTP API client (/api/v1/query, /query_range, /targets, /status/config): zod-parsed replies,
 * every failure an AppError UPSTREAM_ERROR "prometheus: ..." whose details say which kind of failure it was.
 */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { AppError, upstreamError } from '../../errors';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';

/** Sample values arrive as strings, including "NaN", "+Inf" and "-Inf". */
const SampleValueSchema = z
  .tuple([z.number(), z.string()])
  .transform(([t, v]) => [t, parseSampleValue(v)] as const);

const VectorSchema = z.object({
  resultType: z.literal('vector'),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: SampleValueSchema })),
});
const MatrixSchema = z.object({
  resultType: z.literal('matrix'),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(SampleValueSchema) })),
});
const ScalarSchema = z.object({ resultType: z.literal('scalar'), result: SampleValueSchema });
const StringSchema = z.object({ resultType: z.literal('string'), result: z.tuple([z.number(), z.string()]) });

export const QueryDataSchema = z.discriminatedUnion('resultType', [
  VectorSchema,
  MatrixSchema,
  ScalarSchema,
  StringSchema,
]);
export type QueryData = z.infer<typeof QueryDataSchema>;

const EnvelopeSchema = z.union([
  z.object({ status: z.literal('success'), data: z.unknown(), warnings: z.array(z.string()).optional() }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);

export const TargetSchema = z.object({
  /** Job name the target belongs to, e.g. "kubernetes-endpoints". */
  scrapePool: z.string(),
  /** e.g. "http://10.0.0.7:9965/metrics". */
  scrapeUrl: z.string(),
  labels: z.record(z.string(), z.string()),
  health: z.enum(['up', 'down', 'unknown']),
  lastError: z.string(),
  lastScrape: z.string(),
  /** Present since Prometheus 2.27, e.g. "10s". */
  scrapeInterval: z.string().optional(),
});
export type Target = z.infer<typeof TargetSchema>;

const TargetsDataSchema = z.object({ activeTargets: z.array(TargetSchema) });
const ConfigDataSchema = z.object({ yaml: z.string() });

const ScrapeYamlSchema = z.object({
  global: z.object({ scrape_interval: z.string().optional() }).loose().optional(),
  scrape_configs: z
    .array(z.object({ job_name: z.string(), scrape_interval: z.string().optional() }).loose())
    .nullable()
    .optional(),
});

/** Scrape intervals in seconds: the global default and each job's effective interval. */
export interface ScrapeIntervals {
  global: number;
  jobs: Record<string, number>;
}

/** How a call failed; carried in AppError.details.kind so callers can tell "down" from "bad query". */
export type PrometheusFailure = 'unreachable' | 'timeout' | 'http' | 'query' | 'invalid-reply';

export interface PrometheusClient {
  readonly baseUrl: string;
  /** Instant query; `time` in unix seconds (default: Prometheus' now). */
  query(promql: string, time?: number): Promise<QueryData>;
  /** Range query; times in unix seconds, `step` in seconds (fractions allowed). */
  queryRange(promql: string, start: number, end: number, step: number): Promise<QueryData>;
  /** Active scrape targets. */
  targets(): Promise<Target[]>;
  /** Scrape intervals from the loaded configuration. */
  scrapeInterval(): Promise<ScrapeIntervals>;
}

export interface PrometheusClientDeps {
  /** e.g. "http://prometheus.cilium-monitoring.svc:9090" (a path prefix is kept). */
  baseUrl: string;
  timeoutMs: number;
  metrics?: Metrics;
  log: Logger;
}

export function parseSampleValue(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};

/** Prometheus duration → seconds, e.g. "1m30s" → 90; null when not a duration. */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g))
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 0);
  return total;
}

/** The effective interval per job from a Prometheus config YAML; Prometheus' own default is 1m. */
export function scrapeIntervalsFromYaml(yamlText: string): ScrapeIntervals {
  const parsed = ScrapeYamlSchema.safeParse(parseYaml(yamlText) ?? {});
  if (!parsed.success) throw new Error('unexpected configuration shape');
  const global = parseDuration(parsed.data.global?.scrape_interval ?? '1m') ?? 60;
  const jobs: Record<string, number> = {};
  for (const job of parsed.data.scrape_configs ?? []) {
    jobs[job.job_name] = (job.scrape_interval ? parseDuration(job.scrape_interval) : null) ?? global;
  }
  return { global, jobs };
}

const fail = (kind: PrometheusFailure, message: string, extra: Record<string, unknown> = {}) =>
  upstreamError('prometheus', message, { kind, ...extra });

/** Short, single-line summary of an upstream body; never echoes more than a few hundred characters. */
const summarise = (text: string) => text.replace(/\s+/g, ' ').slice(0, 300);

export function createPrometheusClient(deps: PrometheusClientDeps): PrometheusClient {
  const base = deps.baseUrl.replace(/\/+$/, '');

  async function call(operation: string, path: string, params: Record<string, string>, post: boolean) {
    const started = performance.now();
    let outcome: 'ok' | 'error' = 'error';
    try {
      const qs = new URLSearchParams(params).toString();
      const url = post || qs === '' ? `${base}${path}` : `${base}${path}?${qs}`;
      let res: Response;
      try {
        res = await fetch(url, {
          method: post ? 'POST' : 'GET',
          headers: post ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
          body: post ? qs : undefined,
          signal: AbortSignal.timeout(deps.timeoutMs),
        });
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        if (err.name === 'TimeoutError' || err.name === 'AbortError')
          throw fail('timeout', `no reply from ${base} within ${deps.timeoutMs} ms`);
        throw fail(
          'unreachable',
          `cannot reach ${base}: ${err.cause?.code ?? err.cause?.message ?? err.message}`,
        );
      }
      const text = await res.text().catch(() => '');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw fail('http', `HTTP ${res.status} from ${path}: ${summarise(text)}`, { status: res.status });
      }
      const env = EnvelopeSchema.safeParse(json);
      if (!env.success)
        throw fail('invalid-reply', `unexpected reply from ${path} (HTTP ${res.status})`, {
          status: res.status,
        });
      if (env.data.status === 'error') {
        // 400/422 = the query itself is wrong; 503/504 = Prometheus is overloaded or timed out.
        const kind: PrometheusFailure = res.status === 400 || res.status === 422 ? 'query' : 'http';
        throw fail(kind, `${env.data.errorType ?? 'error'}: ${summarise(env.data.error ?? '')}`, {
          status: res.status,
        });
      }
      outcome = 'ok';
      return env.data.data;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      deps.metrics?.observeUpstream('prometheus', operation, outcome, seconds);
      if (outcome === 'error') deps.log.debug('prometheus call failed', { operation, path });
    }
  }

  function parseData<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
    const r = schema.safeParse(data);
    if (!r.success) throw fail('invalid-reply', `unexpected ${what} reply shape`);
    return r.data;
  }

  return {
    baseUrl: base,
    async query(promql, time) {
      const params: Record<string, string> = { query: promql };
      if (time !== undefined) params.time = String(time);
      return parseData(QueryDataSchema, await call('query', '/api/v1/query', params, true), 'query');
    },
    async queryRange(promql, start, end, step) {
      const params = { query: promql, start: String(start), end: String(end), step: String(step) };
      return parseData(
        QueryDataSchema,
        await call('query_range', '/api/v1/query_range', params, true),
        'query_range',
      );
    },
    async targets() {
      const data = await call('targets', '/api/v1/targets', { state: 'active' }, false);
      return parseData(TargetsDataSchema, data, 'targets').activeTargets;
    },
    async scrapeInterval() {
      const data = parseData(
        ConfigDataSchema,
        await call('config', '/api/v1/status/config', {}, false),
        'config',
      );
      try {
        return scrapeIntervalsFromYaml(data.yaml);
      } catch (e) {
        throw fail('invalid-reply', `cannot read the configuration: ${(e as Error).message}`);
      }
    },
  };
}

/** The failure kind of an error thrown by this client, or null for anything else. */
export function prometheusFailureOf(e: unknown): PrometheusFailure | null {
  if (!(e instanceof AppError) || e.code !== 'UPSTREAM_ERROR') return null;
  const kind = (e.details as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' ? (kind as PrometheusFailure) : null;
}

import { describe, expect, it } from 'vitest';
import type { HubbleMetricsConfig } from '../../clients/cluster/types';
import { isAppError, upstreamError } from '../../errors';
import { silentLogger } from '../../log';
import type { PrometheusClient, QueryData } from '../../clients/prometheus/client';
import { createSummaryService, reasonInWords } from './summary.service';

const SERIES = [
  'hubble_flows_processed_total',
  'hubble_drop_total',
  'hubble_dns_queries_total',
  'hubble_dns_responses_total',
  'hubble_tcp_flags_total',
  'hubble_http_requests_total',
  'hubble_http_request_duration_seconds_bucket',
];
const config: HubbleMetricsConfig = {
  enabled: true,
  list: ['flow', 'drop', 'dns', 'tcp', 'httpV2'],
  options: {},
  serverAddress: ':9965',
};

const vector = (rows: [Record<string, string>, number][]): QueryData => ({
  resultType: 'vector',
  result: rows.map(([metric, v]) => ({ metric, value: [1, v] as const })),
});

/** An in-process PrometheusClient: every series carries source_namespace; `fail` picks queries that error. */
function stubClient(fail: (promql: string) => boolean = () => false) {
  const queries: string[] = [];
  const client: PrometheusClient = {
    baseUrl: 'http://prom:9090',
    async query(promql) {
      queries.push(promql);
      if (fail(promql)) throw upstreamError('prometheus', 'execution: query timed out', { kind: 'http' });
      if (promql.startsWith('count by (__name__)')) {
        const carries = !promql.includes('!=""') || promql.includes('source_namespace!=""');
        return vector(carries ? SERIES.map((n) => [{ __name__: n }, 1]) : []);
      }
      if (promql.startsWith('sum by (verdict)'))
        return vector([
          [{ verdict: 'FORWARDED' }, 10],
          [{ verdict: 'DROPPED' }, 2],
        ]);
      return vector([[{}, 0.5]]);
    },
    async queryRange(promql, start, end, step) {
      queries.push(promql);
      if (fail(promql)) throw upstreamError('prometheus', 'execution: query timed out', { kind: 'http' });
      const values = Array.from(
        { length: Math.round((end - start) / step) + 1 },
        (_, i) => [start + i * step, 1] as const,
      );
      return { resultType: 'matrix', result: [{ metric: {}, values }] };
    },
    async targets() {
      return [];
    },
    async scrapeInterval() {
      return { global: 10, jobs: {} };
    },
  };
  return { client, queries };
}

describe('createSummaryService', () => {
  it('empties only the card whose query failed and says so', async () => {
    const { client } = stubClient((q) => q.startsWith('histogram_quantile'));
    const svc = createSummaryService({
      getPrometheusUrl: () => 'http://prom:9090',
      getHubbleMetrics: () => config,
      log: silentLogger,
      createClient: () => client,
    });
    const s = await svc.summary({ namespace: 'shop', window: '5m', locale: 'en' });
    const values = Object.fromEntries(s.cards.map((c) => [c.id, c.value]));
    expect(values).toMatchObject({ flows: 12, dropRatio: 0.5, tcpResets: 0.5, httpP95: null });
    expect(s.cards.find((c) => c.id === 'httpP95')?.series).toEqual([]);
    expect(s.diagnoses.map((d) => d.code)).toEqual(['QUERY_FAILED']);
    expect(s.diagnoses[0]?.message).toContain('httpP95');
  });

  it('filters every Hubble query on the team namespace and samples ~30 sparkline points', async () => {
    const { client, queries } = stubClient();
    const svc = createSummaryService({
      getPrometheusUrl: () => 'http://prom:9090',
      getHubbleMetrics: () => config,
      log: silentLogger,
      createClient: () => client,
    });
    const s = await svc.summary({ namespace: 'shop', window: '5m', locale: 'en' });
    const cardQueries = queries.filter(
      (q) => !q.startsWith('count by') && !q.includes('hubble_lost_events_total'),
    );
    expect(cardQueries.length).toBeGreaterThan(10);
    for (const q of cardQueries) expect(q).toContain('source_namespace="shop"');
    expect(s.cards.find((c) => c.id === 'flows')?.series).toHaveLength(31);
  });

  it('reuses a reply for a few seconds per namespace and window, then asks again', async () => {
    const { client, queries } = stubClient();
    let now = 1_700_000_000_000;
    const svc = createSummaryService({
      getPrometheusUrl: () => 'http://prom:9090',
      getHubbleMetrics: () => config,
      log: silentLogger,
      createClient: () => client,
      now: () => now,
      cacheTtlMs: 5000,
    });
    const req = { namespace: 'shop', window: '5m', locale: 'en' } as const;
    const [a, b] = await Promise.all([svc.summary(req), svc.summary(req)]);
    expect(b).toBe(a);
    const asked = queries.length;
    now += 4000;
    expect(await svc.summary(req)).toBe(a);
    expect(queries.length).toBe(asked);
    await svc.summary({ ...req, namespace: 'other' });
    expect(queries.length).toBe(2 * asked);
    now += 2000;
    const c = await svc.summary(req);
    expect(c).not.toBe(a);
    expect(c.generatedAt).toBe(new Date(now).toISOString());
  });

  it('shares a failing computation between concurrent asks but does not keep it', async () => {
    const { client } = stubClient();
    let broken = true;
    let reads = 0;
    const svc = createSummaryService({
      getPrometheusUrl: () => 'http://prom:9090',
      getHubbleMetrics: () => {
        reads++;
        if (broken) throw new Error('cluster view not synced');
        return config;
      },
      log: silentLogger,
      createClient: () => client,
    });
    const req = { namespace: 'shop', window: '5m', locale: 'en' } as const;
    const failures = await Promise.allSettled([svc.summary(req), svc.summary(req)]);
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(reads).toBe(1);
    broken = false;
    expect((await svc.summary(req)).namespace).toBe('shop');
    expect(reads).toBe(2);
  });

  it('rejects a malformed window as INVALID_INPUT', async () => {
    const svc = createSummaryService({
      getPrometheusUrl: () => null,
      getHubbleMetrics: () => config,
      log: silentLogger,
    });
    const err = await svc
      .summary({ namespace: 'shop', window: '5 minutes', locale: 'en' })
      .catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('INVALID_INPUT');
  });

  it('reports Prometheus unreachable when the first query fails, without querying cards', async () => {
    const { client, queries } = stubClient(() => true);
    const svc = createSummaryService({
      getPrometheusUrl: () => 'http://prom:9090',
      getHubbleMetrics: () => config,
      log: silentLogger,
      createClient: () => client,
    });
    const s = await svc.summary({ namespace: 'shop', window: '5m', locale: 'zh-CN' });
    expect(s.prometheus.reachable).toBe(false);
    expect(s.diagnoses.map((d) => d.code)).toEqual(['PROMETHEUS_UNREACHABLE']);
    expect(s.diagnoses[0]?.message).toContain('无响应');
    expect(queries.every((q) => q.startsWith('count by'))).toBe(true);
  });

  it('names Prometheus and the upstream error only for an enterprise admin; a team reads the same in words', async () => {
    const unreachable: PrometheusClient = {
      ...stubClient().client,
      query: () =>
        Promise.reject(
          upstreamError('prometheus', 'cannot reach http://prom.monitoring.svc:9090: ECONNREFUSED', {
            kind: 'unreachable',
          }),
        ),
    };
    const svc = createSummaryService({
      getPrometheusUrl: () => 'http://prom.monitoring.svc:9090',
      getHubbleMetrics: () => config,
      log: silentLogger,
      createClient: () => unreachable,
    });
    const req = { namespace: 'shop', window: '5m', locale: 'en' } as const;
    const team = await svc.summary(req);
    expect(team.prometheus).toEqual({ url: null, found: true, reachable: false });
    expect(team.diagnoses[0]?.message).toBe('Prometheus did not answer (cannot connect (ECONNREFUSED)).');
    expect(JSON.stringify(team)).not.toContain('prom.monitoring.svc');
    const admin = await svc.summary({ ...req, revealAddresses: true });
    expect(admin.prometheus).toEqual({
      url: 'http://prom.monitoring.svc:9090',
      found: true,
      reachable: false,
    });
    expect(admin.diagnoses[0]?.message).toContain('http://prom.monitoring.svc:9090');
  });

  it.each([
    [{ kind: 'timeout' }, 'no reply in time'],
    [{ kind: 'http', status: 503 }, 'HTTP 503'],
    [{ kind: 'query', status: 422 }, 'query refused'],
    [{ kind: 'invalid-reply' }, 'unexpected reply'],
  ])('a failure %j reads %j for a team', (details, words) => {
    expect(reasonInWords(upstreamError('prometheus', 'from http://10.0.0.9:9090 …', details))).toBe(words);
  });

  it.each([['25h'], ['1441m'], ['9999h']])('refuses a %s window (more than 24h)', async (window) => {
    const svc = createSummaryService({
      getPrometheusUrl: () => null,
      getHubbleMetrics: () => config,
      log: silentLogger,
    });
    const err = await svc.summary({ namespace: 'shop', window, locale: 'en' }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('INVALID_INPUT');
  });
});

/**
 * The team health summary against a real Prometheus (/usr/bin/prometheus, 1s scrapes) scraping loopback
 * exporters that speak the Hubble metrics exposition format with known, linear rates.
 */
import { Hono } from 'hono';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubbleMetricsConfig } from '../../server/clients/cluster/types';
import { isAppError, toErrorBody } from '../../server/errors';
import type { AppEnv, RequestCtx } from '../../server/http/env';
import { silentLogger } from '../../server/log';
import { SummarySchema, type Summary } from '../../contract/insights';
import { createSummaryRoutes } from '../../server/features/insights/summary.routes';
import { createSummaryService } from '../../server/features/insights/summary.service';
import { createPrometheusClient } from '../../server/clients/prometheus/client';
import {
  LOST_EVENTS_RATE,
  SHOP_PROFILE,
  expectedFigures,
  otherProfile,
  startHubbleExporter,
  type HubbleExporter,
} from '../fakes/hubble-exporter';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus';

const METRICS = ['dns', 'drop', 'tcp', 'flow', 'httpV2'];
const CONTEXT = 'labelsContext=source_namespace,destination_namespace';
/** Rate window for figures: 4 scrapes at 1s (the minimum without SCRAPE_TOO_SLOW), covered by the data we wait for. */
const WINDOW = '4s';

const hubbleConfig = (port: number, withContext: boolean): HubbleMetricsConfig => ({
  enabled: true,
  list: METRICS,
  options: withContext ? Object.fromEntries(METRICS.map((m) => [m, CONTEXT])) : {},
  serverAddress: `:${port}`,
});

/** |actual − expected| within 5% (and a small absolute slack for values near 0). */
const near = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? NaN) - expected)).toBeLessThanOrEqual(Math.max(0.05 * expected, 0.005));
};
const card = (s: Summary, id: string) => {
  const c = s.cards.find((x) => x.id === id);
  if (!c) throw new Error(`card ${id} missing`);
  return c;
};
const codes = (s: Summary) => s.diagnoses.map((d) => d.code);

let withContext: HubbleExporter;
let withoutContext: HubbleExporter;
let agentOnly: HubbleExporter;
let promCtx: RunningPrometheus;
let promNoCtx: RunningPrometheus;
let promAgentOnly: RunningPrometheus;

beforeAll(async () => {
  [withContext, withoutContext, agentOnly] = await Promise.all([
    startHubbleExporter({ namespaces: ['shop', 'other'], contextLabels: true, metrics: METRICS }),
    startHubbleExporter({ namespaces: ['shop', 'other'], contextLabels: false, metrics: METRICS }),
    startHubbleExporter({ namespaces: ['shop'], contextLabels: false, metrics: [] }),
  ]);
  // Prometheus applies new targets on a 5s tick, then WINDOW (4s) of 1s scrapes plus one of data.
  [promCtx, promNoCtx, promAgentOnly] = await Promise.all([
    startPrometheus({ targets: [withContext.target], scrapeInterval: '1s', waitForScrapes: 5 }),
    startPrometheus({ targets: [withoutContext.target], scrapeInterval: '1s', waitForScrapes: 5 }),
    startPrometheus({ targets: [agentOnly.target], scrapeInterval: '1s', jobName: 'cilium-agent' }),
  ]);
}, 45_000);

afterAll(async () => {
  await Promise.all([promCtx?.stop(), promNoCtx?.stop(), promAgentOnly?.stop()]);
  await Promise.all([withContext?.close(), withoutContext?.close(), agentOnly?.close()]);
  // The fakes answered only /metrics.
  expect([...(withContext?.errors ?? []), ...(withoutContext?.errors ?? [])]).toEqual([]);
});

const service = (url: string | null, config: HubbleMetricsConfig) =>
  createSummaryService({
    getPrometheusUrl: () => url,
    getHubbleMetrics: () => config,
    getCiliumVersion: () => '1.17.5',
    log: silentLogger,
    cacheTtlMs: 0,
  });

describe('summary with namespace context labels', () => {
  it('gives team "shop" its own figures, counting flows inside the namespace once', async () => {
    const s = SummarySchema.parse(
      await service(promCtx.url, hubbleConfig(withContext.port, true)).summary({
        namespace: 'shop',
        window: WINDOW,
        locale: 'en',
      }),
    );
    const want = expectedFigures(SHOP_PROFILE);
    expect(s.scope).toBe('namespace');
    // a team member is not told where Prometheus is
    expect(s.prometheus).toEqual({ url: null, found: true, reachable: true });
    // 6/s inside shop + 4/s egress + 2/s dropped = 12 (18 if the intra-namespace flows were counted twice).
    near(card(s, 'flows').value, want.flows);
    near(card(s, 'flows').breakdown.find((b) => b.label === 'FORWARDED')?.value, want.forwarded);
    near(card(s, 'flows').breakdown.find((b) => b.label === 'DROPPED')?.value, want.dropped);
    near(card(s, 'dropRatio').value, want.dropRatio);
    expect(s.topDropReasons.map((r) => r.reason)).toEqual(['POLICY_DENIED', 'STALE_OR_UNROUTABLE_IP']);
    near(s.topDropReasons[0]?.rate, 1.5);
    near(card(s, 'dnsErrorRatio').value, want.dnsErrorRatio);
    near(card(s, 'dnsMissing').value, want.dnsMissing);
    near(card(s, 'tcpResets').value, want.tcpResets);
    near(card(s, 'http5xxRatio').value, want.http5xxRatio);
    // histogram_quantile: rank 3.8 of 4 req/s falls in (0.1, 0.25] holding 0.4/s → 0.1 + 0.15 × 0.5.
    near(card(s, 'httpP95').value, 0.175);
    near(card(s, 'lostEvents').value, LOST_EVENTS_RATE);
    expect(card(s, 'flows').series.length).toBeGreaterThanOrEqual(20);
    expect(s.cards.every((c) => c.available)).toBe(true);
    expect(codes(s)).toEqual([]);
  });

  it('gives team "other" only its traffic', async () => {
    const s = await service(promCtx.url, hubbleConfig(withContext.port, true)).summary({
      namespace: 'other',
      window: WINDOW,
      locale: 'en',
    });
    const want = expectedFigures(otherProfile(1));
    near(card(s, 'flows').value, want.flows);
    near(card(s, 'dropRatio').value, want.dropRatio);
    expect(s.topDropReasons.map((r) => r.reason)).toEqual(['CT_MAP_INSERTION_FAILED']);
    near(card(s, 'dnsErrorRatio').value, 0);
    near(card(s, 'http5xxRatio').value, 0);
  });

  it('shows zeros, not the cluster, for a namespace without traffic', async () => {
    const s = await service(promCtx.url, hubbleConfig(withContext.port, true)).summary({
      namespace: 'quiet',
      window: WINDOW,
      locale: 'en',
    });
    expect(s.scope).toBe('namespace');
    expect(card(s, 'flows').value).toBe(0);
    expect(card(s, 'dropRatio').value).toBeNull();
    expect(s.topDropReasons).toEqual([]);
  });

  it('warns when the window is shorter than 4 scrape intervals', async () => {
    const s = await service(promCtx.url, hubbleConfig(withContext.port, true)).summary({
      namespace: 'shop',
      window: '2s',
      locale: 'zh-CN',
    });
    const d = s.diagnoses.find((x) => x.code === 'SCRAPE_TOO_SLOW');
    expect(d?.message).toContain('1 秒');
    expect(d?.message).toContain('cilium/cilium#16148');
  });
});

describe('summary without context labels', () => {
  it('falls back to the cluster, says so, and gives the helm fix', async () => {
    const s = await service(promNoCtx.url, hubbleConfig(withoutContext.port, false)).summary({
      namespace: 'shop',
      window: WINDOW,
      locale: 'en',
    });
    const cluster = { flows: 12 + 31, dropped: 3 };
    expect(s.scope).toBe('cluster');
    near(card(s, 'flows').value, cluster.flows);
    near(card(s, 'dropRatio').value, cluster.dropped / cluster.flows);
    expect(s.topDropReasons.map((r) => r.reason)).toEqual([
      'POLICY_DENIED',
      'CT_MAP_INSERTION_FAILED',
      'STALE_OR_UNROUTABLE_IP',
    ]);
    const d = s.diagnoses.find((x) => x.code === 'NO_CONTEXT_LABELS');
    expect(d?.severity).toBe('warning');
    const upgrade = d?.fix.find((c) => c.startsWith('helm upgrade'));
    expect(upgrade).toContain('flow:labelsContext=source_namespace\\,destination_namespace');
    // Pinned to the installed chart (never an accidental Cilium upgrade), then the agents restart.
    expect(upgrade).toMatch(
      /^helm upgrade cilium cilium\/cilium --version 1\.17\.5 --namespace kube-system --reuse-values/,
    );
    expect(d?.fix).toContain('kubectl -n kube-system rollout restart daemonset/cilium');
  });
});

describe('summary when Hubble is not scraped or Prometheus is missing', () => {
  it('reports NOT_SCRAPED when Prometheus holds no hubble_ series and has no target on 9965', async () => {
    const config = { ...hubbleConfig(9965, true), serverAddress: ':9965' };
    const s = await service(promAgentOnly.url, config).summary({
      namespace: 'shop',
      window: WINDOW,
      locale: 'en',
    });
    expect(s.prometheus.reachable).toBe(true);
    const d = s.diagnoses.find((x) => x.code === 'NOT_SCRAPED');
    expect(d?.message).toContain('no scrape target on port 9965');
    expect(d?.fix.join('\n')).toContain('prometheus.io/scrape=true');
    expect(s.cards.map((c) => c.value)).toEqual(s.cards.map(() => null));
  });

  it('reports HUBBLE_METRICS_DISABLED when cilium-config has no hubble-metrics', async () => {
    const config: HubbleMetricsConfig = { enabled: false, list: [], options: {}, serverAddress: null };
    const s = await service(promAgentOnly.url, config).summary({
      namespace: 'shop',
      window: WINDOW,
      locale: 'en',
    });
    expect(codes(s)).toEqual(['HUBBLE_METRICS_DISABLED']);
    expect(s.cards.every((c) => !c.available)).toBe(true);
  });

  it('answers 200 with reachable:false when Prometheus is down', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const app = appFor(service(down, hubbleConfig(9965, true)));
    const res = await app.request('/api/v1/insights/summary?team=shop-team&region=r1&window=5m');
    expect(res.status).toBe(200);
    const s = SummarySchema.parse(await res.json());
    expect(s.prometheus).toEqual({ url: null, found: true, reachable: false });
    expect(codes(s)).toEqual(['PROMETHEUS_UNREACHABLE']);
    // what is wrong, in words, without the address
    expect(s.diagnoses[0]?.message).toBe('Prometheus did not answer (cannot connect (ECONNREFUSED)).');
    expect(JSON.stringify(s)).not.toContain(down);

    const admin = appFor(service(down, hubbleConfig(9965, true)), { admin: true });
    const a = SummarySchema.parse(
      await (await admin.request('/api/v1/insights/summary?team=shop-team&region=r1&window=5m')).json(),
    );
    expect(a.prometheus).toEqual({ url: down, found: true, reachable: false });
    expect(a.diagnoses[0]?.message).toContain(down);
  });

  it('explains how to point at a Prometheus when none is found', async () => {
    const s = await service(null, hubbleConfig(9965, true)).summary({
      namespace: 'shop',
      window: '5m',
      locale: 'en',
    });
    expect(codes(s)).toEqual(['PROMETHEUS_NOT_FOUND']);
    expect(s.diagnoses[0]?.fix.join('\n')).toContain('PROMETHEUS_URL=');
    expect(s.diagnoses[0]?.fix.join('\n')).toContain('monitoring-example.yaml');
  });
});

describe('GET /api/v1/insights/summary', () => {
  it('uses the team namespace from the context, never from the query', async () => {
    const app = appFor(service(promCtx.url, hubbleConfig(withContext.port, true)));
    const res = await app.request(
      '/api/v1/insights/summary?team=shop-team&region=r1&window=1m&namespace=other',
    );
    expect(res.status).toBe(200);
    const s = SummarySchema.parse(await res.json());
    expect(s.namespace).toBe('shop');
    expect(s.window).toBe('1m');
    expect(s.scope).toBe('namespace');
  });

  it.each([['5s'], ['0m'], ['25h'], ['1441m'], ['999h']])(
    'rejects window=%s (outside 1m…24h) with 400 INVALID_INPUT, asking Prometheus nothing',
    async (window) => {
      let asked = 0;
      const app = appFor(
        createSummaryService({
          getPrometheusUrl: () => promCtx.url,
          getHubbleMetrics: () => hubbleConfig(withContext.port, true),
          log: silentLogger,
          createClient: (url) => {
            asked++;
            return createPrometheusClient({ baseUrl: url, timeoutMs: 3000, log: silentLogger });
          },
        }),
      );
      const res = await app.request(`/api/v1/insights/summary?team=shop-team&region=r1&window=${window}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
      expect(asked).toBe(0);
    },
  );

  it('accepts the longest window, 24h', async () => {
    const app = appFor(service(promCtx.url, hubbleConfig(withContext.port, true)));
    const res = await app.request('/api/v1/insights/summary?team=shop-team&region=r1&window=24h');
    expect(res.status).toBe(200);
    expect(SummarySchema.parse(await res.json()).window).toBe('24h');
  });
});

describe('Prometheus client against the real server', () => {
  const client = () => createPrometheusClient({ baseUrl: promCtx.url, timeoutMs: 3000, log: silentLogger });

  it('parses vector, scalar and matrix replies', async () => {
    const v = await client().query('sum(rate(hubble_drop_total[4s]))');
    expect(v.resultType).toBe('vector');
    const sc = await client().query('scalar(vector(2))');
    expect(sc).toMatchObject({ resultType: 'scalar', result: [expect.any(Number), 2] });
    const now = Date.now() / 1000;
    const m = await client().queryRange('up', now - 5, now, 1);
    expect(m.resultType).toBe('matrix');
    if (m.resultType === 'matrix') expect(m.result[0]?.values.length).toBeGreaterThanOrEqual(4);
  });

  it('turns a bad query into UPSTREAM_ERROR "prometheus: ..."', async () => {
    const err = await client()
      .query('sum(')
      .catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('UPSTREAM_ERROR');
    expect(isAppError(err) && err.message).toMatch(/^prometheus: bad_data/);
    expect(isAppError(err) && err.details).toMatchObject({ kind: 'query', status: 400 });
  });

  it('lists targets and reads scrape intervals from the configuration', async () => {
    const targets = await client().targets();
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ scrapePool: 'hubble-metrics', health: 'up' });
    expect(targets[0]?.scrapeUrl).toBe(withContext.url);
    expect(await client().scrapeInterval()).toEqual({ global: 1, jobs: { 'hubble-metrics': 1 } });
  });
});

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The app as mounted in production: auth middleware (here: a fixed ctx) → routes; errors → one body. */
function appFor(summary: ReturnType<typeof createSummaryService>, opts: { admin?: boolean } = {}) {
  const ctx: RequestCtx = {
    jwt: 'not-a-jwt',
    team: 'shop-team',
    region: 'r1',
    namespace: 'shop',
    user: {
      userId: 1,
      userName: 'dev',
      enterpriseId: 'e1',
      isEnterpriseAdmin: opts.admin ?? false,
      teams: [],
    },
    locale: 'en',
  };
  const app = new Hono<AppEnv>();
  app.use('/api/v1/*', async (c, next) => {
    c.set('ctx', ctx);
    await next();
  });
  app.route('/api/v1/insights', createSummaryRoutes({ summary }));
  app.onError((e, c) => {
    if (isAppError(e)) return c.json(toErrorBody(e), e.status as 400);
    throw e;
  });
  return app;
}

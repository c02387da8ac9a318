/**
 * The plugin's /api/v1 over real HTTP: the whole backend (server/wiring.ts) against the fake Kubernetes API and
 * the fake console. Each endpoint, its error codes, auth and membership, and the console calls it causes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, StatusSchema, ToolSchema } from '../../contract';
import { fixtures } from '../fixtures/cluster';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { createBackend } from '../../server/wiring';
import { loadConfig } from '../../server/config';
import { silentLogger } from '../../server/log';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

const mutations = () => s.console.calls.filter((c) => c.method !== 'GET' && !c.path.includes('/plugins/'));

/** An enterprise admin: under the default TOOL_MANAGERS the one who may register and open the tools. */
const ADMIN = 'root';

async function call(method: string, url: string, body?: unknown, headers = s.headers(ADMIN)) {
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

describe('health, readiness, metrics, bundle', () => {
  it('answers /healthz and /readyz once synced and the console is reachable', async () => {
    expect((await call('GET', `${s.url}/healthz`)).status).toBe(200);
    const ready = await call('GET', `${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ clusterSynced: true, consoleReachable: true });
  });

  it('serves Prometheus text with request counts by route and status', async () => {
    await call('GET', s.api('status'));
    const m = await call('GET', `${s.url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toContain('text/plain');
    expect(m.text).toMatch(
      /cilium_observability_http_requests_total\{method="GET",route="\/api\/v1\/status",status="200"\} \d+/,
    );
    expect(m.text).toMatch(/cilium_observability_upstream_calls_total\{[^}]*upstream="console"/);
    expect(m.text).toMatch(/cilium_observability_cluster_view_stale 0/);
  });

  it('serves the panel bundle as application/javascript (or 503 naming the build step)', async () => {
    const r = await call('GET', `${s.url}/static/main.js`);
    if (r.status === 200) {
      expect(r.headers.get('content-type')).toContain('application/javascript');
      expect(r.text).toMatch(/^define\(/);
    } else {
      expect(r.status).toBe(503);
      expect(r.text).toContain('npm run build:web');
    }
  });
});

describe('GET /api/v1/status', () => {
  it('reports the simulated Cilium 1.17 cluster, all three tools in order, and validates against the contract', async () => {
    const r = await call('GET', s.api('status'));
    expect(r.status).toBe(200);
    const status = StatusSchema.parse(r.json);
    expect(status.cluster.cilium).toMatchObject({
      state: 'ready',
      namespace: 'kube-system',
      version: '1.17.5',
    });
    expect(status.cluster.hubble.state).toBe('ready');
    expect(status.cluster.monitoring).toMatchObject({ state: 'ready', namespace: 'cilium-monitoring' });
    expect(status.tools.map((t) => t.id)).toEqual(['hubble-ui', 'grafana', 'prometheus']);
    const ui = status.tools[0]!;
    expect(ui.service).toEqual({ namespace: 'kube-system', name: 'hubble-ui', port: 80 });
    expect(ui.risks.map((x) => x.code)).toEqual(['NO_AUTH']);
    expect(status.tools[1]!.risks.map((x) => x.code)).toContain('ANONYMOUS_ADMIN');
  });

  it('localises hints and risk messages by Accept-Language', async () => {
    const zh = (await call('GET', s.api('status'), undefined, { ...s.headers(), 'Accept-Language': 'zh-CN' }))
      .json as {
      tools: { risks: { message: string }[] }[];
    };
    const en = (
      await call('GET', s.api('status'), undefined, { ...s.headers(), 'Accept-Language': 'en-US,en;q=0.9' })
    ).json as { tools: { risks: { message: string }[] }[] };
    expect(zh.tools[0]!.risks[0]!.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(en.tools[0]!.risks[0]!.message).not.toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('auth and membership', () => {
  it.each([
    ['no credentials', {}],
    ['a forged JWT', { Authorization: 'GRJWT eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJl' }],
    ['garbage', { Authorization: 'GRJWT not-a-jwt' }],
    ['a Bearer token', { Authorization: 'Bearer abc.def.ghi' }],
  ])('answers 401 UNAUTHENTICATED for %s', async (_name, headers) => {
    const r = await call('GET', s.api('status'), undefined, headers as Record<string, string>);
    expect(r.status).toBe(401);
    expect(ErrorBodySchema.parse(r.json).error.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 for an expired JWT and mutates nothing', async () => {
    const before = mutations().length;
    const expired = s.console.mintToken('alice', { expiresInSeconds: -60 });
    const r = await call(
      'POST',
      s.api('tools/hubble-ui/registration'),
      {},
      { Authorization: `GRJWT ${expired}`, 'Content-Type': 'application/json' },
    );
    expect(r.status).toBe(401);
    expect(mutations().length).toBe(before);
  });

  it('accepts the JWT from X-Original-Authorization (console proxy ≥ 6.9.4) and from the token cookie', async () => {
    const t = s.token();
    expect(
      (
        await call('GET', s.api('status'), undefined, {
          'X-Original-Authorization': `GRJWT ${t}`,
          Authorization: '',
        })
      ).status,
    ).toBe(200);
    expect((await call('GET', s.api('status'), undefined, { Cookie: `token=${t}` })).status).toBe(200);
  });

  it('answers 403 FORBIDDEN for a team the user does not belong to, and mutates nothing', async () => {
    const before = mutations().length;
    const r = await call('POST', s.api('tools/hubble-ui/registration', 'other-team'), {});
    expect(r.status).toBe(403);
    expect(ErrorBodySchema.parse(r.json).error.code).toBe('FORBIDDEN');
    const bob = await call('GET', s.api('status', 'dev-team'), undefined, s.headers('bob'));
    expect(bob.status).toBe(403);
    expect(mutations().length).toBe(before);
  });

  it("lists the caller's teams and regions for the Platform view", async () => {
    const r = await call('GET', `${s.url}/api/v1/teams`);
    expect(r.status).toBe(200);
    // holdsTools: what each team holds in the region this backend serves (nothing registered yet)
    expect(r.json).toEqual({
      teams: [
        {
          name: 'dev-team',
          alias: '开发团队',
          namespace: 'dev-team',
          regions: [{ name: 'rainbond', alias: expect.any(String) }],
          holdsTools: [],
        },
        {
          name: 'shop',
          alias: '商城',
          namespace: 'shop',
          regions: [{ name: 'rainbond', alias: expect.any(String) }],
          holdsTools: [],
        },
      ],
      region: 'rainbond',
      toolsTeam: null,
    });
  });
});

describe('register → open access → close → remove (hubble-ui)', () => {
  it('walks the whole lifecycle with the contract codes at each step', async () => {
    // Opening before registering is refused.
    let r = await call('PUT', s.api('tools/hubble-ui/access'), {
      external: true,
      acknowledgedRisks: ['NO_AUTH'],
    });
    expect(r.status).toBe(409);
    expect(ErrorBodySchema.parse(r.json).error.code).toBe('NOT_REGISTERED');

    r = await call('POST', s.api('tools/hubble-ui/registration'), {});
    expect(r.status).toBe(200);
    const registered = ToolSchema.parse(r.json);
    expect(registered.registration).toMatchObject({
      componentAlias: expect.any(String),
      componentStatus: 'running',
    });
    expect(registered.registration!.endpoints.total).toBeGreaterThan(0);
    expect(registered.access).toEqual({ external: false, mode: null, urls: [] });

    // Registering again changes nothing in the console.
    const before = mutations().length;
    r = await call('POST', s.api('tools/hubble-ui/registration'), {});
    expect(r.status).toBe(200);
    expect(mutations().length).toBe(before);

    // Opening without acknowledging NO_AUTH is refused and names the risk.
    r = await call('PUT', s.api('tools/hubble-ui/access'), { external: true, mode: 'open' });
    expect(r.status).toBe(409);
    const err = ErrorBodySchema.parse(r.json).error;
    expect(err.code).toBe('RISKS_NOT_ACKNOWLEDGED');
    expect(err.details).toEqual({ missing: ['NO_AUTH'] });
    expect(mutations().length).toBe(before);

    r = await call('PUT', s.api('tools/hubble-ui/access'), {
      external: true,
      mode: 'open',
      acknowledgedRisks: ['NO_AUTH'],
    });
    expect(r.status).toBe(200);
    const open = ToolSchema.parse(r.json);
    expect(open.access.external).toBe(true);
    expect(open.access.mode).toBe('open');
    expect(open.access.urls[0]).toMatch(/^http:\/\/.+apps\.example\.test$/);
    // Deep links use the gateway URL, on the team's namespace, in the v0.13 scheme.
    expect(
      open.links.some((l) => l.url.startsWith(open.access.urls[0]!) && l.url.includes('namespace=dev-team')),
    ).toBe(true);

    const status = StatusSchema.parse((await call('GET', s.api('status'))).json);
    expect(status.tools[0]!.access.external).toBe(true);

    r = await call('PUT', s.api('tools/hubble-ui/access'), { external: false });
    expect(r.status).toBe(200);
    expect(ToolSchema.parse(r.json).access).toEqual({ external: false, mode: null, urls: [] });

    r = await call('DELETE', s.api('tools/hubble-ui/registration'));
    expect(r.status).toBe(200);
    expect(ToolSchema.parse(r.json).registration).toBeNull();
    r = await call('DELETE', s.api('tools/hubble-ui/registration'));
    expect(r.status).toBe(200);
  });

  it('GET /tools/{id} reports one tool; unknown ids are 404 UNKNOWN_TOOL', async () => {
    const r = await call('GET', s.api('tools/grafana'));
    expect(ToolSchema.parse(r.json).id).toBe('grafana');
    const u = await call('GET', s.api('tools/kibana'));
    expect(u.status).toBe(404);
    expect(ErrorBodySchema.parse(u.json).error.code).toBe('UNKNOWN_TOOL');
  });
});

describe('app name', () => {
  it.each([
    ['a/b', 'only letters'],
    ['<script>alert(1)</script>', 'only letters'],
    ['Net Obs', 'only letters'],
    ['x'.repeat(129), 'at most 128'],
  ])(
    'refuses %j with 400 INVALID_INPUT naming the rule, calling no console mutation',
    async (appName, rule) => {
      const before = s.console.calls.length;
      const r = await call('POST', s.api('tools/grafana/registration'), { appName });
      expect(r.status).toBe(400);
      const body = ErrorBodySchema.parse(r.json);
      expect(body.error.code).toBe('INVALID_INPUT');
      expect(JSON.stringify(body.error.details)).toContain(rule);
      expect(s.console.calls.slice(before).filter((c) => c.method !== 'GET')).toEqual([]);
    },
  );

  it('accepts the console\'s characters: letters, digits, Chinese, "_", "." and "-"', async () => {
    const r = await call('POST', s.api('tools/grafana/registration', 'shop'), { appName: '网络_观测.v1-a' });
    expect(r.status).toBe(200);
    expect((r.json as { registration: { appName: string } }).registration.appName).toBe('网络_观测.v1-a');
    expect((await call('DELETE', s.api('tools/grafana/registration', 'shop'))).status).toBe(200);
  });
});

describe('concurrency and restarts over HTTP', () => {
  it('10 concurrent registrations of one tool make exactly one component', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', s.api('tools/prometheus/registration', 'shop'), {})),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const comps = s.console
      .state()
      .components.filter((c) => c.team === 'shop' && c.k8sComponentName === 'prometheus');
    expect(comps).toHaveLength(1);
    expect(comps[0]!.ports.map((p) => p.port)).toEqual([9090]);
    expect(s.console.state().apps.filter((a) => a.team === 'shop')).toHaveLength(1);
  });

  it('a backend killed mid-registration leaves a state the next process completes', async () => {
    // The port step times out, as if the process died right there; a fresh backend on the same console retries.
    s.console.failNext({ method: 'POST', pathPattern: /\/apps\/[^/]+\/ports$/, status: 'timeout', times: 1 });
    const first = await call('POST', s.api('tools/grafana/registration', 'shop'), {});
    expect(first.status).toBe(502);
    const half = s.console
      .state()
      .components.find((c) => c.team === 'shop' && c.k8sComponentName === 'grafana');
    expect(half?.ports ?? []).toEqual([]);

    const fresh = createBackend({
      config: loadConfig({ RAINBOND_CONSOLE_URL: s.console.url, CONSOLE_TIMEOUT_MS: '2000' }),
      log: silentLogger,
      kubeConfig: s.kube.kubeConfig(),
    });
    await fresh.start();
    try {
      const res = await fresh.app.request(s.api('tools/grafana/registration', 'shop').replace(s.url, ''), {
        method: 'POST',
        headers: s.headers(ADMIN),
        body: '{}',
      });
      expect(res.status).toBe(200);
      const tool = ToolSchema.parse(await res.json());
      expect(tool.registration?.componentStatus).toBe('running');
    } finally {
      await fresh.close();
    }
    const comps = s.console
      .state()
      .components.filter((c) => c.team === 'shop' && c.k8sComponentName === 'grafana');
    expect(comps).toHaveLength(1);
    expect(comps[0]!.ports).toEqual([expect.objectContaining({ port: 3000, inner: true })]);
  });
});

describe('a cluster without the monitoring stack', () => {
  let bare: Stack;
  beforeAll(async () => {
    bare = await startStack({ objects: fixtures.ciliumNamespaced() });
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('answers 409 TOOL_NOT_FOUND when registering a tool whose Service is absent, and shows hints', async () => {
    const r = await fetch(bare.api('tools/grafana/registration'), {
      method: 'POST',
      headers: bare.headers(ADMIN),
      body: '{}',
    });
    expect(r.status).toBe(409);
    expect(ErrorBodySchema.parse(await r.json()).error.code).toBe('TOOL_NOT_FOUND');
    const status = StatusSchema.parse(
      await (await fetch(bare.api('status'), { headers: bare.headers() })).json(),
    );
    expect(status.cluster.cilium.namespace).toBe('cilium');
    expect(status.cluster.monitoring.state).toBe('missing');
    expect(status.hints.map((h) => h.code)).toContain('MONITORING_MISSING');
    expect(bare.console.calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });
});

describe('bad input never yields a 5xx and changes nothing', () => {
  const big = 'x'.repeat(2 * 1024 * 1024);
  const paths = [
    'tools/hubble-ui/registration',
    'tools/hubble-ui/access',
    'tools/../../etc/passwd',
    'tools/%2e%2e%2fconsole',
    'tools/hubble-ui%00',
    'tools/' + 'a'.repeat(300),
    'status',
  ];
  const queries = [
    '',
    '?team=',
    '?team=dev-team',
    '?region=rainbond',
    '?team=dev-team&region=',
    '?team=../x&region=rainbond',
    '?team=dev-team&region=rainbond&team=shop',
    '?team=%00&region=rainbond',
    '?team=' + 'a'.repeat(500) + '&region=rainbond',
    '?team=dev team&region=rainbond',
  ];
  const bodies: (string | undefined)[] = [
    '{',
    'null',
    '[]',
    '"x"',
    '{"external":"yes"}',
    '{"external":true,"acknowledgedRisks":"NO_AUTH"}',
    '{"external":true,"acknowledgedRisks":["EVERYTHING"]}',
    '{"appName":123}',
    '{"appName":""}',
    '{"unknown":1}',
    big,
    `{"appName":"${big}"}`,
  ];
  const cases: [string, string, string | undefined][] = [];
  for (const p of paths) for (const q of queries) cases.push(['GET', p + q, undefined]);
  for (const m of ['POST', 'PUT']) {
    for (const b of bodies) {
      cases.push([m, 'tools/hubble-ui/registration?team=dev-team&region=rainbond', b]);
      cases.push([m, 'tools/hubble-ui/access?team=dev-team&region=rainbond', b]);
      cases.push([m, 'tools/nope/access?team=dev-team&region=rainbond', b]);
    }
  }
  for (const m of ['PATCH', 'DELETE', 'POST'])
    for (const q of queries) cases.push([m, 'status' + q, undefined]);
  for (const q of queries) cases.push(['PUT', 'tools/grafana/access' + q, '{"external":true}']);
  const ctx = 'team=dev-team&region=rainbond';
  for (const q of [
    'limit=0',
    'limit=1001',
    'limit=-5',
    'limit=abc',
    'verdict=ALLOWED',
    'verdict=dropped',
    'protocol=quic',
    'follow=maybe',
    'limit=10&limit=20',
    'namespace=kube-system&verdict=BOGUS',
  ]) {
    cases.push(['GET', `insights/flows?${ctx}&${q}`, undefined]);
  }
  for (const q of [
    'window=5',
    'window=0m',
    'window=5d',
    'window=-1m',
    'window=9999h',
    'window=5m&window=1h',
  ]) {
    cases.push(['GET', `insights/summary?${ctx}&${q}`, undefined]);
  }
  for (const q of queries) cases.push(['GET', 'insights/relay' + q, undefined]);

  it(`answers ${cases.length} malformed requests with a 4xx error body and stays healthy`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const before = mutations().length;
    for (const [method, path, body] of cases) {
      const r = await fetch(`${s.url}/api/v1/${path}`, { method, headers: s.headers(ADMIN), body });
      const text = await r.text();
      expect(
        r.status,
        `${method} ${path.slice(0, 80)} → ${r.status} ${text.slice(0, 120)}`,
      ).toBeGreaterThanOrEqual(400);
      expect(r.status, `${method} ${path.slice(0, 80)}`).toBeLessThan(500);
      expect(() => ErrorBodySchema.parse(JSON.parse(text))).not.toThrow();
    }
    expect(mutations().length).toBe(before);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect((await fetch(s.api('status'), { headers: s.headers() })).status).toBe(200);
  });
});

describe('the API server going away', () => {
  it('keeps answering /status from the last view, marked stale, and recovers by itself', async () => {
    const badAnswers: string[] = [];
    /** /status, polled until its cluster view reports `stale` (true while the API server is away). */
    const statusWhen = (stale: boolean) =>
      eventually(
        async () => {
          const r = await call('GET', s.api('status'));
          const st = StatusSchema.safeParse(r.json);
          if (r.status !== 200 || !st.success) badAnswers.push(`${r.status} ${r.text.slice(0, 120)}`);
          expect(st.data?.cluster.view, 'cluster.view of /status').toMatchObject({ stale });
          return st.data!;
        },
        { what: `/status with a ${stale ? 'stale' : 'fresh'} view`, timeoutMs: 15_000, intervalMs: 100 },
      );
    s.kube.setDown(true);
    try {
      const stale = await statusWhen(true);
      expect(stale.cluster.cilium).toMatchObject({ state: 'ready', version: '1.17.5' });
      expect(stale.cluster.view?.lastSyncAt).toEqual(expect.any(String));
      expect((await call('GET', `${s.url}/metrics`)).text).toMatch(
        /cilium_observability_cluster_view_stale 1/,
      );
    } finally {
      s.kube.setDown(false);
    }
    const fresh = await statusWhen(false);
    expect(fresh.cluster.cilium.state).toBe('ready');
    // It kept answering throughout: every poll, during the outage and after, was a 200 with a status body.
    expect(badAnswers).toEqual([]);
  });
});

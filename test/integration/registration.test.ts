/** Registration service over real HTTP against the loopback fake console. */
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleClient } from '../../server/clients/rainbond/console-client';
import { createRegistrationService } from '../../server/features/tools/registration.service';
import { silentLogger } from '../../server/log';
import type { ToolTarget } from '../../server/clients/cluster/types';
import type { ConsoleCtx } from '../../server/clients/rainbond/types';
import type { RegistrationService } from '../../server/features/tools/types';
import type { ToolId } from '../../contract';
import { startFakeConsole, type FakeConsole, type FakeConsoleOptions } from '../fakes/console';

const SERVICES: Record<ToolId, { namespace: string; name: string; port: number }> = {
  'hubble-ui': { namespace: 'kube-system', name: 'hubble-ui', port: 80 },
  grafana: { namespace: 'cilium-monitoring', name: 'grafana', port: 3000 },
  prometheus: { namespace: 'cilium-monitoring', name: 'prometheus', port: 9090 },
};
const target = (id: ToolId): ToolTarget => ({
  id,
  state: 'ready',
  service: SERVICES[id],
  workload: { ready: 1, desired: 1 },
  version: null,
  risks: [],
});

let fake: FakeConsole | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(opts: FakeConsoleOptions = {}, timeoutMs = 2000) {
  fake = await startFakeConsole(opts);
  const f = fake;
  const newService = (): RegistrationService =>
    createRegistrationService({
      console: createConsoleClient({ baseUrl: f.url, timeoutMs, log: silentLogger }),
      log: silentLogger,
    });
  const ctx: ConsoleCtx = { jwt: f.mintToken('admin'), team: 'dev', region: 'rainbond' };
  return { fake: f, svc: newService(), newService, ctx };
}

const OPEN = { external: true, mode: 'open' } as const;
const CLOSE = { external: false, mode: 'open' } as const;
const NO_SELF = () => null;
const mutations = (f: FakeConsole) => f.calls.filter((c) => c.method !== 'GET');
const seq = (f: FakeConsole) =>
  f.calls.map((c) => `${c.method} ${c.path.replace(/gr[0-9a-f]{6}/, '{alias}')}`);

function expectOneHealthyRegistration(f: FakeConsole, tools: ToolId[] = ['hubble-ui']) {
  const s = f.state();
  expect(s.apps).toHaveLength(1);
  expect(s.apps[0]).toMatchObject({ name: 'Cilium-Observability', k8sApp: 'cilium-observability' });
  expect(s.components.map((c) => c.k8sComponentName).sort()).toEqual([...tools].sort());
  for (const c of s.components) {
    expect(c).toMatchObject({ createStatus: 'complete', started: true });
    expect(c.ports).toEqual([
      expect.objectContaining({
        port: SERVICES[c.k8sComponentName as ToolId].port,
        protocol: 'http',
        inner: true,
      }),
    ]);
  }
  expect(f.unknownRequests).toEqual([]);
}

describe('register', () => {
  it('makes the documented console calls, in order, with the exact bodies', async () => {
    const { fake, svc, ctx } = await setup();
    const state = await svc.register(ctx, target('hubble-ui'), {});
    const alias = fake.state().components[0]?.alias ?? '';
    expect(seq(fake)).toEqual([
      'GET /console/teams/dev/groups',
      'POST /console/teams/dev/groups',
      // read back: a racing replica's duplicate app would show here
      'GET /console/teams/dev/groups',
      'GET /console/teams/dev/service/group',
      'POST /console/teams/dev/apps/third_party',
      // read back: a racing replica's duplicate component would show here
      'GET /console/teams/dev/service/group',
      'POST /console/teams/dev/apps/{alias}/build',
      'GET /console/teams/dev/apps/{alias}/ports',
      'POST /console/teams/dev/apps/{alias}/ports',
      'GET /console/teams/dev/apps/{alias}/status',
      'POST /console/teams/dev/apps/{alias}/start',
      'GET /console/teams/dev/apps/{alias}/status',
      'GET /console/teams/dev/apps/{alias}/third_party/pods',
    ]);
    expect(fake.calls.every((c) => c.query.region_name === 'rainbond')).toBe(true);
    expect(fake.calls[3]?.query).toMatchObject({ group_id: '1', page_size: '-1' });
    expect(mutations(fake).map((c) => c.body)).toEqual([
      { app_name: 'Cilium-Observability', k8s_app: 'cilium-observability', note: '' },
      {
        group_id: 1,
        service_cname: 'Hubble UI',
        k8s_component_name: 'hubble-ui',
        endpoints_type: 'kubernetes',
        serviceName: 'hubble-ui',
        namespace: 'kube-system',
      },
      { is_deploy: false },
      {
        port: 80,
        protocol: 'http',
        port_alias: 'HUBBLE_UI80',
        is_inner_service: true,
        is_outer_service: false,
      },
      {},
    ]);
    expect(state).toEqual({
      registration: {
        appId: 1,
        appName: 'Cilium-Observability',
        componentAlias: alias,
        componentStatus: 'running',
        endpoints: { healthy: 1, total: 1 },
      },
      access: { external: false, mode: null, urls: [] },
    });
    expectOneHealthyRegistration(fake);
  });

  it('changes nothing when registering twice', async () => {
    const { fake, svc, ctx } = await setup();
    const first = await svc.register(ctx, target('hubble-ui'), {});
    const before = mutations(fake).length;
    const second = await svc.register(ctx, target('hubble-ui'), {});
    expect(mutations(fake)).toHaveLength(before);
    expect(second).toEqual(first);
  });

  it('creates one component for 10 concurrent registrations', async () => {
    const { fake, svc, ctx } = await setup();
    const all = await Promise.all(
      Array.from({ length: 10 }, () => svc.register(ctx, target('hubble-ui'), {})),
    );
    expect(new Set(all.map((s) => s.registration?.componentAlias)).size).toBe(1);
    expectOneHealthyRegistration(fake);
    expect(mutations(fake).filter((c) => c.path.endsWith('/third_party'))).toHaveLength(1);
  });

  it('registers three tools in parallel in one app', async () => {
    const { fake, svc, ctx } = await setup();
    await Promise.all(
      (['hubble-ui', 'grafana', 'prometheus'] as const).map((t) => svc.register(ctx, target(t), {})),
    );
    expectOneHealthyRegistration(fake, ['hubble-ui', 'grafana', 'prometheus']);
    expect(mutations(fake).filter((c) => c.path === '/console/teams/dev/groups')).toHaveLength(1);
  });

  it('reports endpoint health and a closed component when the Service has no ready endpoint', async () => {
    const { fake, svc, ctx } = await setup({
      endpointsFor: () => [
        { ip: '10.0.0.1', port: 8081, ready: false },
        { ip: '10.0.0.2', port: 8081, ready: false },
      ],
    });
    const s = await svc.register(ctx, target('hubble-ui'), {});
    expect(s.registration).toMatchObject({
      componentStatus: 'abnormal',
      endpoints: { healthy: 0, total: 2 },
    });
    expect(fake.state().components[0]?.kubernetes).toEqual({
      serviceName: 'hubble-ui',
      namespace: 'kube-system',
    });
  });

  it('refuses a tool whose Service is missing with TOOL_NOT_FOUND, calling nothing', async () => {
    const { fake, svc, ctx } = await setup();
    await expect(svc.register(ctx, { ...target('grafana'), service: null }, {})).rejects.toMatchObject({
      code: 'TOOL_NOT_FOUND',
    });
    expect(fake.calls).toEqual([]);
  });

  it('uses a custom app name and finds the app again', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), { appName: 'Net-Obs' });
    await svc.register(ctx, target('grafana'), { appName: 'Net-Obs' });
    expect(fake.state().apps.map((a) => a.name)).toEqual(['Net-Obs']);
    expect(fake.state().components).toHaveLength(2);
  });

  it('finds an app created under another name by its k8s_app after a restart', async () => {
    const { fake, svc, newService, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), { appName: 'Renamed' });
    const restarted = newService();
    await restarted.register(ctx, target('grafana'), {});
    expect(fake.state().apps).toHaveLength(1);
    expect(fake.state().components).toHaveLength(2);
  });
});

const STEPS: [string, string, RegExp][] = [
  ['list apps', 'GET', /\/groups$/],
  ['create app', 'POST', /\/groups$/],
  ['list components', 'GET', /\/service\/group$/],
  ['create component', 'POST', /\/third_party$/],
  ['build', 'POST', /\/build$/],
  ['list ports', 'GET', /\/ports$/],
  ['add port', 'POST', /\/ports$/],
  ['status', 'GET', /\/status$/],
  ['start', 'POST', /\/start$/],
  ['endpoints', 'GET', /\/third_party\/pods$/],
];

describe('register after a failure', () => {
  it.each(STEPS)('converges after a console 500 at "%s" and a retry', async (_name, method, pathPattern) => {
    const { fake, svc, ctx } = await setup();
    fake.failNext({ method, pathPattern, status: 500 });
    await expect(svc.register(ctx, target('hubble-ui'), {})).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    });
    const s = await svc.register(ctx, target('hubble-ui'), {});
    expect(s.registration?.componentStatus).toBe('running');
    expectOneHealthyRegistration(fake);
  });

  it.each(STEPS)('converges after a timeout at "%s" and a retry', async (_name, method, pathPattern) => {
    const { fake, svc, ctx } = await setup({}, 250);
    fake.failNext({ method, pathPattern, status: 'timeout' });
    await expect(svc.register(ctx, target('hubble-ui'), {})).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      reason: 'timeout',
    });
    await svc.register(ctx, target('hubble-ui'), {});
    expectOneHealthyRegistration(fake);
  });

  it.each(STEPS.slice(3))(
    'a restarted process converges after failing at "%s"',
    async (_n, method, pathPattern) => {
      const { fake, svc, newService, ctx } = await setup();
      fake.failNext({ method, pathPattern, status: 502 });
      await expect(svc.register(ctx, target('hubble-ui'), {})).rejects.toThrow();
      const s = await newService().register(ctx, target('hubble-ui'), {});
      expect(s.registration?.endpoints).toEqual({ healthy: 1, total: 1 });
      expectOneHealthyRegistration(fake);
    },
  );

  it('opens the inner port of a port that exists closed', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), {});
    const alias = fake.state().components[0]?.alias ?? '';
    const res = await fetch(`${fake.url}/console/teams/dev/apps/${alias}/ports/80?region_name=rainbond`, {
      method: 'PUT',
      headers: { Authorization: `GRJWT ${ctx.jwt}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'close_inner' }),
    });
    expect(res.status).toBe(200);
    fake.calls.length = 0;
    await svc.register(ctx, target('hubble-ui'), {});
    expect(mutations(fake).map((c) => c.body)).toEqual([{ action: 'open_inner' }]);
    expect(fake.state().components[0]?.ports[0]?.inner).toBe(true);
  });
});

describe('setAccess', () => {
  it('answers NOT_REGISTERED without a component', async () => {
    const { svc, ctx } = await setup();
    await expect(svc.setAccess(ctx, 'grafana', OPEN, NO_SELF)).rejects.toMatchObject({
      code: 'NOT_REGISTERED',
      status: 409,
    });
  });

  it('opens and closes access idempotently and reads back the gateway URL', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), {});
    const alias = fake.state().components[0]?.alias ?? '';
    const url = `http://${alias}-80-dev.apps.example.test`;

    const opened = await svc.setAccess(ctx, 'hubble-ui', OPEN, NO_SELF);
    expect(opened.access).toEqual({ external: true, mode: 'open', urls: [url] });
    expect(opened.registration?.componentAlias).toBe(alias);
    let n = mutations(fake).length;
    expect((await svc.setAccess(ctx, 'hubble-ui', OPEN, NO_SELF)).access).toEqual({
      external: true,
      mode: 'open',
      urls: [url],
    });
    expect(mutations(fake)).toHaveLength(n);

    const closed = await svc.setAccess(ctx, 'hubble-ui', CLOSE, NO_SELF);
    expect(closed.access).toEqual({ external: false, mode: null, urls: [] });
    expect(mutations(fake).at(-1)?.body).toEqual({ action: 'close_outer' });
    n = mutations(fake).length;
    await svc.setAccess(ctx, 'hubble-ui', CLOSE, NO_SELF);
    expect(mutations(fake)).toHaveLength(n);
    expect((await svc.read(ctx, 'hubble-ui')).access.external).toBe(false);
  });
});

describe('access modes: open (the tool’s own port) and protected (a gateway entry to the plugin’s Service)', () => {
  const SELF = { namespace: 'rbd-plugins', name: 'cilium-observability', port: 8081 };
  const self = () => SELF;
  const byName = (f: FakeConsole, k8sName: string) =>
    f.state().components.find((c) => c.k8sComponentName === k8sName);
  /** "close_outer hubble-ui" / "open_outer hubble-ui-gateway", in the order the console got them. */
  const portActions = (f: FakeConsole) => {
    const names = new Map(f.state().components.map((c) => [c.alias, c.k8sComponentName]));
    return f.calls
      .filter((c) => c.method === 'PUT' && /\/ports\/\d+$/.test(c.path))
      .map((c) => `${(c.body as { action: string }).action} ${names.get(c.path.split('/')[5] ?? '') ?? '?'}`);
  };

  it('protected: a third-party component of the plugin Service, its port outer, the tool’s own port closed', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), {});
    const t = await svc.setAccess(ctx, 'hubble-ui', { external: true, mode: 'protected' }, self);
    const entry = byName(fake, 'hubble-ui-gateway');
    expect(entry).toMatchObject({
      cname: 'Hubble UI (protected)',
      createStatus: 'complete',
      started: true,
      kubernetes: { serviceName: 'cilium-observability', namespace: 'rbd-plugins' },
    });
    expect(entry?.ports).toEqual([expect.objectContaining({ port: 8081, inner: true, outer: true })]);
    expect(byName(fake, 'hubble-ui')?.ports[0]?.outer).toBe(false);
    expect(t.access).toEqual({
      external: true,
      mode: 'protected',
      urls: [`http://${entry?.alias}-8081-dev.apps.example.test`],
    });
    // the registration shown is still the tool's own component
    expect(t.registration?.componentAlias).toBe(byName(fake, 'hubble-ui')?.alias);
    expect((await svc.read(ctx, 'hubble-ui')).access.mode).toBe('protected');
    // idempotent: a second call changes nothing
    const n = mutations(fake).length;
    await svc.setAccess(ctx, 'hubble-ui', { external: true, mode: 'protected' }, self);
    expect(mutations(fake)).toHaveLength(n);
  });

  it('switching closes the open entry before opening the other, in both directions', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('prometheus'), {});
    await svc.setAccess(ctx, 'prometheus', OPEN, self);
    fake.calls.length = 0;
    await svc.setAccess(ctx, 'prometheus', { external: true, mode: 'protected' }, self);
    expect(portActions(fake)).toEqual(['close_outer prometheus', 'open_outer prometheus-gateway']);
    fake.calls.length = 0;
    const open = await svc.setAccess(ctx, 'prometheus', OPEN, self);
    expect(portActions(fake)).toEqual(['close_outer prometheus-gateway', 'open_outer prometheus']);
    expect(open.access.mode).toBe('open');
    fake.calls.length = 0;
    const closed = await svc.setAccess(ctx, 'prometheus', CLOSE, self);
    expect(portActions(fake)).toEqual(['close_outer prometheus']);
    expect(closed.access).toEqual({ external: false, mode: null, urls: [] });
  });

  it('a failed open after the close leaves the tool closed, and a retry converges', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), {});
    await svc.setAccess(ctx, 'hubble-ui', OPEN, self);
    fake.failNext({ method: 'POST', pathPattern: '/apps/third_party', status: 500 });
    await expect(
      svc.setAccess(ctx, 'hubble-ui', { external: true, mode: 'protected' }, self),
    ).rejects.toMatchObject({
      status: 502,
    });
    expect(fake.state().components.every((c) => c.ports.every((p) => !p.outer))).toBe(true);
    const t = await svc.setAccess(ctx, 'hubble-ui', { external: true, mode: 'protected' }, self);
    expect(t.access.mode).toBe('protected');
    expect(fake.state().components.filter((c) => c.ports.some((p) => p.outer))).toHaveLength(1);
  });

  it('both entries open (a change racing on another replica) reads as open, and the next change leaves one', async () => {
    const { fake, svc, newService, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), {});
    await svc.setAccess(ctx, 'hubble-ui', { external: true, mode: 'protected' }, self);
    // another replica opened the tool's own port without closing the entry
    const other = newService();
    const alias = byName(fake, 'hubble-ui')?.alias ?? '';
    await createConsoleClient({ baseUrl: fake.url, timeoutMs: 2000, log: silentLogger }).changePort(
      ctx,
      alias,
      80,
      'open_outer',
    );
    const seen = await other.read(ctx, 'hubble-ui');
    expect(seen.access.mode).toBe('open');
    expect(seen.access.urls).toHaveLength(2);
    // a protected change closes the direct port: the protected entry wins
    const t = await svc.setAccess(ctx, 'hubble-ui', { external: true, mode: 'protected' }, self);
    expect(t.access.mode).toBe('protected');
    expect(byName(fake, 'hubble-ui')?.ports[0]?.outer).toBe(false);
  });

  it('protected without a known plugin Service is 503 UNAVAILABLE, after the tool was closed', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('grafana'), {});
    await svc.setAccess(ctx, 'grafana', OPEN, self);
    await expect(
      svc.setAccess(ctx, 'grafana', { external: true, mode: 'protected' }, NO_SELF),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      details: { reason: 'SELF_SERVICE_UNKNOWN' },
    });
    expect(byName(fake, 'grafana')?.ports[0]?.outer).toBe(false);
    expect(byName(fake, 'grafana-gateway')).toBeUndefined();
  });

  it('unregister removes the gateway entry too, closing it first', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), {});
    await svc.setAccess(ctx, 'hubble-ui', { external: true, mode: 'protected' }, self);
    fake.calls.length = 0;
    expect(await svc.unregister(ctx, 'hubble-ui')).toEqual({
      registration: null,
      access: { external: false, mode: null, urls: [] },
    });
    const order = seq(fake).filter((c) => !c.startsWith('GET'));
    expect(order[0]).toMatch(/^PUT .*\/ports\/8081$/);
    expect(order.filter((c) => c.endsWith('/delete'))).toHaveLength(2);
    expect(fake.state()).toEqual({ apps: [], components: [] });
  });
});

describe('unregister', () => {
  it('closes access, deletes the component, and deletes the app only once it is empty', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('hubble-ui'), {});
    await svc.register(ctx, target('grafana'), {});
    await svc.setAccess(ctx, 'hubble-ui', OPEN, NO_SELF);
    fake.calls.length = 0;

    expect(await svc.unregister(ctx, 'hubble-ui')).toEqual({
      registration: null,
      access: { external: false, mode: null, urls: [] },
    });
    expect(mutations(fake).map((c) => [c.method, c.body])).toEqual([
      ['PUT', { action: 'close_outer' }],
      ['DELETE', { is_force: true }],
    ]);
    expect(fake.state().apps).toHaveLength(1);
    expect(fake.state().components.map((c) => c.k8sComponentName)).toEqual(['grafana']);

    await svc.unregister(ctx, 'grafana');
    expect(fake.state()).toEqual({ apps: [], components: [] });
    expect(mutations(fake).at(-1)).toMatchObject({ method: 'DELETE', path: '/console/teams/dev/groups/1' });

    const n = mutations(fake).length;
    expect((await svc.unregister(ctx, 'grafana')).registration).toBeNull();
    expect(mutations(fake)).toHaveLength(n);
    expect(fake.unknownRequests).toEqual([]);
  });

  it('can register again after unregistering', async () => {
    const { fake, svc, ctx } = await setup();
    await svc.register(ctx, target('prometheus'), {});
    await svc.unregister(ctx, 'prometheus');
    await svc.register(ctx, target('prometheus'), {});
    expectOneHealthyRegistration(fake, ['prometheus']);
  });
});

describe('readAll', () => {
  it('reports every tool, registered or not, and caches until a mutation', async () => {
    const { fake, svc, ctx } = await setup();
    expect(await svc.readAll(ctx)).toEqual({
      'hubble-ui': { registration: null, access: { external: false, mode: null, urls: [] } },
      grafana: { registration: null, access: { external: false, mode: null, urls: [] } },
      prometheus: { registration: null, access: { external: false, mode: null, urls: [] } },
    });
    await svc.register(ctx, target('grafana'), {});
    const n = fake.calls.length;
    const all = await svc.readAll(ctx);
    expect(all.grafana.registration).toMatchObject({ appId: 1, componentStatus: 'running' });
    expect(all['hubble-ui'].registration).toBeNull();
    const cost = fake.calls.length - n;
    // groups + service/group + ports + pods (status comes with the component list, k8s name is cached)
    expect(cost).toBe(4);
    await svc.readAll(ctx);
    expect(fake.calls.length - n).toBe(cost);
    await svc.setAccess(ctx, 'grafana', OPEN, NO_SELF);
    expect((await svc.readAll(ctx)).grafana.access.external).toBe(true);
  });
});

describe('auth and permissions', () => {
  it('maps a team the user is not in (403/10402) to FORBIDDEN', async () => {
    const { fake, svc, ctx } = await setup({
      users: [
        {
          user_id: 1,
          nick_name: 'admin',
          teams: [{ team_name: 'dev', namespace: 'dev', regions: ['rainbond'] }],
        },
        {
          user_id: 2,
          nick_name: 'ops',
          teams: [{ team_name: 'ops', namespace: 'ops', regions: ['rainbond'] }],
        },
      ],
    });
    await expect(svc.register({ ...ctx, team: 'ops' }, target('hubble-ui'), {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    fake.failNext({ method: 'POST', pathPattern: /\/groups$/, status: 403, code: 10402 });
    await expect(svc.register(ctx, target('hubble-ui'), {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(mutations(fake).filter((c) => c.status < 400)).toEqual([]);
  });

  it.each([
    ['expired', (f: FakeConsole) => f.mintToken('admin', { expiresInSeconds: -10 })],
    ['forged', (f: FakeConsole) => f.mintToken('admin').replace(/\.[^.]+$/, '.c2lnbmF0dXJl')],
    ['garbage', () => 'not-a-jwt'],
  ])('maps an %s JWT to UNAUTHENTICATED and mutates nothing', async (_kind, jwt) => {
    const { fake, svc, ctx } = await setup();
    const bad = { ...ctx, jwt: jwt(fake) };
    await expect(svc.register(bad, target('hubble-ui'), {})).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(svc.setAccess(bad, 'hubble-ui', OPEN, NO_SELF)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(svc.unregister(bad, 'hubble-ui')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(mutations(fake)).toEqual([]);
    expect(fake.state()).toEqual({ apps: [], components: [] });
  });
});

describe('malformed console replies', () => {
  it.each([
    ['not JSON', 'not json at all'],
    ['no envelope', '[1,2,3]'],
    ['wrong list items', '{"code":200,"msg":"success","data":{"bean":{},"list":[{"group_id":"abc"}]}}'],
  ])('turns a reply that is %s into UPSTREAM_ERROR', async (_k, rawBody) => {
    const { fake, svc, ctx } = await setup();
    fake.failNext({ method: 'GET', pathPattern: /\/groups$/, status: 200, rawBody });
    const err = await svc.register(ctx, target('hubble-ui'), {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR', reason: 'malformed' });
    expect((err as Error).message).toBe('console: malformed reply to list apps');
  });
});

/**
 * The team's network in Rainbond's words, end to end over real HTTP and gRPC: the backend wired as in production
 * (server/wiring.ts) against the fake console (auth, overview/groups), the fake Kubernetes API (Cilium 1.17 or
 * 1.11 with network policies) and a loopback Relay holding the Rainbond world's flows (component-labelled pods,
 * `*_denied_by` on 1.16+, none on 1.11). Covers names and link data, another team's names never appearing, the
 * map (aggregation, cap, `truncated`, Relay reads shared between teams), drop explanations with and without
 * attribution, tag filters and hide toggles as Relay requests, and filters never widening the team's scope.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FlowsSchema, MapSchema, type FlowView, type ServiceMap } from '../../contract';
import { fixtures, sandboxCluster } from '../fixtures/cluster';
import {
  WORLD_TEAMS,
  devTeamRound,
  worldConsoleApps,
  worldFlows,
  worldPolicies,
  worldWorkloads,
} from '../fixtures/rainbond/team-world';
import {
  openSse,
  podEndpoint,
  startFakeRelay,
  tcpFlow,
  type FakeRelay,
  type FakeRelayOptions,
} from '../fakes/hubble-relay';
import { TEST_USERS, startStack, type Stack } from '../support/stack';
import { eventually } from '../support/eventually';
import { startBlackhole } from '../support/blackhole';
import type { FakeUser } from '../fakes/console';
import type { KubeObject } from '../fakes/kube-api';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** alice: dev-team and shop; bob: other-team (TEST_USERS); carol: dev-team only. */
const USERS: FakeUser[] = [
  ...TEST_USERS,
  {
    user_id: 3,
    nick_name: 'carol',
    teams: [{ team_name: 'dev-team', namespace: 'dev-team', regions: ['rainbond'] }],
  },
];

async function world(
  opts: { relay?: FakeRelayOptions; objects?: KubeObject[] } = {},
): Promise<{ stack: Stack; relay: FakeRelay }> {
  const relay = await startFakeRelay({ flows: worldFlows({ rounds: 3 }), ...opts.relay });
  cleanups.push(() => relay.close());
  const stack = await startStack({
    users: USERS,
    objects: [...(opts.objects ?? sandboxCluster()), ...worldPolicies(), ...worldWorkloads()],
    console: { seedApps: worldConsoleApps() },
    env: { HUBBLE_RELAY_ADDR: relay.address },
  });
  cleanups.push(() => stack.close());
  return { stack, relay };
}

async function flows(s: Stack, team: string, query = '', user = 'alice') {
  const res = await fetch(s.api(`insights/flows?limit=500${query}`, team), { headers: s.headers(user) });
  expect(res.status, await res.clone().text()).toBe(200);
  return FlowsSchema.parse(await res.json());
}

async function map(s: Stack, team: string, query = '', user = 'alice'): Promise<ServiceMap> {
  const res = await fetch(s.api(`insights/map?since=5m${query}`, team), { headers: s.headers(user) });
  expect(res.status, await res.clone().text()).toBe(200);
  return MapSchema.parse(await res.json());
}

const involves = (f: FlowView, ns: string) => f.source.namespace === ns || f.destination.namespace === ns;
const otherTeamsNames = (team: string) =>
  WORLD_TEAMS.filter((t) => t.team !== team).flatMap((t) =>
    t.apps.flatMap((a) => [a.name, ...a.components.map((c) => c.cname)]),
  );

describe('Rainbond names', () => {
  it("flows name the team's components with their app (the console link's ids); other pods keep their workload", async () => {
    const { stack } = await world();
    const body = await flows(stack, 'dev-team');
    expect(body.flows.length).toBeGreaterThan(20);
    const api = body.flows.find((f) => f.source.pod.startsWith('mall-order-api-'))?.source;
    expect(api?.component).toEqual({ alias: 'gr8b2c4d', name: '订单服务', appId: 101, appName: '在线商城' });
    const job = body.flows.find((f) => f.source.workload === 'db-migrate')?.source;
    expect(job).toMatchObject({ component: null, workload: 'db-migrate', workloadKind: 'Job' });
    // one console call for the team, cached: a second request does not ask again
    await flows(stack, 'dev-team');
    expect(
      stack.console.calls.filter((c) => c.path === '/console/teams/dev-team/overview/groups'),
    ).toHaveLength(1);
    const call = stack.console.calls.find((c) => c.path === '/console/teams/dev-team/overview/groups');
    expect(call?.query.region_name).toBe('rainbond');
  });

  it("another team's names never appear: not in flows, the map or explanations, for either team", async () => {
    const { stack } = await world();
    const dev = JSON.stringify([await flows(stack, 'dev-team'), await map(stack, 'dev-team')]);
    for (const name of otherTeamsNames('dev-team')) expect(dev).not.toContain(name);
    expect(dev).not.toContain('reporter-egress');
    // other-team's reporter appears (it calls dev-team's DB) but only as namespace/workload
    expect(dev).toContain('report-reporter');

    const other = JSON.stringify([
      await flows(stack, 'other-team', '', 'bob'),
      await map(stack, 'other-team', '', 'bob'),
    ]);
    expect(other).toContain('报表服务');
    for (const name of otherTeamsNames('other-team')) expect(other).not.toContain(name);
    expect(other).not.toContain('orders-db-ingress');
    // a user of another team cannot read this one's names at all
    const res = await fetch(stack.api('insights/map', 'dev-team'), { headers: stack.headers('bob') });
    expect(res.status).toBe(403);
  });

  it('when the console cannot list the apps, flows and the map still answer with workload names', async () => {
    const { stack } = await world();
    stack.console.failNext({ pathPattern: '/overview/groups', status: 500, times: 5 });
    const m = await map(stack, 'dev-team', '', 'carol');
    expect(m.namesResolved).toBe(false);
    expect(m.nodes.some((n) => n.kind === 'component')).toBe(false);
    expect(m.nodes.find((n) => n.id === 'workload:dev-team/mall-order-api')).toBeDefined();
  });
});

describe('GET /insights/map', () => {
  it('aggregates by workload, client → server, with verdicts, drop reasons and HTTP status counts', async () => {
    const { stack, relay } = await world();
    const m = await map(stack, 'dev-team');
    expect(m).toMatchObject({ namespace: 'dev-team', window: '5m', truncated: false, namesResolved: true });
    expect(m.flowsSeen).toBeGreaterThan(40);
    const names = Object.fromEntries(m.nodes.map((n) => [n.id, n.name]));
    expect(names).toMatchObject({
      'component:gr6f3a21': '商城前端',
      'component:gr8b2c4d': '订单服务',
      'component:gr2d9e07': '订单数据库',
      'component:gr5c7f19': '缓存 Redis',
      'workload:dev-team/metrics-exporter': 'metrics-exporter',
      'workload:other-team/report-reporter': 'report-reporter',
      dns: 'kube-dns',
      world: 'world',
      host: 'host',
      apiserver: 'kube-apiserver',
    });
    const http = m.edges.find((e) => e.source === 'component:gr6f3a21' && e.target === 'component:gr8b2c4d');
    expect(http).toMatchObject({ protocol: 'http', port: 8080, dropped: 0 });
    expect(http?.http).toMatchObject({ '2xx': 3, '5xx': 3 });
    const denied = m.edges.find((e) => e.source === 'workload:other-team/report-reporter');
    expect(denied).toMatchObject({ target: 'component:gr2d9e07', port: 5432, dropped: 3, forwarded: 0 });
    expect(denied?.dropReasons).toEqual({ POLICY_DENIED: 3 });
    expect(denied?.policy).toMatchObject({ attribution: 'likely', direction: 'ingress' });
    expect(denied?.nextSteps).toContain('kubectl -n dev-team get cnp orders-db-ingress -o yaml');
    // one Relay read: the window as `since`, the team's two pod filters
    const req = relay.flowsRequests().at(-1)!;
    expect(req.since?.seconds).toBeGreaterThan(Date.now() / 1000 - 310);
    expect(req.whitelist.map((w) => [w.source_pod, w.destination_pod])).toEqual([
      [['dev-team/'], []],
      [[], ['dev-team/']],
    ]);
  });

  it('verdict and hide narrow what Relay is asked; bad input is 400', async () => {
    const { stack, relay } = await world();
    const m = await map(stack, 'dev-team', '&verdict=DROPPED&hide=kube-dns,host');
    expect(m.edges.every((e) => e.forwarded === 0)).toBe(true);
    const req = relay.flowsRequests().at(-1)!;
    expect(req.whitelist.every((w) => (w.verdict as string[]).includes('DROPPED'))).toBe(true);
    expect(req.blacklist).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source_label: ['k8s:k8s-app=kube-dns'] }),
        expect.objectContaining({ destination_label: ['reserved:host'] }),
      ]),
    );
    for (const q of ['since=2h', 'since=5x', 'verdict=MAYBE', 'hide=everything'])
      expect((await fetch(stack.api(`insights/map?${q}`), { headers: stack.headers() })).status, q).toBe(400);
  });

  it('caps at 150 nodes and 600 edges, folds the rest and sets truncated', async () => {
    const now = Date.now();
    const flows = [];
    for (let i = 0; i < 400; i++) {
      const client = podEndpoint({ namespace: 'dev-team', app: `job-${i}`, suffix: 'a1b2c' });
      const server = podEndpoint({ namespace: `ns-${i % 40}`, app: `svc-${i}`, suffix: 'z9y8x' });
      for (const port of [80, 443])
        flows.push(tcpFlow({ timeMs: now - 60_000 + i, source: client, destination: server, port }));
    }
    const { stack } = await world({ relay: { flows: [...worldFlows(), ...flows] } });
    const m = await map(stack, 'dev-team');
    expect(m.truncated).toBe(true);
    expect(m.nodes.length).toBeLessThanOrEqual(150);
    expect(m.edges.length).toBeLessThanOrEqual(600);
    expect(m.nodes.find((n) => n.id === 'other')?.folded).toBeGreaterThan(0);
    expect(m.nodes.some((n) => n.kind === 'namespace' && n.folded > 0)).toBe(true);
    expect(m.flowsSeen).toBeGreaterThan(800);
    const ids = new Set(m.nodes.map((n) => n.id));
    for (const e of m.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
  });

  it('teams asking at once share one Relay read, and each sees only its own flows', async () => {
    const { stack, relay } = await world();
    const before = relay.flowsRequests().length;
    const [dev, other, shop] = await Promise.all([
      map(stack, 'dev-team', '', 'carol'),
      map(stack, 'other-team', '', 'bob'),
      map(stack, 'shop', '', 'alice'),
    ]);
    const reads = relay.flowsRequests().slice(before);
    expect(reads.length).toBeLessThan(3);
    expect(reads[0]!.whitelist[0]!.source_pod).toEqual(expect.arrayContaining(['dev-team/']));
    expect(JSON.stringify(other)).not.toContain('订单服务');
    expect(JSON.stringify(shop)).not.toContain('订单服务');
    expect(dev.nodes.some((n) => n.name === '订单服务')).toBe(true);
    expect(shop.nodes.find((n) => n.name === '店铺服务')).toBeDefined();
    for (const n of other.nodes.filter((x) => x.namespace === 'dev-team'))
      expect(n.component).toBeUndefined();
  });
  it("a third map request of one user while two run is 429 TOO_MANY_REQUESTS; another user's is not held up", async () => {
    // a Relay that accepts connections and never answers: requests run until their deadline
    const blackhole = await startBlackhole();
    cleanups.push(() => blackhole.close());
    const stack = await startStack({
      users: USERS,
      env: { HUBBLE_RELAY_ADDR: blackhole.address },
    });
    cleanups.push(() => stack.close());
    const ask = (since: string, user = 'alice') =>
      fetch(stack.api(`insights/map?since=${since}`, 'dev-team'), { headers: stack.headers(user) });
    const running = [ask('5m'), ask('10m')];
    await eventually(() => blackhole.held.size > 0, 'the backend to dial the relay');
    const third = await ask('15m');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(await third.json()).toMatchObject({
      error: { code: 'TOO_MANY_REQUESTS', details: { limit: 'user', max: 2, route: 'map' } },
    });
    const others = await Promise.all([...running, ask('5m', 'carol')]);
    expect(others.map((r) => r.status)).not.toContain(429);
  }, 20_000);
});

describe('why was this dropped?', () => {
  it('Cilium 1.17: the explicit deny names its policy (egress_denied_by); default deny lists the likely ones', async () => {
    const { stack } = await world();
    const body = await flows(stack, 'dev-team', '&verdict=DROPPED', 'carol');
    const deny = body.flows.find((f) => f.dropReason === 'POLICY_DENY');
    expect(deny?.policy).toMatchObject({
      attribution: 'flow',
      direction: 'egress',
      policies: [
        { kind: 'CiliumNetworkPolicy', name: 'deny-external-egress', namespace: 'dev-team', egress: true },
      ],
    });
    expect(deny?.explanation?.nextSteps[0]).toBe('kubectl -n dev-team get cnp deny-external-egress -o yaml');
    const denied = body.flows.find((f) => f.dropReason === 'POLICY_DENIED');
    expect(denied?.policy?.attribution).toBe('likely');
    expect(denied?.policy?.policies.map((p) => p.name).sort()).toEqual([
      'allow-health-checks',
      'orders-db-ingress',
    ]);
    expect(denied?.explanation).toMatchObject({
      direction: 'ingress',
      enforcedAt: 'destination',
      enforcedInTeam: true,
    });
    for (const f of body.flows)
      for (const step of f.explanation?.nextSteps ?? []) {
        const ns = /(?:-n|--namespace) (\S+)/.exec(step)?.[1];
        if (ns) expect(ns, step).toBe('dev-team');
        for (const pod of step.match(/--(?:to|from)-pod (\S+)/g) ?? []) expect(pod).toContain(' dev-team/');
      }
  });

  it('the words follow Accept-Language', async () => {
    const { stack } = await world();
    const res = await fetch(stack.api('insights/flows?verdict=DROPPED'), {
      headers: { ...stack.headers('carol'), 'Accept-Language': 'zh-CN' },
    });
    const body = FlowsSchema.parse(await res.json());
    expect(body.flows.find((f) => f.dropReason === 'POLICY_DENY')?.explanation?.text).toMatch(/显式拒绝/);
  });

  it('Cilium 1.11 relay: no attribution in flows, so the likely policies; workload tags go out as pod prefixes', async () => {
    const { stack, relay } = await world({ relay: { version: '1.11.20' }, objects: fixtures.cilium111() });
    const body = await flows(stack, 'dev-team', '&verdict=DROPPED', 'carol');
    expect(body.flows.length).toBeGreaterThan(0);
    const deny = body.flows.find((f) => f.dropReason === 'POLICY_DENY');
    expect(deny?.policy).toMatchObject({
      attribution: 'likely',
      policies: [{ name: 'deny-external-egress' }],
    });
    expect(body.flows.every((f) => f.uuid === '')).toBe(true);
    expect(deny?.source.component?.name).toBe('商城前端');

    const tagged = await flows(stack, 'dev-team', '&filters=to:workload=mall-orders-db', 'carol');
    expect(tagged.flows.length).toBeGreaterThan(0);
    expect(
      tagged.flows.every(
        (f) => f.destination.workload === 'mall-orders-db' && f.destination.pod.startsWith('mall-orders-db-'),
      ),
    ).toBe(true);
    const req = relay.flowsRequests().at(-1)!;
    expect(req.whitelist.every((w) => (w.destination_workload as unknown[]).length === 0)).toBe(true);
    expect(relay.ignoredFilterFields()).toEqual([]);
    const m = await map(stack, 'dev-team', '', 'carol');
    expect(m.nodes.find((n) => n.id === 'component:gr2d9e07')).toBeDefined();
  });
});

describe('filter tags and toggles', () => {
  it('tags and hide toggles become the whitelist constraints and blacklist Relay is asked for', async () => {
    const { stack, relay } = await world();
    const body = await flows(
      stack,
      'dev-team',
      `&filters=${encodeURIComponent('to:label=k8s:service_alias=gr2d9e07,!from:workload=db-migrate')}&hide=kube-dns`,
      'carol',
    );
    expect(body.flows.length).toBeGreaterThan(0);
    for (const f of body.flows) {
      expect(f.destination.labels).toContain('k8s:service_alias=gr2d9e07');
      expect(f.source.workload).not.toBe('db-migrate');
    }
    const req = relay.flowsRequests().at(-1)!;
    expect(
      req.whitelist.every((w) => (w.destination_label as string[]).includes('k8s:service_alias=gr2d9e07')),
    ).toBe(true);
    expect(req.blacklist).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source_workload: [{ name: 'db-migrate', kind: '' }] }),
        expect.objectContaining({ destination_label: ['k8s:k8s-app=kube-dns'] }),
      ]),
    );
    const bad = await fetch(stack.api('insights/flows?filters=to:port=99999'), { headers: stack.headers() });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
  });

  it("a tag naming another namespace's pod never widens the scope, even from a relay that ignores filters", async () => {
    const { stack, relay } = await world({ relay: { ignoreFilters: true } });
    const tag = encodeURIComponent('from:pod=other-team/report-reporter-');
    for (const user of ['carol', 'alice']) {
      const body = await flows(stack, 'dev-team', `&filters=${tag}`, user);
      expect(body.flows.length).toBeGreaterThan(0);
      for (const f of body.flows) {
        expect(involves(f, 'dev-team'), `${f.source.pod} → ${f.destination.pod}`).toBe(true);
        expect(f.source.pod.startsWith('report-reporter-') && f.source.namespace === 'other-team').toBe(true);
      }
    }
    // other-team's own traffic (reporter → kube-dns / world) matches the tag but is not dev-team's
    const all = relay.flowsRequests().at(-1)!;
    expect(all.whitelist.every((w) => JSON.stringify(w).includes('dev-team/'))).toBe(true);
    const naming = await flows(
      stack,
      'dev-team',
      `&filters=${encodeURIComponent('either:pod=other-team/')}`,
      'carol',
    );
    expect(naming.flows.every((f) => involves(f, 'dev-team'))).toBe(true);
  });

  it('live SSE flows carry the same names and explanations', async () => {
    const { stack, relay } = await world();
    const conn = await openSse(stack.api('insights/flows?follow=true&verdict=DROPPED'), {
      Authorization: `GRJWT ${stack.token('carol')}`,
    });
    cleanups.push(async () => conn.close());
    const push = () => devTeamRound(Date.now()).forEach((f) => relay.push(f));
    const got = conn.waitFor((e) => e.event === 'flow' && e.data.includes('POLICY_DENY'), 5000);
    const timer = setInterval(push, 200);
    cleanups.push(async () => clearInterval(timer));
    const e = await got;
    const f = JSON.parse(e.data) as FlowView;
    expect(f.source.component?.name).toBe('商城前端');
    expect(f.explanation?.reason).toBe('POLICY_DENY');
    expect(f.policy?.attribution).toBe('flow');
  });
});

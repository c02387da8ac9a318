/**
 * Flows and Relay status over real gRPC (loopback fake relay built from our .proto files) and real HTTP
 * (@hono/node-server on 127.0.0.1:0). A stub middleware stands in for auth and sets the team's ctx.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, unauthenticated, upstreamError } from '../../server/errors';
import type { IdentityResolver, MembershipVerdict } from '../../server/http/auth';
import { errorHandler } from '../../server/http/errors';
import type { AppEnv, Locale } from '../../server/http/env';
import { silentLogger } from '../../server/log';
import { createRelayConnector, type RelayConnector } from '../../server/clients/hubble/relay-client';
import { createFlowsRoutes } from '../../server/features/insights/flows.routes';
import {
  createLiveStreamRegistry,
  type LiveStreamOptions,
} from '../../server/features/insights/live-sessions';
import { createFlowsService } from '../../server/features/insights/flows.service';
import { createRelayService } from '../../server/features/insights/relay.service';
import {
  FLOW_STREAM_EVENTS,
  FlowStreamPayloadSchemas,
  FlowsSchema,
  RelayStatusSchema,
  type FlowStreamEventName,
  type FlowView,
} from '../../contract/insights';
import {
  namespaceMix,
  measureSseDelivery,
  openSse,
  podEndpoint,
  spawnFakeRelay,
  sampleFlows,
  startFakeRelay,
  tcpFlow,
  type FakeRelay,
  type FakeRelayOptions,
  type SseConnection,
} from '../fakes/hubble-relay';
import { eventually } from '../support/eventually';
import { startBlackhole } from '../support/blackhole';

interface Harness {
  base: string;
  relay: FakeRelay | null;
  connector: RelayConnector;
  live: ReturnType<typeof createLiveStreamRegistry>;
  get(path: string, team?: string, extra?: Record<string, string>): Promise<Response>;
  /** What the console says of the team's user from now on, e.g. "removed" once taken out of the team. */
  setMembership(team: string, v: MembershipVerdict): void;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Team → namespace, as the console would answer; the user id decides the per-user stream cap. */
const TEAMS: Record<string, { namespace: string; userId: number; admin?: boolean }> = {
  'shop-team': { namespace: 'shop', userId: 1 },
  'billing-team': { namespace: 'billing', userId: 2 },
  // an enterprise admin looking at shop
  'shop-admin': { namespace: 'shop', userId: 3, admin: true },
};

async function harness(
  relayOpts: FakeRelayOptions | null,
  opts: {
    live?: LiveStreamOptions;
    address?: () => string | null;
    tls?: Parameters<typeof createRelayConnector>[0]['tls'];
    maxConcurrentPerUser?: number;
  } = {},
): Promise<Harness> {
  const relay = relayOpts ? await startFakeRelay(relayOpts) : null;
  if (relay) cleanups.push(() => relay.close());
  const connector = createRelayConnector({
    getRelayAddress: opts.address ?? (() => relay?.address ?? null),
    log: silentLogger,
    unaryTimeoutMs: 1500,
    ...(opts.tls ? { tlsMode: 'on' as const, tls: opts.tls } : {}),
  });
  cleanups.push(() => connector.close());
  const live = createLiveStreamRegistry(opts.live ?? {});
  // The console's answer per team (the stub's JWT is the team name): member unless a test says otherwise.
  const membership = new Map<string, MembershipVerdict>();
  const identity: IdentityResolver = {
    async resolve(team) {
      const v = membership.get(team) ?? 'member';
      if (v === 'rejected') throw unauthenticated();
      if (v === 'unknown') throw upstreamError('console', 'timeout');
      const regions = [{ name: 'rainbond', alias: '' }];
      const teams =
        v === 'member'
          ? [
              {
                name: team,
                alias: team,
                namespace: TEAMS[team]!.namespace,
                regions,
                isOwner: false,
                roles: [],
              },
            ]
          : [];
      return {
        userId: TEAMS[team]!.userId,
        userName: team,
        enterpriseId: 'e',
        isEnterpriseAdmin: false,
        teams,
      };
    },
  };
  const app = new Hono<AppEnv>();
  // Stub of the auth middleware: the namespace comes from the team, never from the client's query.
  app.use('/api/v1/*', async (c, next) => {
    const team = c.req.query('team') ?? '';
    const t = TEAMS[team];
    if (!t) return c.json({ error: { code: 'FORBIDDEN', message: 'unknown team' } }, 403);
    c.set('ctx', {
      jwt: team,
      team,
      region: c.req.query('region') ?? 'rainbond',
      namespace: t.namespace,
      user: {
        userId: t.userId,
        userName: team,
        enterpriseId: 'e',
        isEnterpriseAdmin: t.admin ?? false,
        teams: [],
      },
      locale: (c.req.header('accept-language') === 'zh-CN' ? 'zh-CN' : 'en') as Locale,
    });
    await next();
    return undefined;
  });
  app.route(
    '/api/v1/insights',
    createFlowsRoutes({
      relay: createRelayService({
        relay: connector,
        log: silentLogger,
        ciliumNamespace: () => 'kube-system',
      }),
      flows: createFlowsService({ relay: connector, log: silentLogger, timeoutMs: 3000 }),
      log: silentLogger,
      live,
      identity,
      maxConcurrentPerUser: opts.maxConcurrentPerUser,
    }),
  );
  app.onError((err, c) =>
    isAppError(err)
      ? errorHandler(silentLogger)(err, c)
      : c.json({ error: { code: 'INTERNAL', message: String(err) } }, 500),
  );
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => r());
      }),
  );
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    relay,
    connector,
    live,
    setMembership: (team, v) => membership.set(team, v),
    get: (path, team = 'shop-team', extra = {}) => {
      const q = new URLSearchParams({ team, region: 'rainbond', ...extra });
      return fetch(`${base}/api/v1/insights${path}?${q}`, {
        headers: extra['accept-language'] ? { 'accept-language': extra['accept-language'] } : {},
      });
    },
  };
}

const sseUrl = (h: Harness, team = 'shop-team', extra: Record<string, string> = {}) =>
  `${h.base}/api/v1/insights/flows?${new URLSearchParams({ team, region: 'rainbond', follow: 'true', ...extra })}`;

const namespacesOf = (f: FlowView) => [f.source.namespace, f.destination.namespace];

describe('GET /flows (recent)', () => {
  it("returns only the team's namespace and sends the two OR-ed namespace filters", async () => {
    const h = await harness({ flows: sampleFlows(['shop', 'billing', 'analytics']) });
    const res = await h.get('/flows', 'shop-team', { limit: '200' });
    expect(res.status).toBe(200);
    const body = FlowsSchema.parse(await res.json());
    expect(body.namespace).toBe('shop');
    expect(body.flows.length).toBeGreaterThan(10);
    for (const f of body.flows) expect(namespacesOf(f)).toContain('shop');
    // billing → shop policy drops are the shop team's flows too.
    expect(body.flows.some((f) => f.source.namespace === 'billing' && f.verdict === 'DROPPED')).toBe(true);

    const req = h.relay!.flowsRequests()[0]!;
    expect(req.number).toBe(200);
    expect(req.follow).toBe(false);
    expect(req.whitelist.map((w) => [w.source_pod, w.destination_pod])).toEqual([
      [['shop/'], []],
      [[], ['shop/']],
    ]);

    const billing = FlowsSchema.parse(await (await h.get('/flows', 'billing-team', { limit: '200' })).json());
    expect(billing.flows.length).toBeGreaterThan(0);
    for (const f of billing.flows) expect(namespacesOf(f)).toContain('billing');
    expect(billing.flows.some((f) => namespacesOf(f).every((n) => n !== 'billing'))).toBe(false);
  });

  it('ignores a namespace the client puts in the query', async () => {
    const h = await harness({ flows: sampleFlows(['shop', 'billing', 'analytics']) });
    const body = FlowsSchema.parse(
      await (await h.get('/flows', 'shop-team', { namespace: 'analytics' })).json(),
    );
    expect(body.namespace).toBe('shop');
    expect(body.flows.every((f) => namespacesOf(f).includes('shop'))).toBe(true);
    expect(h.relay!.flowsRequests()[0]!.whitelist[0]!.source_pod).toEqual(['shop/']);
  });

  it('drops foreign flows even when the relay ignores the filters (defence in depth)', async () => {
    const h = await harness({ flows: sampleFlows(['shop', 'billing', 'analytics']), ignoreFilters: true });
    const body = FlowsSchema.parse(await (await h.get('/flows', 'billing-team', { limit: '1000' })).json());
    expect(body.flows.length).toBeGreaterThan(0);
    for (const f of body.flows) expect(namespacesOf(f)).toContain('billing');
  });

  it.each([
    [{ verdict: 'DROPPED' }, { verdict: ['DROPPED'] }, (f: FlowView) => f.verdict === 'DROPPED'],
    [{ protocol: 'dns' }, { protocol: ['dns'] }, (f: FlowView) => f.l7?.type === 'dns'],
    [{ protocol: 'http' }, { protocol: ['http'] }, (f: FlowView) => f.l7?.type === 'http'],
    [{ protocol: 'icmp' }, { protocol: ['icmp'] }, (f: FlowView) => f.l4?.protocol === 'ICMPv4'],
    [
      { verdict: 'FORWARDED', protocol: 'tcp' },
      { verdict: ['FORWARDED'], protocol: ['tcp'] },
      (f: FlowView) => f.verdict === 'FORWARDED' && f.l4?.protocol === 'TCP',
    ],
  ])('filter %j is sent in both whitelist filters and holds', async (query, sent, holds) => {
    for (const ignoreFilters of [false, true]) {
      const h = await harness({ flows: sampleFlows(['shop', 'billing']), ignoreFilters });
      const body = FlowsSchema.parse(await (await h.get('/flows', 'shop-team', query)).json());
      expect(body.flows.length).toBeGreaterThan(0);
      expect(body.flows.every(holds)).toBe(true);
      for (const w of h.relay!.flowsRequests()[0]!.whitelist) expect(w).toMatchObject(sent);
    }
  });

  it('honours limit, newest first; 1001 and 0 are 400', async () => {
    const h = await harness({ flows: sampleFlows(['shop', 'billing'], { rounds: 5 }) });
    const body = FlowsSchema.parse(await (await h.get('/flows', 'shop-team', { limit: '7' })).json());
    expect(body.flows).toHaveLength(7);
    expect(h.relay!.flowsRequests()[0]!.number).toBe(7);
    const times = body.flows.map((f) => Date.parse(f.time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const all = FlowsSchema.parse(await (await h.get('/flows', 'shop-team', { limit: '1000' })).json());
    expect(Date.parse(all.flows[0]!.time)).toBe(Math.max(...all.flows.map((f) => Date.parse(f.time))));

    for (const limit of ['1001', '0', 'abc']) {
      const res = await h.get('/flows', 'shop-team', { limit });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    }
    expect((await h.get('/flows', 'shop-team', { verdict: 'NOPE' })).status).toBe(400);
    expect(h.relay!.flowsRequests()).toHaveLength(2);
  });

  it('counts lost events and reports unavailable nodes', async () => {
    const h = await harness({ flows: sampleFlows(['shop']), unavailable: ['kind-worker2'], lostEvents: 42 });
    const body = FlowsSchema.parse(await (await h.get('/flows')).json());
    expect(body.lostEvents).toBe(42);
    expect(body.unavailableNodes).toEqual(['kind-worker2']);
  });

  it('relay missing → 503; relay down → 502 UPSTREAM_ERROR', async () => {
    const none = await harness(null, { address: () => null });
    const r1 = await none.get('/flows');
    expect(r1.status).toBe(503);
    const down = await harness(null, { address: () => '127.0.0.1:1' });
    const r2 = await down.get('/flows');
    expect(r2.status).toBe(502);
    expect(((await r2.json()) as { error: { message: string } }).error.message).toMatch(
      /relay: .*UNAVAILABLE/,
    );
  });
});

describe('per-user concurrency', () => {
  it.each([['/flows'], ['/relay']])(
    '%s: a third request of one user while two run is 429 TOO_MANY_REQUESTS with Retry-After',
    async (path) => {
      // a Relay that accepts connections and never answers: requests run until their deadline
      const blackhole = await startBlackhole();
      cleanups.push(() => blackhole.close());
      const h = await harness(null, { address: () => blackhole.address, maxConcurrentPerUser: 2 });
      const running = [h.get(path), h.get(path)];
      await eventually(() => blackhole.held.size > 0, 'the backend to dial the relay');
      const third = await h.get(path);
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('1');
      expect(await third.json()).toMatchObject({
        error: { code: 'TOO_MANY_REQUESTS', details: { limit: 'user', max: 2 } },
      });
      // someone else is not held up by this user's requests: theirs runs (and ends at its deadline)
      const other = h.get(path, 'billing-team');
      expect((await Promise.all([...running, other])).every((r) => r.status !== 429)).toBe(true);
    },
    15_000,
  );
});

describe('GET /relay', () => {
  it('reports connected and unavailable nodes with a diagnosis', async () => {
    const h = await harness({ flows: sampleFlows(['shop']), unavailable: ['kind-worker2'] });
    const res = await h.get('/relay');
    expect(res.status).toBe(200);
    const s = RelayStatusSchema.parse(await res.json());
    expect(s).toMatchObject({
      // a team member is not told where Relay is
      address: null,
      found: true,
      reachable: true,
      version: '1.17.5+g0123456',
      connectedNodes: 2,
      unavailableNodes: ['kind-worker2'],
      maxFlows: 3 * 4095,
      flowsRate: 0.5,
    });
    expect(s.nodes.map((n) => [n.name, n.state])).toEqual([
      ['kind-control-plane', 'NODE_CONNECTED'],
      ['kind-worker', 'NODE_CONNECTED'],
      ['kind-worker2', 'NODE_UNAVAILABLE'],
    ]);
    expect(s.diagnoses.map((d) => [d.code, d.severity])).toEqual([['NODES_UNAVAILABLE', 'warning']]);
    expect(s.diagnoses[0]!.message).toMatch(/4244/);

    const zh = RelayStatusSchema.parse(
      await (await h.get('/relay', 'shop-team', { 'accept-language': 'zh-CN' })).json(),
    );
    expect(zh.diagnoses[0]!.message).toMatch(/节点/);
  });

  it("gives Relay's and the nodes' addresses to enterprise admins only", async () => {
    const h = await harness({ flows: [] });
    const team = RelayStatusSchema.parse(await (await h.get('/relay', 'shop-team')).json());
    expect(team.address).toBeNull();
    expect(team.nodes.map((n) => n.address)).toEqual(['', '', '']);
    const admin = RelayStatusSchema.parse(await (await h.get('/relay', 'shop-admin')).json());
    expect(admin.address).toBe(h.relay!.address);
    expect(admin.nodes.every((n) => n.address !== '')).toBe(true);
    expect({ ...admin, address: null, nodes: team.nodes }).toEqual(team);
  });

  it('healthy relay: no diagnoses', async () => {
    const h = await harness({ flows: [] });
    const s = RelayStatusSchema.parse(await (await h.get('/relay')).json());
    expect(s).toMatchObject({ reachable: true, connectedNodes: 3, unavailableNodes: [], diagnoses: [] });
  });

  it('relay down → 200 reachable:false with RELAY_UNREACHABLE; missing → RELAY_NOT_FOUND', async () => {
    const down = await harness(null, { address: () => '127.0.0.1:1' });
    const res = await down.get('/relay');
    expect(res.status).toBe(200);
    const s = RelayStatusSchema.parse(await res.json());
    expect(s).toMatchObject({ address: null, found: true, reachable: false, nodes: [] });
    expect(s.diagnoses.map((d) => d.code)).toEqual(['RELAY_UNREACHABLE']);
    // what is wrong, in words, without the address
    expect(s.diagnoses[0]!.message).toBe('Hubble Relay cannot be reached (UNAVAILABLE).');
    const admin = RelayStatusSchema.parse(await (await down.get('/relay', 'shop-admin')).json());
    expect(admin.address).toBe('127.0.0.1:1');
    expect(admin.diagnoses[0]!.message).toContain('127.0.0.1:1');

    const none = await harness(null, { address: () => null });
    const n = RelayStatusSchema.parse(await (await none.get('/relay')).json());
    expect(n).toMatchObject({ address: null, found: false, reachable: false });
    expect(n.diagnoses[0]).toMatchObject({ code: 'RELAY_NOT_FOUND', severity: 'error' });
    expect(n.diagnoses[0]!.fix.join(' ')).toMatch(/hubble\.relay\.enabled=true/);
  });

  it('re-creates the channel when the relay address changes', async () => {
    const a = await startFakeRelay({ version: '1.16.6' });
    const b = await startFakeRelay({ version: '1.18.6' });
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    let current = a.address;
    const h = await harness(null, { address: () => current });
    expect(RelayStatusSchema.parse(await (await h.get('/relay')).json()).version).toBe('1.16.6');
    current = b.address;
    expect(RelayStatusSchema.parse(await (await h.get('/relay')).json()).version).toBe('1.18.6');
    expect(h.connector.current()?.address).toBe(b.address);
  });
});

/** A Hubble-like PKI made with openssl: CA, relay server cert for *.hubble-relay.cilium.io, client cert. */
function hubblePki() {
  const dir = mkdtempSync(join(tmpdir(), 'hubble-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=hubble-ca.cilium.io',
  );
  for (const [name, cn] of [
    ['server', '*.hubble-relay.cilium.io'],
    ['client', 'ui.hubble-ui.cilium.io'],
  ] as const) {
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${cn}\n`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  }
  const read = (f: string) => readFileSync(join(dir, f));
  const pki = {
    ca: read('ca.crt'),
    server: { cert: read('server.crt'), key: read('server.key') },
    client: { cert: read('client.crt'), key: read('client.key') },
  };
  rmSync(dir, { recursive: true, force: true });
  return pki;
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(hasOpenssl)('Relay with server TLS (mTLS, port 443 setups)', () => {
  it('connects with the Hubble CA, a client certificate and the relay server name', async () => {
    const pki = hubblePki();
    const tlsRelay = { tls: { ...pki.server, ca: pki.ca }, flows: sampleFlows(['shop']) };
    const serverName = 'ui.hubble-relay.cilium.io';
    const ok = await harness(tlsRelay, { tls: { ca: pki.ca, ...pki.client, serverName } });
    expect(RelayStatusSchema.parse(await (await ok.get('/relay')).json())).toMatchObject({ reachable: true });
    expect(FlowsSchema.parse(await (await ok.get('/flows')).json()).flows.length).toBeGreaterThan(0);

    // No client certificate: the relay refuses the handshake → reported, not thrown.
    const noCert = await harness(tlsRelay, { tls: { ca: pki.ca, serverName } });
    const s = RelayStatusSchema.parse(await (await noCert.get('/relay')).json());
    expect(s.reachable).toBe(false);
    expect(s.diagnoses[0]!.code).toBe('RELAY_UNREACHABLE');

    // Plaintext against a TLS relay.
    const plain = await harness(tlsRelay);
    expect(RelayStatusSchema.parse(await (await plain.get('/relay')).json()).reachable).toBe(false);
  });
});

/** Every event received so far is one the contract names, with data its schema accepts. */
function expectContractEvents(conn: SseConnection) {
  // A block without data (the `retry:` hint) dispatches nothing in EventSource.
  for (const e of conn.events.filter((x) => x.data !== '')) {
    expect(FLOW_STREAM_EVENTS).toContain(e.event);
    FlowStreamPayloadSchemas[e.event as FlowStreamEventName].parse(JSON.parse(e.data));
  }
}

describe('GET /flows?follow=true (SSE)', () => {
  const open = async (h: Harness, team = 'shop-team', extra: Record<string, string> = {}) => {
    const conn = await openSse(sseUrl(h, team, extra));
    cleanups.push(() => conn.close());
    return conn;
  };

  it("streams the team's live flows, lost events and node changes; keepalive comments", async () => {
    const h = await harness({ flows: [], unavailable: ['kind-worker2'] }, { live: { keepaliveMs: 100 } });
    const conn: SseConnection = await open(h);
    expect(conn.status).toBe(200);
    expect(conn.headers['content-type']).toBe('text/event-stream');
    expect(conn.headers['cache-control']).toBe('no-cache');
    expect(conn.headers['x-accel-buffering']).toBe('no');
    await eventually(() => h.relay!.activeStreams() === 1, 'the follow stream');
    const req = h.relay!.flowsRequests()[0]!;
    expect(req.follow).toBe(true);
    expect(req.whitelist).toHaveLength(2);

    const nodes = await conn.waitFor((e) => e.event === 'nodes' && e.data.includes('NODE_UNAVAILABLE'));
    expect(JSON.parse(nodes.data)).toMatchObject({ state: 'NODE_UNAVAILABLE', nodes: ['kind-worker2'] });

    const now = Date.now();
    for (const f of [
      ...namespaceMix('billing', 'analytics', now),
      ...namespaceMix('shop', 'billing', now + 10),
    ])
      h.relay!.push(f);
    h.relay!.broadcast({
      lost_events: { source: 'PERF_EVENT_RING_BUFFER', num_events_lost: 5 },
      node_name: 'kind-worker',
    });
    await conn.waitFor((e) => e.event === 'lost');
    await eventually(() => conn.events.filter((e) => e.event === 'flow').length >= 8, '8 shop flows');
    const flows = conn.events.filter((e) => e.event === 'flow').map((e) => JSON.parse(e.data) as FlowView);
    expect(flows).toHaveLength(8);
    for (const f of flows) expect(namespacesOf(f)).toContain('shop');
    expect(JSON.parse(conn.events.find((e) => e.event === 'lost')!.data)).toEqual({
      count: 5,
      source: 'PERF_EVENT_RING_BUFFER',
      node: 'kind-worker',
    });
    await eventually(() => conn.comments > 0, { timeoutMs: 2000, what: 'a keepalive comment' });
    expectContractEvents(conn);
  });

  it('never sends another namespace live, even from a relay that ignores filters', async () => {
    const h = await harness({ flows: [], ignoreFilters: true });
    const conn = await open(h, 'billing-team');
    await eventually(() => h.relay!.activeStreams() === 1);
    const now = Date.now();
    const marker = podEndpoint({ namespace: 'billing', app: 'marker' });
    for (const f of namespaceMix('analytics', 'shop', now)) h.relay!.push(f);
    h.relay!.push(tcpFlow({ timeMs: now + 50, source: marker, destination: marker }));
    const last = await conn.waitFor((e) => e.event === 'flow' && e.data.includes('marker-'));
    expect(last).toBeDefined();
    const flows = conn.events.filter((e) => e.event === 'flow').map((e) => JSON.parse(e.data) as FlowView);
    expect(flows).toHaveLength(1);
  });

  it('cancels the gRPC stream when the client disconnects', async () => {
    const h = await harness({ flows: [], producer: { ratePerSecond: 200, namespaces: ['shop', 'billing'] } });
    const conn = await open(h);
    await conn.waitFor((e) => e.event === 'flow');
    expect(h.relay!.activeStreams()).toBe(1);
    expect(h.live.sessions()).toHaveLength(1);
    conn.close();
    await eventually(() => h.relay!.activeStreams() === 0, 'the relay to see the cancel');
    expect(h.relay!.cancelledStreams()).toBe(1);
    await eventually(() => h.live.sessions().length === 0, {
      timeoutMs: 2000,
      what: 'the live slot to be released',
    });
  });

  it('relay missing → 503 JSON; relay down → an SSE error event, then the stream ends', async () => {
    const none = await harness(null, { address: () => null });
    const r = await none.get('/flows', 'shop-team', { follow: 'true' });
    expect(r.status).toBe(503);
    expect(none.live.sessions()).toHaveLength(0);

    const down = await harness(null, { address: () => '127.0.0.1:1' });
    const conn = await open(down);
    const err = await conn.waitFor((e) => e.event === 'error');
    expect(JSON.parse(err.data)).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expectContractEvents(conn);
    await conn.closed;
    await eventually(() => down.live.sessions().length === 0, {
      timeoutMs: 2000,
      what: 'the slot to be released',
    });
  });

  it('tells the client when the relay ends the stream', async () => {
    const h = await harness({ flows: [] });
    const conn = await open(h);
    await eventually(() => h.relay!.activeStreams() === 1);
    await h.relay!.close();
    await conn.waitFor((e) => e.event === 'end' || e.event === 'error');
    await conn.closed;
    expectContractEvents(conn);
  });

  it('caps live streams per user, then per team, then per process: 429 TOO_MANY_STREAMS with Retry-After', async () => {
    const h = await harness(
      { flows: [] },
      { live: { maxPerUser: 1, maxPerTeam: 2, maxTotal: 3, maxAgeMs: 30_000 } },
    );
    const refusal = async (team: string) => {
      const res = await h.get('/flows', team, { follow: 'true' });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(30);
      return ((await res.json()) as { error: { code: string; details: unknown } }).error;
    };
    await open(h);
    await eventually(() => h.live.sessions().length === 1);
    // the user's own cap comes first
    expect(await refusal('shop-team')).toMatchObject({
      code: 'TOO_MANY_STREAMS',
      details: { limit: 'user', max: 1 },
    });
    // another user of another team still gets one
    expect((await open(h, 'billing-team')).status).toBe(200);
    expect((await open(h, 'shop-admin')).status).toBe(200);
    await eventually(() => h.live.sessions().length === 3);
    // the process is full now: a fourth user is refused by the process cap
    TEAMS['fourth-team'] = { namespace: 'fourth', userId: 4 };
    cleanups.push(() => void delete TEAMS['fourth-team']);
    expect(await refusal('fourth-team')).toMatchObject({
      code: 'TOO_MANY_STREAMS',
      details: { limit: 'process', max: 3 },
    });
  });

  it("caps one team's streams across its members", async () => {
    const h = await harness({ flows: [] }, { live: { maxPerUser: 5, maxPerTeam: 2 } });
    await open(h);
    await open(h);
    await eventually(() => h.live.sessions().length === 2);
    const res = await h.get('/flows', 'shop-team', { follow: 'true' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).not.toBeNull();
    expect(await res.json()).toMatchObject({
      error: { code: 'TOO_MANY_STREAMS', details: { limit: 'team', max: 2 } },
    });
    expect((await open(h, 'billing-team')).status).toBe(200);
  });

  it.each<[MembershipVerdict, string]>([
    ['removed', 'membership'],
    ['rejected', 'session'],
  ])(
    'ends the stream with `end` when the console says %s (reason %s) and frees the slot',
    async (verdict, reason) => {
      const h = await harness({ flows: [] }, { live: { recheckMs: 50 } });
      const conn = await open(h);
      await eventually(() => h.relay!.activeStreams() === 1);
      // the console cannot be asked for a while: the stream goes on
      h.setMembership('shop-team', 'unknown');
      const pushed = podEndpoint({ namespace: 'shop', app: 'still-there' });
      h.relay!.push(tcpFlow({ timeMs: Date.now(), source: pushed, destination: pushed }));
      await conn.waitFor((e) => e.event === 'flow' && e.data.includes('still-there-'));
      h.setMembership('shop-team', verdict);
      const end = await conn.waitFor((e) => e.event === 'end');
      expect(JSON.parse(end.data)).toEqual({ reason });
      await conn.closed;
      expectContractEvents(conn);
      await eventually(() => h.live.sessions().length === 0, 'the slot to be released');
      await eventually(() => h.relay!.activeStreams() === 0, 'the Relay stream cancelled');
    },
  );

  it('ends a stream at its lifetime with reason max-duration', async () => {
    const h = await harness({ flows: [] }, { live: { maxAgeMs: 300 } });
    const conn = await open(h);
    const end = await conn.waitFor((e) => e.event === 'end');
    expect(JSON.parse(end.data)).toEqual({ reason: 'max-duration' });
    await conn.closed;
    expect(h.live.closed().at(-1)?.team).toBe('shop-team');
    await eventually(() => h.live.sessions().length === 0, 'the slot to be released');
  });

  it('a slow client keeps a bounded buffer and is told how many events were dropped', async () => {
    const bufferSize = 200;
    const h = await harness(
      { flows: [], producer: { ratePerSecond: 8000, namespaces: ['shop'] } },
      { live: { bufferSize } },
    );
    const conn = await open(h);
    await conn.waitFor((e) => e.event === 'flow');
    conn.pause();
    await eventually(() => (h.live.sessions()[0]?.dropped ?? 0) > 500, {
      timeoutMs: 15_000,
      what: 'drops on the server',
    });
    const s = h.live.sessions()[0]!;
    expect(s.maxBuffered).toBeLessThanOrEqual(bufferSize);
    expect(s.buffered).toBeLessThanOrEqual(bufferSize);
    conn.resume();
    const dropped = await conn.waitFor((e) => e.event === 'dropped', 10_000);
    expect(JSON.parse(dropped.data).count).toBeGreaterThan(0);
    expectContractEvents(conn);
  }, 30_000);

  it('benchmark helpers: a relay in its own process feeds SSE at the producer rate', async () => {
    const spawned = await spawnFakeRelay({ producer: { ratePerSecond: 1000, namespaces: ['shop'] } });
    cleanups.push(() => spawned.close());
    const h = await harness(null, { address: () => spawned.address });
    const r = await measureSseDelivery(sseUrl(h), { durationMs: 1500 });
    expect(r.status).toBe(200);
    expect(r.flows).toBeGreaterThan(500);
    expect(r.dropped).toBe(0);
    await eventually(() => h.live.sessions().length === 0, { timeoutMs: 3000, what: 'the stream to close' });
    expect((await spawned.stats()).produced).toBeGreaterThan(r.flows);
  }, 20_000);
});

/**
 * (h) the service map: server time of GET /insights/map over 20,000 flows of one namespace (the map read from a
 * Relay in its own process, decoded, named and aggregated; no answer reuse), 20 teams asking for their maps at
 * once (how many GetFlows calls Relay got for them: the reads are shared), and the panel bundle with the map.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import type { AppEnv } from '../../server/http/env';
import { errorHandler } from '../../server/http/errors';
import { silentLogger } from '../../server/log';
import { createRelayConnector } from '../../server/clients/hubble/relay-client';
import { toPolicySummary } from '../../server/clients/cluster/policies';
import type { PolicySummary } from '../../server/cilium/policies';
import { createMapFlowSource } from '../../server/features/insights/map.source';
import { createMapService } from '../../server/features/insights/map.service';
import { createMapRoutes } from '../../server/features/insights/map.routes';
import { createTeamDirectory } from '../../server/features/insights/team-directory';
import { MapSchema } from '../../contract/map';
import { podEndpoint, spawnFakeRelay, tcpFlow, type FlowFixture } from '../fakes/hubble-relay';
import type { FakeUser } from '../fakes/console';
import { devTeamRound, worldConsoleApps, worldPolicies } from '../fixtures/rainbond/team-world';
import { sandboxCluster } from '../fixtures/cluster';
import { startStack } from '../support/stack';
import { bytes, count, ms, printTable, stats, timeEach } from './lib';
import type { SectionResult } from './run';

const FLOWS = 20_000;
const RUNS = 30;
const TEAMS = 20;

/** 20,000 flows of dev-team over the last 2.5 minutes: the world's traffic plus 60 more workloads talking. */
function twentyThousand(now: number): FlowFixture[] {
  const out: FlowFixture[] = [];
  const svc = (i: number) => podEndpoint({ namespace: 'dev-team', app: `svc-${i}`, suffix: `p${i}` });
  for (let i = 0; out.length < FLOWS; i++) {
    const t = now - 150_000 + Math.floor((i * 150_000) / 2000);
    if (i % 3 === 0) out.push(...devTeamRound(t));
    else
      for (let k = 0; k < 10; k++) {
        const a = (i * 7 + k) % 60;
        const f = tcpFlow({
          timeMs: t + k,
          source: svc(a),
          destination: svc((a * 13 + 5) % 60),
          port: 8080 + (k % 3),
        });
        out.push(
          k === 9
            ? {
                ...f,
                verdict: 'DROPPED',
                drop_reason: 133,
                drop_reason_desc: 'POLICY_DENIED',
                traffic_direction: 'INGRESS',
              }
            : f,
        );
      }
  }
  return out.slice(0, FLOWS);
}

async function mapServerTime(lines: string[]) {
  const relay = await spawnFakeRelay({ flows: twentyThousand(Date.now()), historySize: FLOWS + 1000 });
  const connector = createRelayConnector({ getRelayAddress: () => relay.address, log: silentLogger });
  try {
    const policies = worldPolicies()
      .map((o) => toPolicySummary(o.kind, o))
      .filter((p): p is PolicySummary => p !== null);
    const apps = worldConsoleApps().filter((a) => a.team === 'dev-team');
    const directory = createTeamDirectory({
      teamApps: async () =>
        apps.map((a) => ({
          appId: a.appId,
          appName: a.name,
          components: a.components.map((c) => ({ alias: c.alias, cname: c.cname, serviceId: c.alias })),
        })),
      log: silentLogger,
    });
    const map = createMapService({
      source: createMapFlowSource({
        relay: connector,
        log: silentLogger,
        cacheTtlMs: 0,
        batchWindowMs: 0,
        timeoutMs: 60_000,
      }),
      directory,
      policies: () => policies,
    });
    const app = new Hono<AppEnv>();
    app.onError(errorHandler(silentLogger));
    app.use('*', async (c, next) => {
      c.set('ctx', {
        jwt: 'bench',
        team: 'dev-team',
        region: 'rainbond',
        namespace: 'dev-team',
        user: { userId: 1, userName: 'bench', enterpriseId: 'e', isEnterpriseAdmin: false, teams: [] },
        locale: 'en',
      });
      await next();
    });
    app.route('/', createMapRoutes({ map }));
    let last = null as ReturnType<typeof MapSchema.parse> | null;
    const get = async () => {
      const res = await app.request('/map?since=5m');
      if (res.status !== 200) throw new Error(`map: ${res.status} ${await res.text()}`);
      last = MapSchema.parse(await res.json());
    };
    await get();
    const times = stats(await timeEach(RUNS, get, 120_000));
    printTable(
      '(h) GET /insights/map over 20,000 flows (in process; Relay in its own process; no answer reuse)',
      ['runs', 'flows read', 'nodes', 'edges', 'truncated', 'p50', 'p99', 'max'],
      [
        [
          times.n,
          count(last?.flowsSeen ?? 0),
          last?.nodes.length ?? 0,
          last?.edges.length ?? 0,
          String(last?.truncated),
          ms(times.p50),
          ms(times.p99),
          ms(times.max),
        ],
      ],
      [
        'server time = the whole request: GetFlows over loopback gRPC, decode + zod, names, policies, aggregation, JSON',
      ],
    );
    lines.push(
      `map over ${count(last?.flowsSeen ?? 0)} flows: p50 ${ms(times.p50)}, p99 ${ms(times.p99)} (${last?.nodes.length} nodes, ${last?.edges.length} edges)`,
    );
  } finally {
    connector.close();
    await relay.close();
  }
}

async function sharedReads(lines: string[]) {
  const now = Date.now();
  const namespaces = Array.from({ length: TEAMS }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  const flows: FlowFixture[] = [];
  namespaces.forEach((ns, n) => {
    for (let i = 0; i < 1000; i++) {
      const a = podEndpoint({ namespace: ns, app: `web-${i % 8}` });
      const b = podEndpoint({ namespace: ns, app: `api-${i % 5}` });
      flows.push(tcpFlow({ timeMs: now - 200_000 + i * 150 + n, source: a, destination: b, port: 8080 }));
    }
  });
  const relay = await spawnFakeRelay({ flows, historySize: flows.length + 1000 });
  const users: FakeUser[] = namespaces.map((ns, i) => ({
    user_id: 100 + i,
    nick_name: `user-${i}`,
    teams: [{ team_name: ns, namespace: ns, regions: ['rainbond'] }],
  }));
  const stack = await startStack({
    users,
    objects: sandboxCluster(),
    env: { HUBBLE_RELAY_ADDR: relay.address },
  });
  try {
    const ask = (i: number, since: string) =>
      fetch(stack.api(`insights/map?since=${since}`, namespaces[i]), {
        headers: stack.headers(`user-${i}`),
      }).then(async (r) => {
        if (r.status !== 200) throw new Error(`map ${namespaces[i]}: ${r.status}`);
        return MapSchema.parse(await r.json());
      });
    // one at a time first (identity and names cached), then all at once with another window (no answer reuse)
    for (let i = 0; i < TEAMS; i++) await ask(i, '5m');
    const before = (await relay.stats()).getFlowsCalls;
    const t0 = performance.now();
    const latencies: number[] = [];
    const maps = await Promise.all(
      namespaces.map((_, i) => {
        const s = performance.now();
        return ask(i, '4m').then((m) => {
          latencies.push(performance.now() - s);
          return m;
        });
      }),
    );
    const wall = performance.now() - t0;
    const calls = (await relay.stats()).getFlowsCalls - before;
    const own = maps.every(
      (m, i) =>
        m.namespace === namespaces[i] &&
        m.nodes.every((n) => n.namespace === null || n.namespace === namespaces[i]),
    );
    const st = stats(latencies);
    printTable(
      `(h) ${TEAMS} teams ask for their map at once (full stack: auth, console, batching)`,
      ['teams', 'GetFlows calls', 'flows per map', 'each sees only its own', 'p50', 'p99', 'wall'],
      [[TEAMS, calls, count(maps[0]?.flowsSeen ?? 0), String(own), ms(st.p50), ms(st.p99), ms(wall)]],
      [
        'asks arriving within 25 ms with the same window/verdict/toggles share one GetFlows (whitelist = every namespace)',
      ],
    );
    lines.push(
      `${TEAMS} teams at once: ${calls} GetFlows call(s) to Relay; p50 ${ms(st.p50)}, p99 ${ms(st.p99)}`,
    );
  } finally {
    await stack.close();
    await relay.close();
  }
}

export async function runMapSection(): Promise<SectionResult> {
  const lines: string[] = [];
  await mapServerTime(lines);
  await sharedReads(lines);
  if (existsSync('web/dist/main.js')) {
    const gz = gzipSync(readFileSync('web/dist/main.js'), { level: 9 }).length;
    printTable('(h) panel bundle with the map', ['gzip -9', 'budget'], [[bytes(gz), bytes(100_000)]]);
    lines.push(`bundle with the map: ${bytes(gz)} gzip -9 (budget 100,000)`);
  }
  return { name: '(h) service map', lines };
}

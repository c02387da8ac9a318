/**
 * (e) insights: GET /insights/flows?limit=1000 latency against the fake relay, live SSE throughput to 1 and
 * 20 clients from a relay producing 5,000 flows/s (with the process's peak memory), and the summary's latency
 * against a real Prometheus.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../server/log';
import { createSummaryService } from '../../server/features/insights/summary.service';
import type { FakeUser } from '../fakes/console';
import { sampleFlows, spawnFakeRelay, startFakeRelay } from '../fakes/hubble-relay';
import { eventually } from '../support/eventually';
import { PROMETHEUS_BIN, startSummaryRig } from '../support/prometheus';
import { REGION, TEST_USERS, startStack } from '../support/stack';
import {
  bytes,
  count,
  mib,
  ms,
  perSec,
  printTable,
  collectGarbage,
  sampleMemory,
  sseClients,
  stats,
  timeEach,
  type MemoryPeak,
  type SseClientResult,
} from './lib';
import type { SectionResult } from './run';

const FLOW_REQUESTS = 30;
const RATE = 5000;
const STREAM_MS = 5000;
const MANY = 20;
const SUMMARY_CALLS = 20;
const LIVE_TEAM = 'shop';

/** Team (and namespace) of the i-th stream user in the spread run, e.g. "bench-ns-07". */
const spreadTeam = (i: number) => `bench-ns-${String(i + 1).padStart(2, '0')}`;

/**
 * 20 users, each in team "shop" and in a team of its own: the backend allows 3 live streams per user, so 20
 * streams need 20 users.
 */
const STREAM_USERS: FakeUser[] = Array.from({ length: MANY }, (_, i) => ({
  user_id: 100 + i,
  nick_name: `bench-${String(i + 1).padStart(2, '0')}`,
  teams: [
    { team_name: LIVE_TEAM, team_alias: '商城', namespace: LIVE_TEAM, regions: [REGION] },
    { team_name: spreadTeam(i), namespace: spreadTeam(i), regions: [REGION] },
  ],
}));

async function flowsLatency() {
  // 150 rounds × 8 flows per namespace = 1,200 flows of dev-team (and as many of two other namespaces).
  const relay = await startFakeRelay({
    flows: sampleFlows(['dev-team', 'shop', 'other-team'], { rounds: 150 }),
  });
  // FLOWS_CACHE_SECONDS=0: every request asks Relay, so the figure is the query's cost, not the cache's
  const stack = await startStack({ env: { HUBBLE_RELAY_ADDR: relay.address, FLOWS_CACHE_SECONDS: '0' } });
  try {
    const headers = stack.headers();
    const url = stack.api('insights/flows?limit=1000');
    let returned = 0;
    let replyBytes = 0;
    const get = async () => {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET flows answered ${res.status}: ${text.slice(0, 300)}`);
      replyBytes = Buffer.byteLength(text);
      returned = (JSON.parse(text) as { flows?: unknown[] }).flows?.length ?? 0;
    };
    await timeEach(3, get); // warm-up: connection to the relay, JIT
    const times = await timeEach(FLOW_REQUESTS, get, 30_000);
    return { latency: stats(times), returned, replyBytes, relayErrors: relay.errors.length };
  } finally {
    await stack.close();
    await relay.close();
  }
}

interface StreamRun {
  clients: number;
  results: SseClientResult[];
  elapsedSeconds: number;
  memory: MemoryPeak;
  /** Event-loop utilisation of the main thread (the backend's loop) during the run, 0..1. */
  elu: number;
  relay: { produced: number; written: number; lost: number };
}

/**
 * `shared`: every flow is in "shop" and every client watches "shop" (each stream is offered all 5,000/s).
 * `spread`: the flows are spread over 20 namespaces and client i watches namespace i (≈281/s each).
 */
async function liveStreams(mode: 'shared' | 'spread') {
  const relay = await spawnFakeRelay({
    producer: {
      ratePerSecond: RATE,
      namespaces: mode === 'shared' ? [LIVE_TEAM] : STREAM_USERS.map((_, i) => spreadTeam(i)),
    },
    historySize: 5000,
  });
  const stack = await startStack({
    users: [...TEST_USERS, ...STREAM_USERS],
    // the shared run puts all 20 streams in one team, past the default per-team cap of 10
    env: { HUBBLE_RELAY_ADDR: relay.address, SSE_MAX_PER_TEAM: String(MANY) },
  });
  try {
    const urls = STREAM_USERS.map((_, i) =>
      stack.api('insights/flows?follow=true', mode === 'shared' ? LIVE_TEAM : spreadTeam(i)),
    );
    const tokens = STREAM_USERS.map((u) => stack.token(u.nick_name));
    const headersOf = (n: number) => tokens.slice(0, n).map((t) => ({ Authorization: `GRJWT ${t}` }));
    // Identity of every user cached first, so the streams start together.
    for (const h of headersOf(MANY)) {
      const r = await fetch(`${stack.url}/api/v1/teams`, { headers: h });
      await r.body?.cancel();
    }
    collectGarbage();
    const baseline = process.memoryUsage();
    const run = async (clients: number): Promise<StreamRun> => {
      collectGarbage();
      const before = await relay.stats();
      const mem = sampleMemory(100);
      const elu0 = performance.eventLoopUtilization();
      const r = await sseClients({
        urls: urls.slice(0, clients),
        clients: headersOf(clients),
        durationMs: STREAM_MS,
      });
      const elu = performance.eventLoopUtilization(elu0).utilization;
      const memory = mem.stop();
      const after = await relay.stats();
      // The next run starts once the backend noticed the closed streams and cancelled its relay streams; one
      // left open after 5 s is reported (activeAfter), not waited for.
      await eventually(async () => (await relay.stats()).activeStreams === 0, {
        what: 'the relay streams cancelled',
        timeoutMs: 5000,
        intervalMs: 50,
      }).catch(() => undefined);
      return {
        clients,
        ...r,
        memory,
        elu,
        relay: {
          produced: after.produced - before.produced,
          written: after.written - before.written,
          lost: after.lost - before.lost,
        },
      };
    };
    const one = mode === 'shared' ? await run(1) : null;
    const many = await run(MANY);
    const left = await relay.stats();
    return { one, many, baseline, activeAfter: left.activeStreams };
  } finally {
    await stack.close();
    await relay.close();
  }
}

async function summaryLatency() {
  if (!existsSync(PROMETHEUS_BIN))
    return { skipped: `${PROMETHEUS_BIN} not found (apt-get install -y prometheus)` };
  const t0 = performance.now();
  const rig = await startSummaryRig({ namespaces: ['shop', 'other'], seconds: 5 });
  const startMs = performance.now() - t0;
  try {
    const service = createSummaryService({
      getPrometheusUrl: () => rig.prometheus.url,
      getHubbleMetrics: () => rig.hubbleMetrics,
      log: silentLogger,
      cacheTtlMs: 0,
    });
    let valued = 0;
    let cards = 0;
    let reachable = false;
    const call = async () => {
      const s = await service.summary({ namespace: 'shop', window: '5m', locale: 'en' });
      cards = s.cards.length;
      valued = s.cards.filter((c) => c.value !== null).length;
      reachable = s.prometheus.reachable;
    };
    await timeEach(2, call);
    const times = await timeEach(SUMMARY_CALLS, call, 30_000);
    return { latency: stats(times), cards, valued, reachable, startMs };
  } finally {
    await rig.stop();
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function streamRow(r: StreamRun, label: string) {
  const flows = r.results.map((x) => x.flows);
  const rates = flows.map((f) => f / r.elapsedSeconds);
  const lags = stats(r.results.flatMap((x) => x.lags));
  const non200 = r.results.filter((x) => x.status !== 200).length;
  return {
    row: [
      `${r.clients} client${r.clients > 1 ? 's' : ''}`,
      label,
      perSec(sum(rates) / r.results.length, 'flows/s'),
      perSec(Math.min(...rates), 'flows/s'),
      perSec(sum(rates), 'flows/s'),
      count(sum(r.results.map((x) => x.dropped))),
      count(r.relay.lost),
      ms(lags.p50),
      ms(lags.p99),
      mib(r.memory.rss),
      mib(r.memory.heapUsed),
      `${Math.round(r.elu * 100)} %`,
      count(non200),
    ],
    perClient: sum(rates) / r.results.length,
    total: sum(rates),
    errors: r.results.map((x) => x.error).filter((e): e is string => e !== null),
  };
}

export async function runInsightsSection(): Promise<SectionResult> {
  const lines: string[] = [];
  const f = await flowsLatency();
  printTable(
    `(e) GET /api/v1/insights/flows?limit=1000 — ${f.latency.n} sequential requests after 3 warm-up`,
    ['figure', 'value'],
    [
      ['p50', ms(f.latency.p50)],
      ['p99', ms(f.latency.p99)],
      ['max', ms(f.latency.max)],
      ['flows per reply', count(f.returned)],
      ['reply size', bytes(f.replyBytes)],
    ],
    [
      'fake relay (in process, real gRPC) holding 1,200 flows of dev-team among 3,600; the reply is mapped and zod-shaped.',
    ],
  );
  lines.push(
    `flows limit=1000: p50 ${ms(f.latency.p50)}, p99 ${ms(f.latency.p99)} (${f.returned} flows per reply)`,
  );

  const live = await liveStreams('shared');
  const spread = await liveStreams('spread');
  if (!live.one) throw new Error('the shared run measures one client first');
  const a = streamRow(live.one, 'all 5,000/s in one namespace');
  const b = streamRow(live.many, 'all 5,000/s in one namespace');
  const c = streamRow(spread.many, '20 namespaces, ≈281/s each');
  printTable(
    `(e) live flows over SSE — relay producing ${RATE.toLocaleString('en-US')} flows/s (child process), ${STREAM_MS / 1000} s per run`,
    [
      'streams',
      'relay flows',
      'per client',
      'slowest client',
      'total delivered',
      'dropped (SSE)',
      'lost (relay)',
      'lag p50',
      'lag p99',
      'peak RSS',
      'peak heap',
      'backend loop busy',
      'non-200',
    ],
    [a.row, b.row, c.row],
    [
      '"all in one namespace": every stream is offered all 5,000 flows/s (worst case); "20 namespaces": each client watches its own team: 8 own + 1 cross-namespace drop of every 160 flows = ≈281/s (5,625/s offered in all).',
      '"dropped" = flows the backend discarded for a slow reader (reported in `event: dropped`),',
      '"lost" = flows the relay could not write to the backend (full HTTP/2 stream). lag = arrival − flow time, every 10th flow.',
      `memory: process.memoryUsage() of THIS process every 100 ms — the backend, fake console and fake Kubernetes API run in it and the SSE clients in a worker thread of it (RSS includes them; heap is the main thread's); the relay is a child process. Baseline (after a full GC) before the runs: RSS ${mib(live.baseline.rss)}, heap ${mib(live.baseline.heapUsed)} (RSS stays high after earlier sections, e.g. the 31,127-object cluster of (a): compare heap).`,
      '"backend loop busy" = event-loop utilisation of the main thread (where the backend runs) during the run; ~100 % = the backend is the bottleneck.',
      `relay streams still open 5 s after the clients left: ${live.activeAfter + spread.activeAfter}`,
    ],
  );
  for (const e of [...a.errors, ...b.errors, ...c.errors].slice(0, 3))
    process.stdout.write(`  stream error: ${e}\n`);
  lines.push(
    `live SSE: 1 client ${perSec(a.perClient, 'flows/s')}; ${MANY} clients ${perSec(b.perClient, 'flows/s')} each, ` +
      `${perSec(b.total, 'flows/s')} total (same namespace); 20 clients over 20 namespaces ${perSec(c.total, 'flows/s')} ` +
      `total of 5,625 offered; peak RSS ${mib(Math.max(live.many.memory.rss, spread.many.memory.rss))}, ` +
      `heap ${mib(Math.max(live.many.memory.heapUsed, spread.many.memory.heapUsed))}`,
  );

  const s = await summaryLatency();
  if ('skipped' in s) {
    process.stdout.write(`\n## (e) summary latency\n  skipped: ${s.skipped}\n`);
    lines.push(`summary: skipped (${s.skipped})`);
  } else {
    printTable(
      `(e) summary against a real Prometheus (${PROMETHEUS_BIN}, 1 s scrapes), cacheTtlMs 0 — ${s.latency.n} sequential calls`,
      ['figure', 'value'],
      [
        ['p50', ms(s.latency.p50)],
        ['p99', ms(s.latency.p99)],
        ['max', ms(s.latency.max)],
        ['cards with a value', `${s.valued} of ${s.cards}`],
        ['prometheus reachable', String(s.reachable)],
        ['rig start (exporter + Prometheus + 6 s of data)', ms(s.startMs)],
      ],
      [
        'createSummaryService called directly (no HTTP), namespace "shop", window 5m; every call runs all card queries.',
      ],
    );
    lines.push(
      `summary: p50 ${ms(s.latency.p50)}, p99 ${ms(s.latency.p99)} (${s.valued}/${s.cards} cards with data)`,
    );
  }
  return { name: '(e) insights', lines };
}

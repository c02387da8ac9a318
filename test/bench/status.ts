/** (a) GET /api/v1/status under 50 keep-alive clients: a 1,000-node / 30,000-pod cluster vs a 10-pod one. */
import type { KubeObject } from '../fakes/kube-api';
import { fixtures } from '../fixtures/cluster';
import { namespace, pod } from '../fixtures/cluster/builders';
import { startStack, type Stack } from '../support/stack';
import { count, httpLoad, mib, ms, perSec, printTable, ratio, stats, type Stats } from './lib';
import type { SectionResult } from './run';

const CONCURRENCY = 50;
/** Per round, before measuring: the worker's connections open and the JIT warms. */
const WARMUP_MS = 1500;
const ROUND_MS = 3000;
const ROUNDS = 2;

/** Cilium 1.17 + monitoring + the team namespace with 10 pods. */
function smallCluster(): KubeObject[] {
  return [
    ...fixtures.cilium117(),
    namespace('dev-team'),
    ...Array.from({ length: 10 }, (_, i) =>
      pod('dev-team', `api-${i}`, 'kind-worker', { app: 'api' }, 'registry.example.com/api:1.0'),
    ),
  ];
}

interface Target {
  label: string;
  objects: number;
  bodyBytes: number;
  syncMs: number;
  rssAfterSync: number;
  stack: Stack;
  url: string;
  headers: Record<string, string>;
}

interface Run {
  label: string;
  objects: number;
  bodyBytes: number;
  syncMs: number;
  rssAfterSync: number;
  latency: Stats;
  rps: number;
  /** Throughput of each round, req/s. */
  rounds: number[];
  failed: number;
  statuses: Record<string, number>;
  consoleCalls: number;
}

async function start(label: string, objects: KubeObject[]): Promise<Target> {
  const t0 = performance.now();
  const stack = await startStack({ objects });
  const syncMs = performance.now() - t0;
  const url = stack.api('status');
  // One JWT for the whole run: the identity cache is keyed by it.
  const headers = stack.headers();
  const first = await fetch(url, { headers });
  const body = await first.text();
  if (first.status !== 200) throw new Error(`GET /status answered ${first.status}: ${body.slice(0, 300)}`);
  return {
    label,
    objects: objects.length,
    bodyBytes: Buffer.byteLength(body),
    syncMs,
    rssAfterSync: process.memoryUsage().rss,
    stack,
    url,
    headers,
  };
}

/** Alternates the clusters round by round (small, big, small, big) so drift on a shared machine hits both. */
async function measure(targets: Target[]): Promise<Run[]> {
  const acc = targets.map(() => ({
    latencies: [] as number[],
    ok: 0,
    seconds: 0,
    rounds: [] as number[],
    failed: 0,
    statuses: {} as Record<string, number>,
    calls: 0,
  }));
  // JIT warm-up of the backend's request path, discarded: otherwise the first cluster measured pays for it.
  const jit = targets[0];
  if (jit)
    await httpLoad({
      url: jit.url,
      headers: jit.headers,
      concurrency: CONCURRENCY,
      warmupMs: 0,
      durationMs: 2000,
    });
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, t] of targets.entries()) {
      const a = acc[i] as (typeof acc)[number];
      const callsBefore = t.stack.console.calls.length;
      const r = await httpLoad({
        url: t.url,
        headers: t.headers,
        concurrency: CONCURRENCY,
        warmupMs: WARMUP_MS,
        durationMs: ROUND_MS,
      });
      a.calls += t.stack.console.calls.length - callsBefore;
      for (const v of r.latencies) a.latencies.push(v);
      a.ok += r.ok;
      a.seconds += r.elapsedSeconds;
      a.rounds.push(r.ok / r.elapsedSeconds);
      a.failed += r.failed;
      for (const [k, n] of Object.entries(r.statuses)) a.statuses[k] = (a.statuses[k] ?? 0) + n;
    }
  }
  return targets.map((t, i) => {
    const a = acc[i] as (typeof acc)[number];
    return {
      label: t.label,
      objects: t.objects,
      bodyBytes: t.bodyBytes,
      syncMs: t.syncMs,
      rssAfterSync: t.rssAfterSync,
      latency: stats(a.latencies),
      rps: a.ok / a.seconds,
      rounds: a.rounds,
      failed: a.failed,
      statuses: a.statuses,
      consoleCalls: a.calls,
    };
  });
}

export async function runStatusSection(): Promise<SectionResult> {
  const targets: Target[] = [];
  let small: Run;
  let big: Run;
  try {
    targets.push(await start('10 pods (cilium117 + 10)', smallCluster()));
    targets.push(
      await start(
        '1,000 nodes / 30,000 pods',
        fixtures.bigCluster({ nodes: 1000, pods: 30000 }).concat([namespace('dev-team')]),
      ),
    );
    [small, big] = (await measure(targets)) as [Run, Run];
  } finally {
    for (const t of targets) await t.stack.close();
  }
  const runs = [small, big];
  printTable(
    `(a) GET /api/v1/status — ${CONCURRENCY} keep-alive clients, ${ROUNDS} alternating rounds of ${WARMUP_MS / 1000} s warm-up + ${ROUND_MS / 1000} s measured per cluster`,
    [
      'cluster',
      'objects',
      'reply size',
      'start+sync',
      'p50',
      'p99',
      'max',
      'throughput',
      'per round',
      'non-200',
      'console calls',
      'RSS after sync',
    ],
    runs.map((r) => [
      r.label,
      count(r.objects),
      count(r.bodyBytes, 'B'),
      ms(r.syncMs),
      ms(r.latency.p50),
      ms(r.latency.p99),
      ms(r.latency.max),
      perSec(r.rps),
      r.rounds.map((x) => count(x)).join(' / '),
      count(r.failed),
      count(r.consoleCalls),
      mib(r.rssAfterSync),
    ]),
    [
      'the console registration read (GET groups/components) is cached per team for 3 s and the identity',
      '(GET /console/users/details) for 10 s (AUTH_CACHE_SECONDS), so a run reaches the console only every few seconds (column "console calls");',
      'a discarded 2 s load on the small cluster warms the JIT first. This measures the backend, not the console. Client: a worker thread in this process (own event loop), node:http Agent keep-alive.',
    ],
  );
  const rpsRatio = big.rps / small.rps;
  const p50Ratio = big.latency.p50 / small.latency.p50;
  const p99Ratio = big.latency.p99 / small.latency.p99;
  printTable(
    '(a) ratio big / small (≈1 means the cost does not grow with cluster size)',
    ['figure', 'big / small'],
    [
      ['p50 latency', ratio(p50Ratio)],
      ['p99 latency', ratio(p99Ratio)],
      ['throughput', ratio(rpsRatio)],
      ['throughput, per round', small.rounds.map((x, i) => ratio((big.rounds[i] ?? NaN) / x)).join(' / ')],
    ],
  );
  for (const r of runs)
    if (r.failed > 0) process.stdout.write(`  WARNING ${r.label}: statuses ${JSON.stringify(r.statuses)}\n`);
  return {
    name: '(a) status',
    lines: [
      `small: p50 ${ms(small.latency.p50)}, p99 ${ms(small.latency.p99)}, ${perSec(small.rps)}`,
      `big:   p50 ${ms(big.latency.p50)}, p99 ${ms(big.latency.p99)}, ${perSec(big.rps)}`,
      `big/small: p50 ${ratio(p50Ratio)}, p99 ${ratio(p99Ratio)}, throughput ${ratio(rpsRatio)}`,
    ],
  };
}

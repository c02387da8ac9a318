/** (a) GET /api/v1/status under 50 keep-alive clients: a 1,000-node / 30,000-pod cluster vs a 10-pod one. */
import type { KubeObject } from '../fakes/kube-api';
import { fixtures } from '../fixtures/cluster';
import { namespace, pod } from '../fixtures/cluster/builders';
import { startStack } from '../support/stack';
import { count, httpLoad, mib, ms, perSec, printTable, ratio, stats, type Stats } from './lib';
import type { SectionResult } from './run';

const CONCURRENCY = 50;
const WARMUP_MS = 2000;
const DURATION_MS = 5000;

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

interface Run {
  label: string;
  objects: number;
  syncMs: number;
  latency: Stats;
  rps: number;
  failed: number;
  statuses: Record<string, number>;
  consoleCalls: number;
  rssAfterSync: number;
}

async function measure(label: string, objects: KubeObject[]): Promise<Run> {
  const t0 = performance.now();
  const stack = await startStack({ objects });
  const syncMs = performance.now() - t0;
  try {
    const url = stack.api('status');
    // One JWT for the whole run: the identity cache is keyed by it.
    const headers = stack.headers();
    const first = await fetch(url, { headers });
    if (first.status !== 200) throw new Error(`GET /status answered ${first.status}: ${await first.text()}`);
    await first.body?.cancel();
    const rssAfterSync = process.memoryUsage().rss;
    const callsBefore = stack.console.calls.length;
    const r = await httpLoad({
      url,
      headers,
      concurrency: CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
    });
    return {
      label,
      objects: objects.length,
      syncMs,
      latency: stats(r.latencies),
      rps: r.ok / r.elapsedSeconds,
      failed: r.failed,
      statuses: r.statuses,
      consoleCalls: stack.console.calls.length - callsBefore,
      rssAfterSync,
    };
  } finally {
    await stack.close();
  }
}

export async function runStatusSection(): Promise<SectionResult> {
  const small = await measure('10 pods (cilium117 + 10)', smallCluster());
  const big = await measure(
    '1,000 nodes / 30,000 pods',
    fixtures.bigCluster({ nodes: 1000, pods: 30000 }).concat([namespace('dev-team')]),
  );
  const runs = [small, big];
  printTable(
    '(a) GET /api/v1/status — 50 keep-alive clients, 2 s warm-up + 5 s measured',
    [
      'cluster',
      'objects',
      'start+sync',
      'p50',
      'p99',
      'max',
      'throughput',
      'non-200',
      'console calls',
      'RSS after sync',
    ],
    runs.map((r) => [
      r.label,
      count(r.objects),
      ms(r.syncMs),
      ms(r.latency.p50),
      ms(r.latency.p99),
      ms(r.latency.max),
      perSec(r.rps),
      count(r.failed),
      count(r.consoleCalls),
      mib(r.rssAfterSync),
    ]),
    [
      'the console registration read (GET groups/components) is cached per team for 3 s and the identity',
      '(GET /console/users/details) for 10 s (AUTH_CACHE_SECONDS), so a 6 s run reaches the console only a few times (column "console calls");',
      'this measures the backend, not the console. Client: a worker thread in this process (own event loop), node:http Agent keep-alive.',
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

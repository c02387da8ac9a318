/**
 * (b) wall time to register all three tools at once vs one tool, with 20 ms added to every console call;
 * (c) console calls per registration (first, repeat), from the fake console's call log.
 */
import type { RecordedCall } from '../fakes/console';
import { startStack, type Stack } from '../support/stack';
import { count, median, ms, printTable, ratio, sleep } from './lib';
import type { SectionResult } from './run';

const TOOLS = ['hubble-ui', 'grafana', 'prometheus'] as const;
const LATENCY_MS = 20;
const RUNS = 3;

/** `headers` minted once per stack: the identity cache is keyed by the JWT, and a JWT minted a second later differs. */
async function register(s: Stack, headers: Record<string, string>, tool: string): Promise<void> {
  const res = await fetch(s.api(`tools/${tool}/registration`), {
    method: 'POST',
    headers,
    body: '{}',
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  if (res.status !== 200)
    throw new Error(`POST ${tool}/registration answered ${res.status}: ${text.slice(0, 300)}`);
}

/** A fresh stack; the identity is cached first (GET /teams) so only the registration itself is timed. */
async function timedRegistration(tools: readonly string[]): Promise<{ ms: number; calls: number }> {
  const s = await startStack({ console: { latencyMs: LATENCY_MS } });
  try {
    const headers = s.headers('root');
    const warm = await fetch(`${s.url}/api/v1/teams`, { headers });
    await warm.body?.cancel();
    const before = s.console.calls.length;
    const t0 = performance.now();
    await Promise.all(tools.map((t) => register(s, headers, t)));
    const elapsed = performance.now() - t0;
    return { ms: elapsed, calls: s.console.calls.length - before };
  } finally {
    await s.close();
  }
}

const isMutating = (c: RecordedCall) => c.method !== 'GET';
/** "/console/teams/dev-team/apps/grabc/ports/8081" → "PUT teams/:team/apps/:alias/ports/:port". */
const shape = (c: RecordedCall) =>
  `${c.method} ${c.path
    .replace(/^\/console\//, '')
    .replace(/^teams\/[^/]+/, 'teams/:team')
    .replace(/\/apps\/[^/]+/, '/apps/:alias')
    .replace(/\/groups\/\d+/, '/groups/:id')
    .replace(/\/ports\/\d+/, '/ports/:port')}`;

function describeCalls(calls: RecordedCall[]) {
  const byShape = new Map<string, number>();
  for (const c of calls) byShape.set(shape(c), (byShape.get(shape(c)) ?? 0) + 1);
  return {
    total: calls.length,
    mutating: calls.filter(isMutating).length,
    reading: calls.filter((c) => !isMutating(c)).length,
    failed: calls.filter((c) => c.status >= 400).length,
    shapes: [...byShape].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', '),
  };
}

async function callCounts() {
  const s = await startStack();
  try {
    const headers = s.headers('root');
    const warm = await fetch(`${s.url}/api/v1/teams`, { headers });
    await warm.body?.cancel();
    const slice = async (fn: () => Promise<unknown>) => {
      const before = s.console.calls.length;
      await fn();
      return describeCalls(s.console.calls.slice(before));
    };
    const first = await slice(() => register(s, headers, 'hubble-ui'));
    const repeat = await slice(() => register(s, headers, 'hubble-ui'));
    // Past the 3 s registration-read cache: what a user clicking again later costs.
    await sleep(3500);
    const repeatCold = await slice(() => register(s, headers, 'hubble-ui'));
    const allThree = await slice(() =>
      Promise.all(['grafana', 'prometheus'].map((t) => register(s, headers, t))),
    );
    return { first, repeat, repeatCold, allThree, unknown: s.console.unknownRequests.length };
  } finally {
    await s.close();
  }
}

export async function runRegistrationSection(): Promise<SectionResult> {
  const one: { ms: number; calls: number }[] = [];
  const three: { ms: number; calls: number }[] = [];
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < RUNS && Date.now() < deadline; i++) {
    one.push(await timedRegistration(['hubble-ui']));
    three.push(await timedRegistration(TOOLS));
  }
  const oneMs = median(one.map((r) => r.ms));
  const threeMs = median(three.map((r) => r.ms));
  const r = threeMs / oneMs;
  printTable(
    `(b) registration wall time, ${LATENCY_MS} ms added to every console call, fresh stack per run, median of ${one.length}`,
    ['registering', 'median', 'runs', 'console calls (median)', 'serial console time'],
    [
      [
        'one tool (hubble-ui)',
        ms(oneMs),
        one.map((x) => ms(x.ms)).join(' / '),
        count(median(one.map((x) => x.calls))),
        ms(median(one.map((x) => x.calls)) * LATENCY_MS),
      ],
      [
        'three tools at once',
        ms(threeMs),
        three.map((x) => ms(x.ms)).join(' / '),
        count(median(three.map((x) => x.calls))),
        ms(median(three.map((x) => x.calls)) * LATENCY_MS),
      ],
      ['ratio three / one', ratio(r), '', '', ''],
    ],
    [
      '"serial console time" = calls × 20 ms, what the calls would cost one after another; a ratio well below 3 means the tools proceed in parallel.',
      'the identity (GET /console/users/details) is cached before timing (GET /api/v1/teams), so it is not in the figures.',
    ],
  );

  const c = await callCounts();
  const row = (label: string, d: ReturnType<typeof describeCalls>) => [
    label,
    count(d.total),
    count(d.mutating),
    count(d.reading),
    count(d.failed),
  ];
  printTable(
    '(c) console calls per registration (fake console call log, no added latency)',
    ['registration', 'total', 'mutating', 'reading', 'answered ≥400'],
    [
      row('first (hubble-ui)', c.first),
      row('repeat, immediately', c.repeat),
      row('repeat, after 3.5 s (read cache expired)', c.repeatCold),
      row('grafana + prometheus at once', c.allThree),
    ],
    [
      `first: ${c.first.shapes}`,
      `repeat: ${c.repeat.shapes || '(none)'}`,
      `repeat after 3.5 s: ${c.repeatCold.shapes || '(none)'}`,
      `unknown requests seen by the fake console: ${c.unknown}`,
    ],
  );
  return {
    name: '(b)(c) registration',
    lines: [
      `one tool ${ms(oneMs)}, three at once ${ms(threeMs)}, ratio ${ratio(r)} (20 ms per console call)`,
      `console calls: first ${c.first.total} (${c.first.mutating} mutating / ${c.first.reading} reading), ` +
        `repeat ${c.repeat.total} (${c.repeat.mutating}/${c.repeat.reading}), ` +
        `repeat after cache ${c.repeatCold.total} (${c.repeatCold.mutating}/${c.repeatCold.reading})`,
    ],
  };
}

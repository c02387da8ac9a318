/**
 * Small shared helpers of the benchmark: percentiles, tables, a memory sampler and load generators that run
 * in a worker thread (their own event loop, so the client side does not steal the backend's loop).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Nearest-rank percentile of an ascending array, e.g. pct(sorted, 0.99); NaN when empty. */
export function pct(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

export function median(values: number[]): number {
  return pct(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export function stats(values: ArrayLike<number>): Stats {
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  return {
    n: s.length,
    p50: pct(s, 0.5),
    p99: pct(s, 0.99),
    min: s.length ? (s[0] as number) : NaN,
    max: s.length ? (s[s.length - 1] as number) : NaN,
    mean: s.length ? sum / s.length : NaN,
  };
}

/** Runs `fn` `times` times one after another and returns the durations in ms (stops early past `budgetMs`). */
export async function timeEach(
  times: number,
  fn: (i: number) => Promise<unknown>,
  budgetMs = 30_000,
): Promise<number[]> {
  const out: number[] = [];
  const deadline = Date.now() + budgetMs;
  for (let i = 0; i < times && Date.now() < deadline; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

// ---- formatting -----------------------------------------------------------------------------------------

const fixed = (v: number, digits: number) =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
/** e.g. ms(1.234) → "1.23 ms". */
export const ms = (v: number) => `${fixed(v, v < 10 ? 2 : 1)} ms`;
export const perSec = (v: number, unit = 'req/s') => `${fixed(Math.round(v), 0)} ${unit}`;
export const ratio = (v: number) => `${fixed(v, 2)}×`;
export const count = (v: number, unit = '') => `${fixed(v, 0)}${unit ? ` ${unit}` : ''}`;
/** e.g. bytes(95_511) → "95,511 B (95.5 kB)". */
export const bytes = (v: number) => `${fixed(v, 0)} B (${fixed(v / 1000, 1)} kB)`;
export const mib = (v: number) => `${fixed(v / 1024 / 1024, 1)} MiB`;

/** Prints a titled table with aligned columns (numbers right-aligned). */
export function printTable(title: string, head: string[], rows: (string | number)[][], notes: string[] = []) {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const numeric = (s: string) => /^[-\d.,]+/.test(s) || s === 'n/a';
  const line = (r: string[], isHead = false) =>
    r
      .map((v, c) => {
        const w = widths[c] ?? 0;
        return !isHead && c > 0 && numeric(v) ? v.padStart(w) : v.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  const out = [`\n## ${title}`, line(head, true), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of cells.slice(1)) out.push(line(r));
  for (const n of notes) out.push(`  note: ${n}`);
  process.stdout.write(out.join('\n') + '\n');
}

// ---- memory ---------------------------------------------------------------------------------------------

export interface MemoryPeak {
  rss: number;
  heapUsed: number;
  samples: number;
}

let gcFn: (() => void) | null = null;
/** Full GC (so baselines are not inflated by garbage of earlier sections); the script runs without --expose-gc. */
export function collectGarbage(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

/** Samples process.memoryUsage() every `everyMs` until stop(); returns the peaks. */
export function sampleMemory(everyMs = 100): { stop(): MemoryPeak } {
  const peak: MemoryPeak = { rss: 0, heapUsed: 0, samples: 0 };
  const take = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.samples++;
  };
  take();
  const t = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(t);
      take();
      return { ...peak };
    },
  };
}

// ---- load generators (worker thread) ----------------------------------------------------------------------

/** Worker source (plain JS): HTTP keep-alive load loop and SSE readers, driven by one message. */
const WORKER_JS = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');

function load(o) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const lat = [];
  let ok = 0, failed = 0, measuring = false, stop = false;
  const statuses = {};
  const t0 = Date.now();
  let measureStart = 0;
  const one = () => new Promise((resolve) => {
    const s = process.hrtime.bigint();
    const req = http.get(o.url, { agent, headers: o.headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        const d = Number(process.hrtime.bigint() - s) / 1e6;
        if (measuring) {
          statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
          if (res.statusCode === 200) { ok++; lat.push(d); } else failed++;
        }
        resolve();
      });
    });
    req.on('error', () => { if (measuring) failed++; resolve(); });
  });
  const clientLoop = async () => { while (!stop) await one(); };
  setTimeout(() => { measuring = true; measureStart = Date.now(); }, o.warmupMs);
  setTimeout(() => { stop = true; }, o.warmupMs + o.durationMs);
  return Promise.all(Array.from({ length: o.concurrency }, clientLoop)).then(() => {
    const elapsed = (Date.now() - measureStart) / 1000;
    agent.destroy();
    return { latencies: Float64Array.from(lat), ok, failed, statuses, elapsedSeconds: elapsed, totalSeconds: (Date.now() - t0) / 1000 };
  });
}

function sseOne(url, headers, durationMs) {
  return new Promise((resolve) => {
    const r = { status: 0, flows: 0, dropped: 0, lost: 0, bytes: 0, lags: [], error: null };
    let buf = '';
    let n = 0;
    const req = http.get(url, { headers: Object.assign({ accept: 'text/event-stream' }, headers) }, (res) => {
      r.status = res.statusCode || 0;
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        r.bytes += Buffer.byteLength(chunk);
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (block.startsWith('event: flow\n')) {
            r.flows++;
            // lag (now - flow.time) on every 10th flow: cheap enough at thousands/s
            if (n++ % 10 === 0) {
              const m = /"time":"([^"]+)"/.exec(block);
              const t = m ? Date.parse(m[1]) : NaN;
              if (Number.isFinite(t)) r.lags.push(Date.now() - t);
            }
          } else if (block.startsWith('event: dropped\n') || block.startsWith('event: lost\n')) {
            const m = /"count":(\d+)/.exec(block);
            const c = m ? Number(m[1]) : 0;
            if (block.startsWith('event: dropped')) r.dropped += c; else r.lost += c;
          } else if (block.startsWith('event: error\n')) r.error = block.slice(0, 300);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', (e) => { r.error = String(e); });
    setTimeout(() => { req.destroy(); resolve(r); }, durationMs);
  });
}

async function sse(o) {
  const started = Date.now();
  const results = await Promise.all(o.clients.map((headers, i) => sseOne(o.urls[i], headers, o.durationMs)));
  return { results, elapsedSeconds: (Date.now() - started) / 1000 };
}

const job = workerData;
(job.kind === 'load' ? load(job) : sse(job)).then((r) => parentPort.postMessage(r));
`;

function runWorker<T>(job: Record<string, unknown>, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_JS, { eval: true, workerData: job });
    const timer = setTimeout(() => {
      void w.terminate();
      reject(new Error(`bench worker did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    w.once('message', (m: T) => {
      clearTimeout(timer);
      void w.terminate().then(() => resolve(m));
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export interface LoadResult {
  latencies: Float64Array;
  ok: number;
  failed: number;
  /** Status code → count during the measured window. */
  statuses: Record<string, number>;
  elapsedSeconds: number;
}

/** GETs `url` from `concurrency` keep-alive clients for warmupMs + durationMs; only the second part counts. */
export function httpLoad(o: {
  url: string;
  headers: Record<string, string>;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}): Promise<LoadResult> {
  return runWorker<LoadResult>({ kind: 'load', ...o }, o.warmupMs + o.durationMs + 15_000);
}

export interface SseClientResult {
  status: number;
  flows: number;
  dropped: number;
  lost: number;
  bytes: number;
  /** ms between a flow's time and its arrival, sampled every 10th flow. */
  lags: number[];
  error: string | null;
}

/** Opens one SSE connection per header set (client i reads urls[i]) at once, reads for durationMs, counts `event: flow` frames. */
export function sseClients(o: {
  urls: string[];
  clients: Record<string, string>[];
  durationMs: number;
}): Promise<{ results: SseClientResult[]; elapsedSeconds: number }> {
  return runWorker({ kind: 'sse', ...o }, o.durationMs + 15_000);
}

/**
 * (g) The authenticating gateway listener vs straight to the tool, and the same through references: each proxy
 * library alone (undici, which the gateway uses for HTTP, and http-proxy-3; no session, no header rules)
 * and a raw TCP relay (no HTTP parsing: the floor of any user-space proxy here). Every party is its own process —
 * the tool, the gateway (the whole backend), the references and the load generator (Debian's wrk and curl when
 * installed, else a Node client process) — so none shares an event loop or a V8 heap with another; the figures
 * include what one more busy process costs on this machine's cores, which is why the CPU time of each process per
 * request is printed beside them.
 *
 * GET, 50 keep-alive clients, closed loop: /tiny (20 B, pure per-request cost), /asset (Prometheus UI's graph JS,
 * what a browser loads), /think (a 2 KB answer after 5 ms upstream work). Then one 256 MiB streamed download.
 * Each path runs in alternating order in every round; the figures are medians over the rounds. BENCH_G_CASES picks
 * cases (tiny,asset,think,stream), BENCH_G_ROUNDS the rounds, BENCH_PROF_DIR profiles the gateway (--cpu-prof),
 * BENCH_GATEWAY_NODE_ARGS passes Node flags to it, BENCH_DEBUG=1 prints wrk's figures and the first non-200 answers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, ms, perSec, printTable, ratio } from './lib';
import type { SectionResult } from './run';

const CONCURRENCY = 50;
const WARMUP_MS = 1000;
const ROUND_MS = 2000;
const ROUNDS = Number(process.env.BENCH_G_ROUNDS ?? 3);
const STREAM_MIB = 256;
const STREAM_ROUNDS = Number(process.env.BENCH_G_ROUNDS ?? 3);
const AIM_GET = 1.3;
const AIM_STREAM = 0.8;

const PROC = join(fileURLToPath(new URL('.', import.meta.url)), 'proc');
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p)) ?? null;
const CURL = ['/usr/bin/curl', '/usr/local/bin/curl'].find((p) => existsSync(p)) ?? null;
const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

// ---- child processes ------------------------------------------------------------------------------------

interface Child<T> {
  pid: number;
  info: T;
  stop(): Promise<void>;
}

/** Starts proc/<name>.ts in its own Node process (tsx); resolves with what it reports ready. */
function startChild<T>(
  name: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Child<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(PROC, `${name}.ts`)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.once('exit', (code) =>
      reject(new Error(`bench process ${name} exited (${code}) before it was ready`)),
    );
    child.on('message', (m: { ready?: T }) => {
      if (!m.ready) return;
      resolve({
        pid: child.pid ?? 0,
        info: m.ready,
        async stop() {
          if (child.exitCode === null && child.connected) child.send('stop');
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}

/** CPU seconds (user + system, all threads) a live process has used so far. */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}

/** Runs `argv` under bash and returns its output and the CPU seconds it used (bash's `times` for children). */
function runMeasured(argv: string[]): Promise<{ out: string; cpuSeconds: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      'bash',
      ['-c', '"$@"; rc=$?; echo; echo BENCH_TIMES; times; exit $rc', 'bench', ...argv],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    p.once('error', reject);
    p.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${argv[0]} exited ${code}: ${out.slice(-500)}`));
      // `times`: the shell's user/sys, then its children's, e.g. "0m1.234s 0m0.567s"
      const kids = out.split('BENCH_TIMES')[1]?.trim().split('\n')[1] ?? '';
      const secs = [...kids.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
        (a, m) => a + Number(m[1]) * 60 + Number(m[2]),
        0,
      );
      resolve({ out, cpuSeconds: secs });
    });
  });
}

// ---- load -----------------------------------------------------------------------------------------------

interface Target {
  url: string;
  /** Capitalized names: wrk adds its own "Host" unless one of exactly that name is given. */
  headers: Record<string, string>;
}
interface LoadFigures {
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  seconds: number;
  clientCpu: number;
}

const WRK_LUA = `${
  process.env.BENCH_DEBUG
    ? `local shown = 0
response = function(status, headers, body)
  if status ~= 200 and shown < 2 then
    shown = shown + 1
    io.stderr:write("non-200: " .. status .. " " .. string.sub(body or "", 1, 300) .. "\\n")
  end
end
`
    : ''
}done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_WRK {"p50":%d,"p99":%d,"requests":%d,"duration":%d,"failed":%d,"why":"connect %d, read %d, write %d, status %d, timeout %d"}\\n',
    latency:percentile(50), latency:percentile(99), summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout, e.connect, e.read, e.write, e.status, e.timeout))
end
`;

function headerArgs(h: Record<string, string>): string[] {
  return Object.entries(h).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
}

async function load(t: Target, durationMs: number, luaPath: string): Promise<LoadFigures> {
  if (WRK) {
    const { out, cpuSeconds } = await runMeasured([
      WRK,
      '-t2',
      `-c${CONCURRENCY}`,
      `-d${Math.round(durationMs / 1000)}s`,
      '-s',
      luaPath,
      ...headerArgs(t.headers),
      t.url,
    ]);
    const line = /BENCH_WRK (\{.*\})/.exec(out)?.[1];
    if (!line) throw new Error(`wrk printed no figures: ${out.slice(-500)}`);
    if (process.env.BENCH_DEBUG) process.stderr.write(`${t.url}: ${line}\n`);
    const r = JSON.parse(line) as {
      p50: number;
      p99: number;
      requests: number;
      duration: number;
      failed: number;
    };
    return {
      p50: r.p50 / 1000,
      p99: r.p99 / 1000,
      ok: r.requests - r.failed,
      failed: r.failed,
      seconds: r.duration / 1e6,
      clientCpu: cpuSeconds,
    };
  }
  const c = await startChild<{
    p50: number;
    p99: number;
    ok: number;
    failed: number;
    seconds: number;
    cpuSeconds: number;
  }>('load', { BENCH_JOB: JSON.stringify({ kind: 'load', ...t, concurrency: CONCURRENCY, durationMs }) });
  await c.stop();
  return { ...c.info, clientCpu: c.info.cpuSeconds };
}

async function download(t: Target): Promise<{ bytes: number; seconds: number; clientCpu: number }> {
  if (CURL) {
    const { out, cpuSeconds } = await runMeasured([
      CURL,
      '-s',
      '-o',
      '/dev/null',
      '-w',
      'BENCH_CURL %{http_code} %{size_download} %{time_total}',
      ...headerArgs(t.headers),
      t.url,
    ]);
    const [, status, bytes, seconds] = /BENCH_CURL (\d+) (\d+) ([\d.]+)/.exec(out) ?? [];
    if (status !== '200') throw new Error(`download from ${t.url}: status ${status}`);
    return { bytes: Number(bytes), seconds: Number(seconds), clientCpu: cpuSeconds };
  }
  const c = await startChild<{ status: number; bytes: number; seconds: number; cpuSeconds: number }>('load', {
    BENCH_JOB: JSON.stringify({ kind: 'download', ...t }),
  });
  await c.stop();
  if (c.info.status !== 200) throw new Error(`download from ${t.url}: status ${c.info.status}`);
  return { ...c.info, clientCpu: c.info.cpuSeconds };
}

// ---- the section ----------------------------------------------------------------------------------------

type PathKey = 'direct' | 'gateway' | 'undici' | 'httpProxy3' | 'tcp';
const PATHS: PathKey[] = ['direct', 'gateway', 'undici', 'httpProxy3', 'tcp'];
const PATH_LABEL: Record<PathKey, string> = {
  direct: 'direct',
  gateway: 'through gateway',
  undici: 'bare undici',
  httpProxy3: 'bare http-proxy-3',
  tcp: 'raw TCP relay',
};
const noRuns = (): Record<PathKey, Run[]> => ({
  direct: [],
  gateway: [],
  undici: [],
  httpProxy3: [],
  tcp: [],
});

interface Run {
  p50: number;
  p99: number;
  rps: number;
  /** CPU µs per request (GET) or CPU s per GiB (stream), per role. */
  client: number;
  proxy: number;
  tool: number;
  /** Cores busy on average over the run (all three roles). */
  cores: number;
  /** Failed requests (errors and non-2xx) in the run. */
  failed: number;
}

const med = (runs: Run[], k: keyof Run) => median(runs.map((r) => r[k]));
const us = (v: number) => `${Math.round(v)} µs`;

export async function runGatewaySection(): Promise<SectionResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'cobs-bench-g-'));
  const lua = join(tmp, 'report.lua');
  writeFileSync(lua, WRK_LUA);
  const profDir = process.env.BENCH_PROF_DIR;
  const picked = (process.env.BENCH_G_CASES ?? 'tiny,asset,think,stream').split(',');
  type ToolInfo = { url: string; sizes: Record<string, number>; asset: string; thinkMs: number };
  const tool = await startChild<ToolInfo>('tool', {});
  const env = { BENCH_UPSTREAM: tool.info.url };
  // BENCH_GATEWAY_NODE_ARGS: extra Node flags for the gateway process, e.g. "--max-semi-space-size=32"
  const gatewayArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const gateway = await startChild<{ url: string; host: string; cookie: string }>('gateway', env, [
    ...gatewayArgs,
    ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
  ]);
  const refs = await startChild<{ undici: string; httpProxy3: string; tcp: string }>('reference', env);
  const proxyPid: Record<PathKey, number | null> = {
    direct: null,
    gateway: gateway.pid,
    undici: refs.pid,
    httpProxy3: refs.pid,
    tcp: refs.pid,
  };
  const base: Record<PathKey, Target> = {
    direct: { url: tool.info.url, headers: {} },
    gateway: { url: gateway.info.url, headers: { Host: gateway.info.host, Cookie: gateway.info.cookie } },
    undici: { url: refs.info.undici, headers: {} },
    httpProxy3: { url: refs.info.httpProxy3, headers: {} },
    tcp: { url: refs.info.tcp, headers: {} },
  };
  const at = (p: PathKey, path: string): Target => ({ url: base[p].url + path, headers: base[p].headers });

  /** One measured run of `measure` on path `p`, with the CPU each role used during it. */
  async function measured<T extends { clientCpu: number; seconds: number }>(
    p: PathKey,
    measure: () => Promise<T>,
  ) {
    const pid = proxyPid[p];
    const before = { tool: cpuOf(tool.pid), proxy: pid ? cpuOf(pid) : 0 };
    const r = await measure();
    const cpu = { tool: cpuOf(tool.pid) - before.tool, proxy: pid ? cpuOf(pid) - before.proxy : 0 };
    return { r, cpu, cores: (r.clientCpu + cpu.tool + cpu.proxy) / r.seconds };
  }

  const lines: string[] = [];
  const loadGen = WRK
    ? `wrk (${WRK}, 2 threads)`
    : 'a Node client process (install Debian’s wrk for a lighter one: apt-get install -y wrk)';
  try {
    const cases = [
      {
        key: 'tiny',
        path: '/tiny',
        label: `tiny answer (${tool.info.sizes.tiny} B): per-request cost alone`,
      },
      {
        key: 'asset',
        path: '/asset',
        label: `UI asset (${(tool.info.sizes.asset ?? 0).toLocaleString('en-US')} B, ${tool.info.asset === 'synthetic' ? 'synthetic JS' : 'Prometheus UI graph JS'})`,
      },
      {
        key: 'think',
        path: '/think',
        label: `query answer (${(tool.info.sizes.think ?? 0).toLocaleString('en-US')} B) after ${tool.info.thinkMs} ms upstream work`,
      },
    ].filter((c) => picked.includes(c.key));
    for (const c of cases) {
      const runs = noRuns();
      for (let round = 0; round < ROUNDS; round++) {
        for (const p of round % 2 ? [...PATHS].reverse() : PATHS) {
          await load(at(p, c.path), WARMUP_MS, lua);
          const { r, cpu, cores } = await measured(p, () => load(at(p, c.path), ROUND_MS, lua));
          const per = (s: number) => (s / Math.max(1, r.ok)) * 1e6;
          runs[p].push({
            p50: r.p50,
            p99: r.p99,
            rps: r.ok / r.seconds,
            client: per(r.clientCpu),
            proxy: per(cpu.proxy),
            tool: per(cpu.tool),
            cores,
            failed: r.failed,
          });
        }
      }
      const d = runs.direct;
      const rows = PATHS.map((p) => {
        const x = runs[p];
        const cpuTotal = med(x, 'client') + med(x, 'proxy') + med(x, 'tool');
        return [
          PATH_LABEL[p],
          ms(med(x, 'p50')),
          ms(med(x, 'p99')),
          perSec(med(x, 'rps')),
          p === 'direct' ? '' : ratio(med(x, 'p50') / med(d, 'p50')),
          p === 'direct' ? '' : ratio(med(x, 'p99') / med(d, 'p99')),
          p === 'direct' ? '' : ratio(med(x, 'rps') / med(d, 'rps')),
          us(med(x, 'client')),
          p === 'direct' ? '' : us(med(x, 'proxy')),
          us(med(x, 'tool')),
          us(cpuTotal),
          med(x, 'cores').toFixed(2),
          x.reduce((a, r) => a + r.failed, 0),
        ];
      });
      const g = runs.gateway;
      const failedAll = PATHS.reduce((a, p) => a + runs[p].reduce((b, r) => b + r.failed, 0), 0);
      const cpuPer = (x: Run[]) => med(x, 'client') + med(x, 'proxy') + med(x, 'tool');
      printTable(
        `(g) GET ${c.path} — ${c.label}; ${CONCURRENCY} keep-alive clients, closed loop, median of ${ROUNDS} × ${ROUND_MS / 1000} s`,
        [
          'path',
          'p50',
          'p99',
          'req/s',
          'p50 ×',
          'p99 ×',
          'req/s ×',
          'CPU/req client',
          'proxy',
          'tool',
          'total',
          'cores busy',
          'failed',
        ],
        rows,
        [
          `aim: p50 through gateway ≤ ${AIM_GET}× direct — ${
            failedAll > 0
              ? `no verdict: ${failedAll} requests failed (their answers count in the latencies)`
              : med(g, 'p50') / med(d, 'p50') <= AIM_GET
                ? 'met'
                : 'not met'
          }`,
          `CPU per request through the gateway / direct: ${ratio(cpuPer(g) / cpuPer(d))}; with the cores saturated a closed loop's latency grows by about that much (Little: p50 ≈ clients / throughput)`,
          `load generator: ${loadGen}`,
        ],
      );
      lines.push(
        `GET ${c.path}: p50 ${ms(med(g, 'p50'))} vs direct ${ms(med(d, 'p50'))} (${ratio(med(g, 'p50') / med(d, 'p50'))}, aim ≤ ${AIM_GET}×), p99 ${ratio(med(g, 'p99') / med(d, 'p99'))}, ${perSec(med(g, 'rps'))} vs ${perSec(med(d, 'rps'))}; undici alone ${ratio(med(runs.undici, 'p50') / med(d, 'p50'))}, http-proxy-3 alone ${ratio(med(runs.httpProxy3, 'p50') / med(d, 'p50'))}, TCP relay ${ratio(med(runs.tcp, 'p50') / med(d, 'p50'))}; gateway CPU ${us(med(g, 'proxy'))}/req`,
      );
    }

    if (picked.includes('stream')) {
      const runs = noRuns();
      for (let round = 0; round < STREAM_ROUNDS; round++) {
        for (const p of round % 2 ? [...PATHS].reverse() : PATHS) {
          const { r, cpu, cores } = await measured(p, () => download(at(p, `/big?mib=${STREAM_MIB}`)));
          if (r.bytes !== STREAM_MIB * 1024 * 1024) throw new Error(`${p} download: ${r.bytes} bytes`);
          const perGiB = (s: number) => s / (r.bytes / 1024 ** 3);
          runs[p].push({
            p50: 0,
            p99: 0,
            rps: r.bytes / 1024 / 1024 / r.seconds,
            client: perGiB(r.clientCpu),
            proxy: perGiB(cpu.proxy),
            tool: perGiB(cpu.tool),
            cores,
            failed: 0,
          });
        }
      }
      const d = runs.direct;
      const g = runs.gateway;
      const s = (v: number) => `${v.toFixed(2)} s`;
      printTable(
        `(g) streamed download of ${STREAM_MIB} MiB, one client, median of ${STREAM_ROUNDS}`,
        ['path', 'MiB/s', 'ratio', 'CPU/GiB client', 'proxy', 'tool', 'cores busy'],
        PATHS.map((p) => [
          PATH_LABEL[p],
          med(runs[p], 'rps').toFixed(0),
          p === 'direct' ? '' : ratio(med(runs[p], 'rps') / med(d, 'rps')),
          s(med(runs[p], 'client')),
          p === 'direct' ? '' : s(med(runs[p], 'proxy')),
          s(med(runs[p], 'tool')),
          med(runs[p], 'cores').toFixed(2),
        ]),
        [
          `aim: ≥ ${AIM_STREAM}× direct — ${med(g, 'rps') / med(d, 'rps') >= AIM_STREAM ? 'met' : 'not met'}`,
          `client: ${CURL ? `curl (${CURL})` : 'a Node client process'}`,
        ],
      );
      lines.push(
        `stream: ${med(g, 'rps').toFixed(0)} vs direct ${med(d, 'rps').toFixed(0)} MiB/s (${ratio(med(g, 'rps') / med(d, 'rps'))}, aim ≥ ${AIM_STREAM}×); undici alone ${ratio(med(runs.undici, 'rps') / med(d, 'rps'))}, http-proxy-3 alone ${ratio(med(runs.httpProxy3, 'rps') / med(d, 'rps'))}, TCP relay ${ratio(med(runs.tcp, 'rps') / med(d, 'rps'))}`,
      );
    }
    return { name: '(g) gateway listener', lines };
  } finally {
    await refs.stop();
    await gateway.stop();
    await tool.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

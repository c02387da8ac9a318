/**
 * (g) The authenticating gateway listener: GET through it (session cookie checked, headers rewritten, proxied by
 * http-proxy-3) vs straight to the tool, 50 keep-alive clients, in alternating rounds — against the real Prometheus
 * (a query, when /usr/bin/prometheus exists) and against a trivial 1 KB responder (pure proxy cost, the worst
 * case) — then one large streamed download through it vs direct. The trivial tool runs in its own worker thread
 * (its own event loop, as a separate process would), the clients in another; the gateway is the backend's.
 */
import { existsSync } from 'node:fs';
import { PROMETHEUS_BIN, startPrometheus, type RunningPrometheus } from '../support/prometheus';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { createProxyServer } from 'http-proxy-3';
import { LaunchResultSchema } from '../../contract';
import { sandboxCluster } from '../fixtures/cluster';
import { gatewayRequest, pluginService, sessionCookieOf, splitUrl } from '../support/gateway';
import { startStack } from '../support/stack';
import { httpLoad, ms, perSec, printTable, ratio, stats } from './lib';
import type { SectionResult } from './run';

const CONCURRENCY = 50;
const WARMUP_MS = 1500;
const ROUND_MS = 3000;
const ROUNDS = 2;
const STREAM_MB = 256;
const STREAM_ROUNDS = 3;

/** A tool in a worker: GET /small → 1 KB JSON; GET /big → STREAM_MB MiB in 64 KiB chunks, as fast as it can. */
const TOOL_JS = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const small = Buffer.from(JSON.stringify({ status: 'success', data: 'x'.repeat(1000) }));
const chunk = Buffer.alloc(64 * 1024, 97);
const server = http.createServer((req, res) => {
  if (req.url === '/small') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': small.length });
    return res.end(small);
  }
  if (req.url === '/big') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let left = workerData.mb * 16;
    const pump = () => { while (left > 0) { left--; if (!res.write(chunk)) return res.once('drain', pump); } res.end(); };
    return pump();
  }
  res.writeHead(404); res.end();
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

/** A download in a worker: bytes and seconds of one GET. */
const DOWNLOAD_JS = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const t0 = process.hrtime.bigint();
let bytes = 0;
http.get(workerData.url, { headers: workerData.headers, agent: false }, (res) => {
  res.on('data', (c) => { bytes += c.length; });
  res.on('end', () => parentPort.postMessage({ status: res.statusCode, bytes, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
}).on('error', (e) => parentPort.postMessage({ status: 0, bytes, seconds: 0, error: String(e) }));
`;

function download(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; bytes: number; seconds: number }>((resolve, reject) => {
    const w = new Worker(DOWNLOAD_JS, { eval: true, workerData: { url, headers } });
    w.once(
      'message',
      (m: { status: number; bytes: number; seconds: number }) => void w.terminate().then(() => resolve(m)),
    );
    w.once('error', reject);
  });
}

/** The library alone, no gateway logic (no session, no header rules): what the proxying itself costs here. */
async function startBareProxy(target: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const proxy = createProxyServer({});
  const server = http.createServer((req, res) => proxy.web(req, res, { target, agent }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}

type Target = { url: string; headers: Record<string, string> };
type Case = { label: string; direct: Target; through: Target; bare: Target };
const KEYS = ['direct', 'through', 'bare'] as const;

/** Alternating rounds direct / through / bare library for one case: latency and throughput of each. */
async function getRounds(c: Case) {
  const lat = { direct: [] as number[], through: [] as number[], bare: [] as number[] };
  const rps = { direct: [] as number[], through: [] as number[], bare: [] as number[] };
  let failed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of KEYS) {
      const r = await httpLoad({
        ...c[key],
        concurrency: CONCURRENCY,
        warmupMs: WARMUP_MS,
        durationMs: ROUND_MS,
      });
      lat[key].push(...r.latencies);
      rps[key].push(r.ok / r.elapsedSeconds);
      failed += r.failed;
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    d: stats(lat.direct),
    g: stats(lat.through),
    b: stats(lat.bare),
    rd: mean(rps.direct),
    rg: mean(rps.through),
    rb: mean(rps.bare),
    failed,
  };
}

export async function runGatewaySection(): Promise<SectionResult> {
  const tool = new Worker(TOOL_JS, { eval: true, workerData: { mb: STREAM_MB } });
  const toolPort = await new Promise<number>((r) => tool.once('message', r));
  const toolUrl = `http://127.0.0.1:${toolPort}`;
  const prometheus: RunningPrometheus | null = existsSync(PROMETHEUS_BIN)
    ? await startPrometheus({ targets: [], scrapeInterval: '15s', waitForScrapes: 0 })
    : null;
  const bareTool = await startBareProxy(toolUrl);
  let bareProm: Awaited<ReturnType<typeof startBareProxy>> | null = null;
  const stack = await startStack({
    objects: [...sandboxCluster(), pluginService()],
    env: {
      // Grafana's upstream is the trivial tool, Prometheus's the real one (or the trivial one without it)
      TOOL_UPSTREAMS: `prometheus=${prometheus?.url ?? toolUrl},grafana=${toolUrl}`,
      SESSION_SECRET: 'bench-session-secret-of-at-least-32-bytes',
      SELF_SERVICE: 'rbd-plugins/cilium-observability',
      LOG_LEVEL: 'error',
    },
  });
  try {
    const h = stack.headers('root');
    /** Registers, protects and launches `id`; the browser's host and session cookie. */
    const sessionFor = async (id: 'grafana' | 'prometheus') => {
      await fetch(stack.api(`tools/${id}/registration`), { method: 'POST', headers: h, body: '{}' });
      await fetch(stack.api(`tools/${id}/access`), { method: 'PUT', headers: h, body: '{"external":true}' });
      const launched = await fetch(stack.api(`tools/${id}/launch`), {
        method: 'POST',
        headers: h,
        body: '{}',
      });
      const { host, path } = splitUrl(LaunchResultSchema.parse(await launched.json()).url);
      const cookie = sessionCookieOf((await gatewayRequest(stack.gatewayUrl, path, { host })).headers);
      if (!cookie) throw new Error(`launching ${id} opened no session`);
      return { host, cookie };
    };
    const trivial = await sessionFor('grafana');
    const cases: Case[] = [
      {
        label: 'trivial 1 KB tool (pure proxy cost)',
        direct: { url: `${toolUrl}/small`, headers: {} },
        through: { url: `${stack.gatewayUrl}/small`, headers: trivial },
        bare: { url: `${bareTool.url}/small`, headers: {} },
      },
    ];
    if (prometheus) {
      const prom = await sessionFor('prometheus');
      bareProm = await startBareProxy(prometheus.url);
      const q = '/api/v1/query?query=vector(1)';
      cases.unshift({
        label: 'real Prometheus, GET /api/v1/query',
        direct: { url: `${prometheus.url}${q}`, headers: {} },
        through: { url: `${stack.gatewayUrl}${q}`, headers: prom },
        bare: { url: `${bareProm.url}${q}`, headers: {} },
      });
    }
    for (const c of cases) {
      const check = await gatewayRequest(
        stack.gatewayUrl,
        new URL(c.through.url).pathname + new URL(c.through.url).search,
        {
          host: c.through.headers.host ?? '',
          headers: { cookie: c.through.headers.cookie ?? '' },
        },
      );
      if (check.status !== 200)
        throw new Error(`${c.label}: GET through the gateway answered ${check.status}`);
    }

    const lines: string[] = [];
    for (const c of cases) {
      const { d, g, b, rd, rg, rb, failed } = await getRounds(c);
      printTable(
        `(g) GET through the gateway listener vs straight to the tool — ${c.label}; ${CONCURRENCY} keep-alive clients, ${ROUNDS} × ${ROUND_MS / 1000} s each`,
        ['path', 'p50', 'p99', 'throughput', 'requests'],
        [
          ['direct', ms(d.p50), ms(d.p99), perSec(rd), d.n],
          ['through gateway', ms(g.p50), ms(g.p99), perSec(rg), g.n],
          ['ratio', ratio(g.p50 / d.p50), ratio(g.p99 / d.p99), ratio(rg / rd), ''],
          ['bare http-proxy-3', ms(b.p50), ms(b.p99), perSec(rb), b.n],
          ['bare ratio', ratio(b.p50 / d.p50), ratio(b.p99 / d.p99), ratio(rb / rd), ''],
        ],
        [
          `failed requests: ${failed}`,
          'aim: p50 ratio ≤ 1.3×',
          'bare = the library alone in this process (no session, no header rules): what proxying itself costs here',
        ],
      );
      lines.push(
        `GET (${c.label}): p50 ${ms(g.p50)} vs direct ${ms(d.p50)} (${ratio(g.p50 / d.p50)}), p99 ${ms(g.p99)} vs ${ms(d.p99)} (${ratio(g.p99 / d.p99)}), ${perSec(rg)} vs ${perSec(rd)}; bare library p50 ${ratio(b.p50 / d.p50)}`,
      );
    }

    // streaming: one client, STREAM_MB MiB from the trivial tool, alternating
    const mbps = { direct: [] as number[], through: [] as number[], bare: [] as number[] };
    for (let i = 0; i < STREAM_ROUNDS; i++) {
      for (const [key, url, headers] of [
        ['direct', `${toolUrl}/big`, {}],
        ['through', `${stack.gatewayUrl}/big`, trivial],
        ['bare', `${bareTool.url}/big`, {}],
      ] as const) {
        const r = await download(url, headers);
        if (r.status !== 200 || r.bytes !== STREAM_MB * 1024 * 1024)
          throw new Error(`${key} download: status ${r.status}, ${r.bytes} bytes`);
        mbps[key].push(r.bytes / 1024 / 1024 / r.seconds);
      }
    }
    const sd = stats(mbps.direct).p50;
    const sg = stats(mbps.through).p50;
    const sb = stats(mbps.bare).p50;
    printTable(
      `(g) streamed download of ${STREAM_MB} MiB, one client, median of ${STREAM_ROUNDS}`,
      ['path', 'throughput'],
      [
        ['direct', `${sd.toFixed(0)} MiB/s`],
        ['through gateway', `${sg.toFixed(0)} MiB/s`],
        ['ratio', ratio(sg / sd)],
        ['bare http-proxy-3', `${sb.toFixed(0)} MiB/s`],
        ['bare ratio', ratio(sb / sd)],
      ],
      ['aim: ≥ 0.8×'],
    );
    lines.push(
      `stream ${sg.toFixed(0)} MiB/s vs direct ${sd.toFixed(0)} MiB/s (${ratio(sg / sd)}); bare library ${ratio(sb / sd)}`,
    );
    return { name: '(g) gateway listener', lines };
  } finally {
    await bareTool.close();
    await bareProm?.close();
    await stack.close();
    await prometheus?.stop();
    tool.postMessage('stop');
    await new Promise((r) => tool.once('exit', r));
  }
}

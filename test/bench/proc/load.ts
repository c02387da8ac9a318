/**
 * (g)'s load generator when Debian's wrk/curl are not installed, in its own process: `load` — `concurrency`
 * keep-alive clients GET one URL in a closed loop for durationMs; `download` — one GET read to the end. Reports
 * latencies, counts and this process's own CPU time.
 */
import http from 'node:http';
import { ready } from './child';

type Job =
  | { kind: 'load'; url: string; headers: Record<string, string>; concurrency: number; durationMs: number }
  | { kind: 'download'; url: string; headers: Record<string, string> };

const job = JSON.parse(process.env.BENCH_JOB ?? '{}') as Job;
const cpu0 = process.cpuUsage();
const cpuSeconds = () => {
  const c = process.cpuUsage(cpu0);
  return (c.user + c.system) / 1e6;
};

async function load(o: Extract<Job, { kind: 'load' }>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let stop = false;
  const one = () =>
    new Promise<void>((resolve) => {
      const s = process.hrtime.bigint();
      const req = http.get(o.url, { agent, headers: o.headers }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          if (res.statusCode === 200) {
            ok++;
            latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
          } else failed++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
    });
  const t0 = performance.now();
  setTimeout(() => (stop = true), o.durationMs);
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (!stop) await one();
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), ok, failed, seconds, cpuSeconds: cpuSeconds() };
}

function download(o: Extract<Job, { kind: 'download' }>) {
  return new Promise<{ status: number; bytes: number; seconds: number; cpuSeconds: number }>((resolve) => {
    const t0 = performance.now();
    let bytes = 0;
    http
      .get(o.url, { headers: o.headers, agent: false }, (res) => {
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            seconds: (performance.now() - t0) / 1000,
            cpuSeconds: cpuSeconds(),
          }),
        );
      })
      .on('error', () => resolve({ status: 0, bytes, seconds: 0, cpuSeconds: cpuSeconds() }));
  });
}

ready(await (job.kind === 'load' ? load(job) : download(job)));
process.disconnect();

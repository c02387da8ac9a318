/**
 * Runs a real Prometheus (Debian's /usr/bin/prometheus) on 127.0.0.1 with a temp config and TSDB, for
 * integration tests and benchmarks. Missing binary → a thrown error naming the apt-get command (never a skip).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubbleMetricsConfig } from '../../server/clients/cluster/types';
import { startHubbleExporter, type HubbleExporter } from '../fakes/hubble-exporter';
import { eventually } from './eventually';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface StartPrometheusOptions {
  /** host:port scrape targets, e.g. ["127.0.0.1:40123"]. */
  targets: string[];
  /** Global scrape interval, e.g. "1s". */
  scrapeInterval: string;
  /** Job name of the targets; default "hubble-metrics". */
  jobName?: string;
  /** Wait until every target was scraped this many times; default 1 (0 = only wait for /-/ready). */
  waitForScrapes?: number;
}

export interface RunningPrometheus {
  /** e.g. "http://127.0.0.1:41234". */
  url: string;
  port: number;
  /** Waits until every target has at least `n` samples of `up` (i.e. n scrapes). */
  waitForScrapes(n: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export const APT_HINT = 'apt-get update && apt-get install -y prometheus';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.json();
}

export async function startPrometheus(opts: StartPrometheusOptions): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BIN))
    throw new Error(`Prometheus binary not found at ${PROMETHEUS_BIN}: install it with \`${APT_HINT}\``);
  const dir = await mkdtemp(join(tmpdir(), 'prom-test-'));
  const configFile = join(dir, 'prometheus.yml');
  const job = opts.jobName ?? 'hubble-metrics';
  const targets = opts.targets.map((t) => JSON.stringify(t)).join(', ');
  await writeFile(
    configFile,
    [
      'global:',
      `  scrape_interval: ${opts.scrapeInterval}`,
      `  scrape_timeout: ${opts.scrapeInterval}`,
      `  evaluation_interval: ${opts.scrapeInterval}`,
      'scrape_configs:',
      `  - job_name: ${JSON.stringify(job)}`,
      '    static_configs:',
      `      - targets: [${targets}]`,
      '        labels: { k8s_app: "hubble" }',
      '',
    ].join('\n'),
  );

  let child: ChildProcess | null = null;
  let port = 0;
  let stderr = '';
  // The free port may be taken between probing and binding: retry a couple of times.
  for (let attempt = 0; attempt < 3 && child === null; attempt += 1) {
    port = await freePort();
    const proc = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=1h',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    proc.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const ready = await waitReady(`http://127.0.0.1:${port}`, proc, 15_000);
    if (ready) child = proc;
    else proc.kill('SIGKILL');
  }
  if (child === null) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Prometheus did not become ready: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const proc = child;
  const url = `http://127.0.0.1:${port}`;

  const waitForScrapes = async (n: number, timeoutMs = 20_000) => {
    if (opts.targets.length === 0 || n <= 0) return;
    const q = encodeURIComponent('min(count_over_time(up[1h]))');
    await eventually(
      async () => {
        const body = (await getJson(`${url}/api/v1/query?query=${q}`)) as {
          data?: { result?: { value?: [number, string] }[] };
        };
        const count = Number(body.data?.result?.[0]?.value?.[1] ?? 0);
        const series = body.data?.result?.length ?? 0;
        return series > 0 && count >= n;
      },
      { what: `Prometheus to scrape ${opts.targets.join(', ')} ${n} times`, timeoutMs, intervalMs: 200 },
    );
  };

  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitForScrapes(opts.waitForScrapes ?? 1);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, waitForScrapes, stop };
}

async function waitReady(url: string, proc: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) return false;
    const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return true;
    await sleep(100);
  }
  return false;
}

export interface SummaryRig {
  exporter: HubbleExporter;
  prometheus: RunningPrometheus;
  /** What the cluster view would report for these Hubble metrics (serverAddress = the exporter's port). */
  hubbleMetrics: HubbleMetricsConfig;
  stop(): Promise<void>;
}

/**
 * Exporter + Prometheus scraping it every second, waited until `seconds` of data exist: the ready-made setup
 * for summary tests and benchmarks, e.g. `createSummaryService({ getPrometheusUrl: () => rig.prometheus.url,
 * getHubbleMetrics: () => rig.hubbleMetrics, log })`.
 */
export async function startSummaryRig(
  opts: { contextLabels?: boolean; namespaces?: string[]; metrics?: string[]; seconds?: number } = {},
): Promise<SummaryRig> {
  const metrics = opts.metrics ?? ['dns', 'drop', 'tcp', 'flow', 'httpV2'];
  const contextLabels = opts.contextLabels ?? true;
  const exporter = await startHubbleExporter({
    namespaces: opts.namespaces ?? ['shop', 'other'],
    contextLabels,
    metrics,
  });
  let prometheus: RunningPrometheus;
  try {
    prometheus = await startPrometheus({
      targets: [exporter.target],
      scrapeInterval: '1s',
      waitForScrapes: (opts.seconds ?? 5) + 1,
    });
  } catch (e) {
    await exporter.close();
    throw e;
  }
  const context = 'labelsContext=source_namespace,destination_namespace';
  return {
    exporter,
    prometheus,
    hubbleMetrics: {
      enabled: true,
      list: metrics,
      options: contextLabels ? Object.fromEntries(metrics.map((m) => [m, context])) : {},
      serverAddress: `:${exporter.port}`,
    },
    async stop() {
      await prometheus.stop();
      await exporter.close();
    },
  };
}

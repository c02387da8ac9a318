/**
 * `npm run bench`: prints figures and ratios (asserts nothing). Everything runs on 127.0.0.1 against the loopback
 * fakes; each section is bounded in count and time. Pick sections with BENCH_SECTIONS=a,d (default a,b,d,e,f,g,h;
 * "b" prints (b) and (c)).
 */
import os from 'node:os';
import { runStatusSection } from './status';
import { runRegistrationSection } from './registration';
import { runPanelSection } from './panel';
import { runInsightsSection } from './insights';
import { runGatewaySection } from './gateway';
import { runMetricsSection } from './metrics';
import { runMapSection } from './map';

export interface SectionResult {
  name: string;
  /** One-line figures for the closing summary. */
  lines: string[];
}

const SECTIONS: Record<string, () => Promise<SectionResult>> = {
  a: runStatusSection,
  b: runRegistrationSection,
  d: runPanelSection,
  e: runInsightsSection,
  f: runMetricsSection,
  g: runGatewaySection,
  h: runMapSection,
};

/** 1/5/15-minute load averages, e.g. "0.52 / 0.61 / 0.40". */
const loadAverage = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');

async function main() {
  const picked = (process.env.BENCH_SECTIONS ?? 'a,b,d,e,f,g,h')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s in SECTIONS);
  const started = performance.now();
  process.stdout.write(
    `cilium-observability benchmark — Node ${process.version}, ${os.cpus().length} CPU(s) ` +
      `${os.cpus()[0]?.model ?? ''}, ${new Date().toISOString()}\n` +
      'Loopback only (127.0.0.1); backend in process (in (g) each party is a process of its own), fakes for console / Kubernetes API / Hubble Relay.\n' +
      `Load average at start: ${loadAverage()} (other processes on this machine add noise to every figure).\n`,
  );
  const results: SectionResult[] = [];
  for (const key of picked) {
    const t0 = performance.now();
    try {
      const r = await (SECTIONS[key] as () => Promise<SectionResult>)();
      results.push({
        ...r,
        lines: [...r.lines, `(section took ${((performance.now() - t0) / 1000).toFixed(1)} s)`],
      });
    } catch (e) {
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      process.stdout.write(`\n!! section ${key} failed: ${msg}\n`);
      results.push({ name: `(${key}) FAILED`, lines: [msg.split('\n')[0] ?? msg] });
    }
  }
  process.stdout.write('\n# Summary\n');
  for (const r of results) {
    process.stdout.write(`${r.name}\n`);
    for (const l of r.lines) process.stdout.write(`  ${l}\n`);
  }
  process.stdout.write(`total ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

// Every server is closed by its section; the timer only guards against a leaked handle keeping us alive.
void main().then(
  () => {
    setTimeout(() => {
      process.stdout.write('(a handle was still open 3 s after the end; exiting)\n');
      process.exit(0);
    }, 3000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);

/**
 * (d) the panel: web/dist/main.js raw and gzip -9 size against the budget and Hubble UI, and the time from
 * navigation to the status rendered, in headless Chromium (/usr/bin/chromium) on the sandbox's console-like page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../server/config';
import { silentLogger } from '../../server/log';
import { startSandbox } from '../sandbox/sandbox';
import { bytes, median, ms, printTable, ratio, stats } from './lib';
import type { SectionResult } from './run';

const BUNDLE = 'web/dist/main.js';
const CEILING = 150_000;
const AIM = 100_000;
/** Hubble UI v0.13.5's first screen (JS + CSS) in gzip -9 bytes, measured once: what users open today. */
const HUBBLE_UI = 465_200;
const RUNS = 7;
/** The Cilium version of the sandbox cluster, shown in the overview's Cilium card once /status arrived. */
const VERSION = '1.17.5';

/**
 * Before any page script: records performance.now() when the overview's Cilium card shows the version
 * (ClusterOverview.vue renders `[data-section="cilium"]` only from a received Status).
 */
const MARKER_SCRIPT = `(() => {
  const check = () => {
    if (window.__statusAt !== undefined) return;
    const el = document.querySelector('[data-section="cilium"]');
    if (el && (el.textContent || '').includes(${JSON.stringify(VERSION)})) {
      window.__statusAt = performance.now();
      obs.disconnect();
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true, characterData: true });
})();`;

interface PageRun {
  /** navigation start → status rendered */
  statusMs: number;
  /** navigation start → the panel script (static plugin route) fully received */
  bundleLoadedMs: number;
  /** bundle received → status rendered (parse, mount, GET /status, render) */
  afterBundleMs: number;
  domContentLoadedMs: number;
}

async function measurePage(browser: Browser, url: string): Promise<PageRun> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(MARKER_SCRIPT);
    await page.goto(url, { waitUntil: 'commit', timeout: 15_000 });
    await page.waitForFunction(
      () => (window as unknown as { __statusAt?: number }).__statusAt !== undefined,
      null,
      {
        timeout: 15_000,
      },
    );
    return await page.evaluate(() => {
      const statusAt = (window as unknown as { __statusAt: number }).__statusAt;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const bundle = performance
        .getEntriesByType('resource')
        .find((e) => e.name.includes('/static/plugins/')) as PerformanceResourceTiming | undefined;
      const bundleEnd = bundle?.responseEnd ?? NaN;
      return {
        statusMs: statusAt,
        bundleLoadedMs: bundleEnd,
        afterBundleMs: statusAt - bundleEnd,
        domContentLoadedMs: nav?.domContentLoadedEventEnd ?? NaN,
      };
    });
  } finally {
    await context.close();
  }
}

async function pageTimings(): Promise<{ runs: PageRun[]; note: string } | { skipped: string }> {
  if (!existsSync(CHROMIUM_PATH))
    return { skipped: `${CHROMIUM_PATH} not found (no browser is ever downloaded)` };
  const sandbox = await startSandbox({
    config: loadConfig({ PORT: '0', HOST: '127.0.0.1' }),
    log: silentLogger,
    // The first screen does not query Prometheus; starting one would only add noise.
    withPrometheus: false,
  });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const url = `${sandbox.url}?console=6.9.4&view=Team&locale=zh`;
    // One unmeasured load: the browser process and the backend's panel read are warm for every measured run.
    await measurePage(browser, url);
    const runs: PageRun[] = [];
    const deadline = Date.now() + 60_000;
    for (let i = 0; i < RUNS && Date.now() < deadline; i++) runs.push(await measurePage(browser, url));
    return { runs, note: url.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:<port>') };
  } finally {
    await browser?.close();
    await sandbox.close();
  }
}

export async function runPanelSection(): Promise<SectionResult> {
  const lines: string[] = [];
  if (!existsSync(BUNDLE)) {
    process.stdout.write(`\n## (d) panel\n  skipped: ${BUNDLE} missing (run npm run build:web)\n`);
    return { name: '(d) panel', lines: [`skipped: ${BUNDLE} missing`] };
  }
  const raw = readFileSync(BUNDLE);
  const gz = gzipSync(raw, { level: 9 }).length;
  printTable(
    '(d) panel bundle web/dist/main.js (CSS inlined; React is the host’s)',
    ['figure', 'value', 'vs 150 kB ceiling', 'vs 100 kB aim', 'vs Hubble UI first screen (465,200 B gz)'],
    [
      ['raw', bytes(raw.length), '', '', ''],
      ['gzip -9', bytes(gz), ratio(gz / CEILING), ratio(gz / AIM), ratio(gz / HUBBLE_UI)],
    ],
    ['kB = 1,000 B: the ceiling is 150,000 B and the aim 100,000 B of gzip -9.'],
  );
  lines.push(
    `main.js ${bytes(raw.length)} raw, ${bytes(gz)} gzip -9 = ${ratio(gz / CEILING)} of the 150 kB ceiling, ` +
      `${ratio(gz / AIM)} of the 100 kB aim, ${ratio(gz / HUBBLE_UI)} of Hubble UI's first screen`,
  );

  const t = await pageTimings();
  if ('skipped' in t) {
    process.stdout.write(`  page timing skipped: ${t.skipped}\n`);
    lines.push(`page timing skipped: ${t.skipped}`);
    return { name: '(d) panel', lines };
  }
  const row = (label: string, values: number[]) => {
    const s = stats(values);
    return [label, ms(median(values)), ms(s.min), ms(s.max)];
  };
  printTable(
    `(d) sandbox page in headless Chromium, fresh browser context per run, median of ${t.runs.length}`,
    ['from navigation start to …', 'median', 'min', 'max'],
    [
      row(
        'DOMContentLoaded (host page, SystemJS, vendor scripts)',
        t.runs.map((r) => r.domContentLoadedMs),
      ),
      row(
        'panel bundle received (console static plugin route)',
        t.runs.map((r) => r.bundleLoadedMs),
      ),
      row(
        'status rendered (Cilium card shows "1.17.5")',
        t.runs.map((r) => r.statusMs),
      ),
      row(
        '  of which: bundle received → status rendered',
        t.runs.map((r) => r.afterBundleMs),
      ),
    ],
    [
      `page ${t.note}; the bundle and /status go through the fake console's plugin routes, as in the console.`,
      'status rendered = a MutationObserver (installed before any page script) sees [data-section="cilium"] containing the version.',
      'one unmeasured load first (browser and backend warm); each run has its own context (no HTTP cache, no storage).',
    ],
  );
  lines.push(
    `navigation → status rendered: median ${ms(median(t.runs.map((r) => r.statusMs)))}; bundle received → status ` +
      `${ms(median(t.runs.map((r) => r.afterBundleMs)))}`,
  );
  return { name: '(d) panel', lines };
}

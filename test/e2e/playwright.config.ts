/**
 * End-to-end tests: Debian's Chromium (never a downloaded browser) against the sandbox started by
 * `npx tsx server/main.ts` — the console-like host page at `/` loading the built panel (web/dist/main.js)
 * through SystemJS, with a fake console, cluster, relay and a real Prometheus behind it.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';

/** Fixed loopback port of the sandbox's front server; e.g. http://127.0.0.1:18093/ */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 18093);
const baseURL = `http://127.0.0.1:${E2E_PORT}`;
const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results',
  // one sandbox shared by every test on a 2-core machine: run them one at a time
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'en-US',
    viewport: { width: 1360, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: 'npx tsx server/main.ts',
    cwd: '../..',
    // the front server has no /healthz; the host page answers 200 once everything behind it is up
    url: `${baseURL}/`,
    // empty RAINBOND_CONSOLE_URL → sandbox mode even if the caller's shell has one set
    env: { PORT: String(E2E_PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RAINBOND_CONSOLE_URL: '' },
    reuseExistingServer: !CI,
    timeout: 60_000,
    // SIGTERM lets the sandbox stop its Prometheus child instead of orphaning it
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

/**
 * The real entry point as a child process: configuration errors, readiness, and graceful shutdown on SIGTERM
 * (in-flight requests finish, then the process exits 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube-api';
import { startFakeConsole, type FakeConsole } from '../fakes/console';
import { sandboxCluster } from '../fixtures/cluster';
import { eventually } from '../support/eventually';
import { REGION, TEST_USERS } from '../support/stack';

const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

function run(env: Record<string, string>): {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
} {
  let out = '';
  const child = spawn(TSX, ['server/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

describe('server/main.ts', () => {
  it('stops with one line naming a bad variable', async () => {
    const p = run({ PORT: 'eighty', RAINBOND_CONSOLE_URL: 'http://127.0.0.1:1' });
    expect(await p.exited).toBe(2);
    expect(p.out().trim()).toMatch(/^cilium-observability: invalid PORT="eighty": expected .+$/);
  });

  it('without a console runs the sandbox on loopback, prints where to open it and a JWT, and stops on SIGTERM', async () => {
    const port = await freePort();
    const p = run({ PORT: String(port), RAINBOND_CONSOLE_URL: '', HOST: '', LOG_LEVEL: 'warn' });
    try {
      await eventually(() => expect(p.out()).toContain('Sandbox JWT'), {
        what: 'the sandbox banner',
        timeoutMs: 40_000,
        intervalMs: 100,
      });
      expect(p.out()).toContain(`SANDBOX`);
      expect(p.out()).toContain(`http://127.0.0.1:${port}/?console=6.9.4&view=Team&locale=zh`);
      const jwt = /\n\s+(eyJ[\w-]+\.[\w-]+\.[\w-]+)\n/.exec(p.out())?.[1];
      expect(jwt).toBeDefined();
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/host/vendor/system.js');
      const status = await fetch(
        `http://127.0.0.1:${port}/console/regions/rainbond/backend/plugins/cilium-observability/api/v1/status?team=dev-team&region=rainbond`,
        { headers: { Authorization: `GRJWT ${jwt}` } },
      );
      expect(status.status).toBe(200);
      expect(
        ((await status.json()) as { cluster: { cilium: { version: string } } }).cluster.cilium.version,
      ).toBe('1.17.5');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  describe('against a console and a cluster', () => {
    let kube: FakeKubeApi;
    let fake: FakeConsole;
    let kubeconfig: string;
    beforeAll(async () => {
      kube = await startFakeKubeApi({ objects: sandboxCluster() });
      fake = await startFakeConsole({
        users: TEST_USERS,
        regions: [{ name: REGION, httpdomain: 'apps.example.test' }],
      });
      kubeconfig = join(mkdtempSync(join(tmpdir(), 'cobs-kc-')), 'config.json');
      writeFileSync(kubeconfig, kube.kubeConfig().exportConfig());
    });
    afterAll(async () => {
      await fake?.close();
      await kube?.close();
    });

    it('becomes ready, then on SIGTERM finishes the request in flight and exits 0', async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const p = run({
        PORT: String(port),
        HOST: '127.0.0.1',
        RAINBOND_CONSOLE_URL: fake.url,
        // the gateway listener on any free port: 8081 may be another process's
        GATEWAY_PORT: '0',
        KUBECONFIG: kubeconfig,
        LOG_LEVEL: 'info',
        SHUTDOWN_GRACE_SECONDS: '10',
      });
      try {
        await eventually(
          async () => {
            const res = await fetch(`${base}/readyz`);
            await res.body?.cancel();
            expect(res.status).toBe(200);
          },
          { what: 'GET /readyz → 200', timeoutMs: 15_000, intervalMs: 100 },
        );
        fake.latencyMs = 1500;
        await new Promise((r) => setTimeout(r, 50));
        const started = Date.now();
        const inflight = fetch(`${base}/api/v1/status?team=dev-team&region=${REGION}`, {
          headers: { Authorization: `GRJWT ${fake.mintToken('alice')}` },
        });
        // SIGTERM only once the request is inside the backend (its identity check reached the console).
        const identityChecks = () =>
          fake.calls.filter((c) => c.path === '/console/users/details' && c.status === 200).length;
        const before = identityChecks();
        await eventually(() => identityChecks() > before, {
          what: 'its identity check answered by the console',
          timeoutMs: 8000,
        });
        p.child.kill('SIGTERM');
        const res = await inflight;
        expect(res.status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
        expect(await p.exited).toBe(0);
        expect(p.out()).toContain('"msg":"shutting down"');
        expect(p.out()).toContain('"msg":"stopped"');
        await expect(fetch(`${base}/healthz`)).rejects.toThrow();
      } finally {
        fake.latencyMs = 0;
        p.child.kill('SIGKILL');
      }
    });
  });
});

/**
 * The whole backend on loopback, wired exactly as in production (server/wiring.ts), against the fake
 * Kubernetes API and the fake console. Used by the integration tests and the benchmark.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { loadConfig } from '../../server/config';
import { createLogger, silentLogger, type Logger } from '../../server/log';
import { createBackend, type Backend, type BackendOptions } from '../../server/wiring';
import { startFakeKubeApi, type FakeKubeApi, type KubeObject } from '../fakes/kube-api';
import { startFakeConsole, type FakeConsole, type FakeUser, type FakeConsoleOptions } from '../fakes/console';
import { sandboxCluster } from '../fixtures/cluster';

export const REGION = 'rainbond';

/**
 * alice: developer in dev-team and shop; bob: only other-team; root: enterprise admin in dev-team and shop (the one
 * who may register and open the tools by default); olivia: owner of dev-team, not an enterprise admin.
 */
export const TEST_USERS: FakeUser[] = [
  {
    user_id: 1,
    nick_name: 'alice',
    teams: [
      { team_name: 'dev-team', team_alias: '开发团队', namespace: 'dev-team', regions: [REGION] },
      { team_name: 'shop', team_alias: '商城', namespace: 'shop', regions: [REGION] },
    ],
  },
  {
    user_id: 2,
    nick_name: 'bob',
    teams: [{ team_name: 'other-team', team_alias: '其他团队', namespace: 'other-team', regions: [REGION] }],
  },
  {
    user_id: 3,
    nick_name: 'root',
    is_enterprise_admin: true,
    teams: [
      { team_name: 'dev-team', team_alias: '开发团队', namespace: 'dev-team', regions: [REGION] },
      { team_name: 'shop', team_alias: '商城', namespace: 'shop', regions: [REGION] },
    ],
  },
  {
    user_id: 4,
    nick_name: 'olivia',
    teams: [
      {
        team_name: 'dev-team',
        team_alias: '开发团队',
        namespace: 'dev-team',
        regions: [REGION],
        owner: true,
      },
    ],
  },
];

export interface Stack {
  url: string;
  /** The backend's gateway listener, e.g. "http://127.0.0.1:41235" (requests need a tool's Host). */
  gatewayUrl: string;
  kube: FakeKubeApi;
  console: FakeConsole;
  backend: Backend;
  /** The backend's API listener (to watch its sockets, e.g. how many bytes it read). */
  server: Server;
  log: Logger;
  /** A valid console JWT for a seeded user. */
  token(user?: string): string;
  /** `GRJWT <token>` headers plus JSON content type. */
  headers(user?: string): Record<string, string>;
  /** `/api/v1/<path>?team=&region=` for a team (default dev-team). */
  api(path: string, team?: string): string;
  close(): Promise<void>;
}

export interface StackOptions {
  objects?: KubeObject[];
  users?: FakeUser[];
  console?: Partial<FakeConsoleOptions>;
  env?: Record<string, string>;
  log?: Logger;
  /** Wait for the cluster view's first sync (default true). */
  waitForSync?: boolean;
  /** Backend options beyond config, e.g. who the backend is for the plugin-entry self-check. */
  backend?: Pick<BackendOptions, 'self' | 'pluginEntryIntervalMs' | 'clock'>;
  /** Kinds the fake Kubernetes API does not serve, e.g. ["RBDPlugin"]. */
  withoutKinds?: string[];
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const kube = await startFakeKubeApi({
    objects: opts.objects ?? sandboxCluster(),
    withoutKinds: opts.withoutKinds,
  });
  const fakeConsole = await startFakeConsole({
    users: opts.users ?? TEST_USERS,
    regions: [{ name: REGION, alias: '默认集群', httpdomain: 'apps.example.test' }],
    ...opts.console,
  });
  const log = opts.log ?? (process.env.TEST_LOG ? createLogger('debug') : silentLogger);
  const { url, gatewayUrl, backend, server, close } = await startBackend({
    kube,
    console: fakeConsole,
    env: opts.env,
    log,
    waitForSync: opts.waitForSync,
    backend: opts.backend,
  });

  const token = (user = 'alice') => fakeConsole.mintToken(user);
  return {
    url,
    gatewayUrl,
    kube,
    console: fakeConsole,
    backend,
    server,
    log,
    token,
    headers: (user = 'alice') => ({
      Authorization: `GRJWT ${token(user)}`,
      'Content-Type': 'application/json',
    }),
    api: (path, team = 'dev-team') =>
      `${url}/api/v1/${path}${path.includes('?') ? '&' : '?'}team=${team}&region=${REGION}`,
    async close() {
      await close();
      await fakeConsole.close();
      await kube.close();
    },
  };
}

export interface RunningBackend {
  url: string;
  gatewayUrl: string;
  backend: Backend;
  server: Server;
  close(): Promise<void>;
}

/** One backend process on loopback against given fakes; a second call makes a second replica of the same. */
export async function startBackend(opts: {
  kube: FakeKubeApi;
  console: FakeConsole;
  env?: Record<string, string>;
  log?: Logger;
  waitForSync?: boolean;
  backend?: Pick<BackendOptions, 'self' | 'pluginEntryIntervalMs' | 'clock'>;
}): Promise<RunningBackend> {
  const config = loadConfig({
    PORT: '0',
    RAINBOND_CONSOLE_URL: opts.console.url,
    RAINBOND_REGION: REGION,
    CONSOLE_TIMEOUT_MS: '2000',
    ...opts.env,
  });
  const backend = createBackend({
    config,
    log: opts.log ?? silentLogger,
    kubeConfig: opts.kube.kubeConfig(),
    ...opts.backend,
  });
  const server = serve({ fetch: backend.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  await new Promise<void>((resolve) =>
    server.listening ? resolve() : server.once('listening', () => resolve()),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gw = await backend.gateway.listen(0, '127.0.0.1');
  const gatewayUrl = `http://127.0.0.1:${gw.port}`;
  if (opts.waitForSync !== false) await backend.start();
  else void backend.start().catch(() => undefined);
  return {
    url,
    gatewayUrl,
    backend,
    server,
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await backend.close();
    },
  };
}

/**
 * `npm start` without RAINBOND_CONSOLE_URL: the same loopback fakes the tests use, started in process — a
 * console that keeps state and enforces the contract, a Kubernetes API holding a Cilium 1.17 cluster with
 * Hubble and the monitoring example, a Hubble Relay producing flows, a Hubble metrics exporter scraped by a
 * real Prometheus when one is installed — the backend wired to them, and a console-like page at `/` that loads
 * the panel through SystemJS exactly as the console does.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { Config } from '../../server/config';
import type { Logger } from '../../server/log';
import { createBackend } from '../../server/wiring';
import { installShutdown } from '../../server/shutdown';
import { startFakeKubeApi } from '../fakes/kube-api';
import { startFakeConsole, type FakeUser } from '../fakes/console';
import { sandboxCluster } from '../fixtures/cluster';
import { rbdPlugin } from '../fixtures/cluster/rbdplugin';
import { sandboxRelay, startFakeRelay } from '../fakes/hubble-relay';
import {
  worldConsoleApps,
  worldFlows,
  worldPolicies,
  worldTemplates,
  worldWorkloads,
} from '../fixtures/rainbond/team-world';
import { startHubbleExporter } from '../fakes/hubble-exporter';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus';
import { createHostRoutes } from '../host';
import { randomBytes } from 'node:crypto';
import { pluginService } from '../support/gateway';
import { startGrafanaStandIn, startHubbleUiStandIn } from './tool-stand-ins';
import { startSimulatedGateway } from './rainbond-gateway';

export const SANDBOX_REGION = 'rainbond';
export const SANDBOX_TEAMS = ['dev-team', 'shop'];

export const SANDBOX_USERS: FakeUser[] = [
  {
    user_id: 1,
    nick_name: 'admin',
    is_enterprise_admin: true,
    teams: [
      { team_name: 'dev-team', team_alias: '开发团队', namespace: 'dev-team', regions: [SANDBOX_REGION] },
      { team_name: 'shop', team_alias: '在线商城', namespace: 'shop', regions: [SANDBOX_REGION] },
    ],
  },
  {
    user_id: 2,
    nick_name: 'guest',
    teams: [{ team_name: 'shop', team_alias: '在线商城', namespace: 'shop', regions: [SANDBOX_REGION] }],
  },
  // owner of dev-team but not an enterprise admin: sees the tools read-only under the default TOOL_MANAGERS
  {
    user_id: 3,
    nick_name: 'owner',
    teams: [
      {
        team_name: 'dev-team',
        team_alias: '开发团队',
        namespace: 'dev-team',
        regions: [SANDBOX_REGION],
        owner: true,
      },
    ],
  },
];

export interface Sandbox {
  /** Where to open the page, e.g. http://127.0.0.1:8080/. */
  url: string;
  backendUrl: string;
  /** The simulated Rainbond gateway's port: tools are at http://<alias>-<port>-<team>.apps.localhost:<this>. */
  gatewayPort: number;
  token(user?: string, expiresInSeconds?: number): string;
  close(): Promise<void>;
}

export async function startSandbox(opts: {
  config: Config;
  log: Logger;
  withPrometheus?: boolean;
}): Promise<Sandbox> {
  const { log } = opts;
  const pluginId = opts.config.PLUGIN_ID;
  // Rainbond components (labelled pods), their network policies and flows: dev-team is the team with a story
  // (names, a map, drops to explain); shop and other-team add generic traffic.
  const kube = await startFakeKubeApi({
    objects: [...sandboxCluster(), ...worldPolicies(), ...worldWorkloads()],
  });
  const relay = await startFakeRelay(
    sandboxRelay(['shop', 'other-team'], { flows: worldFlows({ rounds: 6 }), templates: worldTemplates() }),
  );
  const exporter = await startHubbleExporter({
    namespaces: SANDBOX_TEAMS,
    contextLabels: true,
    metrics: ['dns', 'drop', 'tcp', 'flow', 'httpV2'],
  });
  let prometheus: RunningPrometheus | null = null;
  if (opts.withPrometheus !== false && existsSync('/usr/bin/prometheus')) {
    prometheus = await startPrometheus({
      targets: [exporter.target],
      scrapeInterval: '5s',
      waitForScrapes: 0,
    });
  } else {
    log.warn(
      'SANDBOX: /usr/bin/prometheus not found; the Insights summary will say so (apt-get install -y prometheus)',
    );
  }

  // Hubble UI and Grafana stand-ins; Prometheus is the real one (when installed).
  const hubbleUi = await startHubbleUiStandIn();
  const grafana = await startGrafanaStandIn({ userHeader: 'X-WEBAUTH-USER' });

  // The simulated Rainbond gateway, routing by Host like APISIX: PORT + 1 (8081 for `npm start`). Its port is
  // part of every default domain (`*.localhost` resolves to loopback in browsers), so the URLs work as shown.
  let routes: ((namespace: string, name: string) => string | null) | null = null;
  let consoleRef: Awaited<ReturnType<typeof startFakeConsole>> | null = null;
  const simulated = await startSimulatedGateway({
    host: opts.config.HOST,
    port: opts.config.PORT === 0 ? 0 : opts.config.PORT + 1,
    console: () => consoleRef,
    resolve: (namespace, name) => routes?.(namespace, name) ?? null,
  });
  const gatewayDomain = `apps.localhost:${simulated.port}`;

  // The backend listens on its own loopback port, as the RBDPlugin backend_service would.
  const backendServer = http.createServer();
  await new Promise<void>((r) => backendServer.listen(0, '127.0.0.1', r));
  const backendUrl = `http://127.0.0.1:${(backendServer.address() as AddressInfo).port}`;
  let backendUp = true;

  const fakeConsole = await startFakeConsole({
    users: SANDBOX_USERS,
    seedApps: worldConsoleApps(),
    regions: [{ name: SANDBOX_REGION, alias: '默认集群', httpdomain: gatewayDomain }],
    plugin: {
      name: pluginId,
      displayName: 'Cilium 网络观测',
      frontendUrl: `${backendUrl}/static/main.js`,
      backendUrl,
      views: ['Platform', 'Team'],
    },
    // A Service has ready endpoints when it exists in the simulated cluster.
    endpointsFor: (namespace, name) =>
      kube.get('Service', namespace, name) ? [{ ip: '10.0.1.21', port: 80, ready: true }] : [],
  });

  consoleRef = fakeConsole;
  // The plugin's own Service: second port = the gateway listener (what protected entries point to).
  kube.apply(pluginService('rbd-plugins', pluginId));
  const config: Config = {
    ...opts.config,
    RAINBOND_CONSOLE_URL: fakeConsole.url,
    SELF_SERVICE: opts.config.SELF_SERVICE ?? `rbd-plugins/${pluginId}`,
    CONSOLE_PUBLIC_URL:
      opts.config.CONSOLE_PUBLIC_URL ??
      (opts.config.PORT
        ? `http://${opts.config.HOST === '0.0.0.0' ? '127.0.0.1' : opts.config.HOST}:${opts.config.PORT}/`
        : undefined),
    SESSION_SECRET: opts.config.SESSION_SECRET ?? randomBytes(32).toString('base64'),
    GRAFANA_AUTH_PROXY_HEADER: opts.config.GRAFANA_AUTH_PROXY_HEADER ?? 'X-WEBAUTH-USER',
    TOOL_UPSTREAMS: {
      'hubble-ui': hubbleUi.url,
      grafana: grafana.url,
      ...(prometheus ? { prometheus: prometheus.url } : {}),
      ...opts.config.TOOL_UPSTREAMS,
    },
    RAINBOND_REGION: opts.config.RAINBOND_REGION ?? SANDBOX_REGION,
    HUBBLE_RELAY_ADDR: relay.address,
    PROMETHEUS_URL: prometheus?.url,
  };
  // The console's plugin entry, pointing at the sandbox backend (loopback: only port and path can be checked).
  const backendAddr = backendUrl.replace(/^http:\/\//, '');
  kube.apply(
    rbdPlugin({
      name: pluginId,
      namespace: 'rbd-plugins',
      frontendService: `${backendAddr}/static/main.js`,
      backendService: backendAddr,
    }),
  );
  const backend = createBackend({
    config,
    log,
    kubeConfig: kube.kubeConfig(),
    self: { namespace: null, port: Number(new URL(backendUrl).port) },
  });
  // The backend's gateway listener on loopback; the simulated gateway sends protected hosts there.
  const backendGateway = await backend.gateway.listen(0, '127.0.0.1');
  const upstreams = config.TOOL_UPSTREAMS ?? {};
  routes = (namespace, name) => {
    if (namespace === 'rbd-plugins' && name === pluginId) return `http://127.0.0.1:${backendGateway.port}`;
    const tools = backend.cluster.snapshot().state.tools;
    for (const id of ['hubble-ui', 'grafana', 'prometheus'] as const) {
      const svc = tools[id].service;
      if (svc && svc.namespace === namespace && svc.name === name) return upstreams[id] ?? null;
    }
    return null;
  };
  const listener = getRequestListener(backend.app.fetch);
  backendServer.on('request', (req, res) => {
    if (!backendUp) {
      req.socket.destroy();
      return;
    }
    void listener(req, res);
  });
  await backend.start();

  // The front door: the console's own paths go to the fake console, the rest is the console-like page.
  const front = new Hono();
  front.get('/__sandbox/token', (c) => {
    const user = c.req.query('user') ?? 'admin';
    const expires = Number(c.req.query('expiresInSeconds') ?? '86400');
    return c.text(fakeConsole.mintToken(user, { expiresInSeconds: expires }));
  });
  // What the simulated Relay was asked (GetFlows requests, newest last), for e2e tests asserting filters.
  front.get('/__sandbox/relay/requests', (c) => c.json(relay.flowsRequests().slice(-50)));
  // Simulates the plugin backend going down and coming back (the console then answers 502).
  front.post('/__sandbox/backend', (c) => {
    backendUp = c.req.query('up') !== 'false';
    return c.json({ backendUp });
  });
  front.use('/', async (c, next) => {
    await next();
    if (!/(?:^|;\s*)token=/.test(c.req.header('cookie') ?? '')) {
      c.header(
        'Set-Cookie',
        `token=${fakeConsole.mintToken('admin', { expiresInSeconds: 86400 })}; Path=/; SameSite=Lax`,
        {
          append: true,
        },
      );
    }
  });
  front.route('/', createHostRoutes({ pluginId, region: SANDBOX_REGION, team: 'dev-team' }));
  const frontListener = getRequestListener(front.fetch);
  const consoleTarget = new URL(fakeConsole.url);
  const frontServer = http.createServer((req, res) => {
    if (req.url?.startsWith('/console/')) {
      const up = http.request(
        {
          host: consoleTarget.hostname,
          port: consoleTarget.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 502, msg: 'sandbox console unreachable' }));
      });
      req.pipe(up);
      return;
    }
    void frontListener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    frontServer.once('error', reject);
    frontServer.listen(opts.config.PORT, opts.config.HOST, resolve);
  });
  const addr = frontServer.address() as AddressInfo;
  const host = opts.config.HOST === '0.0.0.0' ? '127.0.0.1' : opts.config.HOST;
  const url = `http://${host}:${addr.port}/`;

  return {
    url,
    backendUrl,
    gatewayPort: simulated.port,
    token: (user = 'admin', expiresInSeconds = 86400) => fakeConsole.mintToken(user, { expiresInSeconds }),
    async close() {
      frontServer.closeAllConnections();
      backendServer.closeAllConnections();
      await new Promise<void>((r) => frontServer.close(() => r()));
      await new Promise<void>((r) => backendServer.close(() => r()));
      await backend.close();
      await Promise.allSettled([
        fakeConsole.close(),
        relay.close(),
        exporter.close(),
        kube.close(),
        prometheus?.stop(),
        simulated.close(),
        hubbleUi.close(),
        grafana.close(),
      ]);
    },
  };
}

/** main.ts entry for the sandbox: start, print where to open it, stop on SIGTERM/SIGINT. */
export async function runSandbox(opts: { config: Config; log: Logger }): Promise<void> {
  const sb = await startSandbox(opts);
  const token = sb.token();
  opts.log.info('SANDBOX', { open: sb.url, backend: sb.backendUrl });
  process.stdout.write(
    [
      '',
      `SANDBOX — no RAINBOND_CONSOLE_URL set: simulated Rainbond console, Cilium 1.17 cluster, Hubble Relay and metrics.`,
      `  Open the console page:   ${sb.url}?console=6.9.4&view=Team&locale=zh`,
      `  Other hosts:             ${sb.url}?console=6.6&view=Team   ·   ${sb.url}?view=Platform&locale=en`,
      `  Backend (direct):        ${sb.backendUrl}/api/v1/status?team=dev-team&region=${SANDBOX_REGION}`,
      `  Tools' gateway URLs:     http://<alias>-<port>-<team>.apps.localhost:${sb.gatewayPort} (a simulated Rainbond gateway; register a tool, keep access "protected", click "Open")`,
      `  Sandbox JWT (user admin, 24 h):`,
      `    ${token}`,
      `  Try: curl -H "Authorization: GRJWT <jwt>" "${sb.url}console/regions/${SANDBOX_REGION}/backend/plugins/${opts.config.PLUGIN_ID}/api/v1/status?team=dev-team&region=${SANDBOX_REGION}"`,
      '',
    ].join('\n') + '\n',
  );
  const fakeServer = {
    close: (cb: () => void) => void sb.close().then(cb),
    closeAllConnections() {},
    closeIdleConnections() {},
  };
  installShutdown(
    fakeServer as unknown as Server,
    async () => undefined,
    opts.config.SHUTDOWN_GRACE_SECONDS,
    opts.log,
  );
}

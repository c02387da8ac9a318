/**
 * Builds the backend from a Config and the addresses of its upstreams. Used by main.ts (production and
 * sandbox), the integration tests and the benchmark, so all three run the same wiring.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { LRUCache } from 'lru-cache';
import type { Config } from './config';
import type { Logger } from './log';
import { createMetrics, type Metrics } from './metrics';
import { createApp } from './app';
import { createClusterView } from './clients/cluster';
import type { ClusterView } from './clients/cluster/types';
import { createConsoleClient } from './clients/rainbond/console-client';
import { createRegistrationService } from './features/tools/registration.service';
import { createToolsService } from './features/tools/tools.service';
import { createOverviewService } from './features/overview/overview.service';
import { createIdentityResolver } from './http/auth';
import { createToolPermissions } from './features/tools/permissions';
import { createAuditTrail } from './features/tools/audit';
import { createAccessHistory } from './features/tools/access-history';
import { guardToolChanges } from './features/tools/tool-changes';
import { createHeldTools } from './features/tools/held-tools';
import { createTeamsService } from './features/context/teams.service';
import { createRelayConnector } from './clients/hubble/relay-client';
import { resolveRelayAddress } from './cilium/relay';
import { createRelayService } from './features/insights/relay.service';
import { createFlowsService } from './features/insights/flows.service';
import { shareLiveStreams } from './features/insights/live-hub';
import { createFlowsRoutes } from './features/insights/flows.routes';
import { createLiveStreamRegistry } from './features/insights/live-sessions';
import { createSummaryService } from './features/insights/summary.service';
import { createSummaryRoutes } from './features/insights/summary.routes';
import { createPluginEntryReader } from './clients/cluster/plugin-entry';
import { createPluginEntryService } from './features/overview/plugin-entry.service';
import { prometheusUrlFromService } from './features/insights/summary.queries';

export interface BackendOptions {
  config: Config;
  log: Logger;
  kubeConfig: KubeConfig;
  /** Path of the built panel, default web/dist/main.js next to the working directory. */
  panelPath?: string;
  metrics?: Metrics;
  /** Who this backend is, for the plugin-entry self-check; default: the kubeconfig context's namespace (in a pod,
   * the ServiceAccount's) and config.PORT. The sandbox passes its loopback port. */
  self?: { namespace?: string | null; port?: number };
  /** How often the RBDPlugin is re-read, default 30 s. */
  pluginEntryIntervalMs?: number;
}

export interface Backend {
  app: ReturnType<typeof createApp>;
  cluster: ClusterView;
  metrics: Metrics;
  /** Starts the informers; resolves after the first sync (or rejects after the sync timeout). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createBackend(opts: BackendOptions): Backend {
  const { config, log } = opts;
  const metrics = opts.metrics ?? createMetrics();
  // The cluster view also registers its own gauges (synced, stale, last sync age) on `metrics`.
  const cluster = createClusterView({
    kubeConfig: opts.kubeConfig,
    log: log.child({ component: 'cluster' }),
    metrics,
    ciliumNamespace: config.CILIUM_NAMESPACE,
    monitoringNamespace: config.MONITORING_NAMESPACE,
  });
  const consoleUrl = config.RAINBOND_CONSOLE_URL;
  if (!consoleUrl)
    throw new Error('createBackend needs RAINBOND_CONSOLE_URL (the sandbox sets it to its fake console)');
  const consoleClient = createConsoleClient({
    baseUrl: consoleUrl,
    timeoutMs: config.CONSOLE_TIMEOUT_MS,
    log: log.child({ component: 'console' }),
    metrics,
  });
  const registrations = createRegistrationService({
    console: consoleClient,
    log: log.child({ component: 'registration' }),
  });

  // The console's plugin entry for this backend: read at start and every 30 s, reported by status and /metrics.
  const kubeNamespace = opts.kubeConfig.getContextObject(opts.kubeConfig.getCurrentContext())?.namespace;
  const pluginEntryReader = createPluginEntryReader({
    kubeConfig: opts.kubeConfig,
    pluginId: config.PLUGIN_ID,
    log,
    metrics,
    intervalMs: opts.pluginEntryIntervalMs,
    onReading: (r) => pluginEntry.observe(r),
  });
  const pluginEntry = createPluginEntryService({
    reading: () => pluginEntryReader.reading(),
    self: {
      pluginId: config.PLUGIN_ID,
      namespace: opts.self?.namespace !== undefined ? opts.self.namespace : kubeNamespace?.trim() || null,
      port: opts.self?.port ?? config.PORT,
      bundlePath: '/static/main.js',
    },
    log,
    metrics,
  });

  // Console reachability for /readyz: refreshed in the background, any HTTP answer counts as reachable.
  let consoleOk = false;
  const pingConsole = async () => {
    try {
      const res = await fetch(new URL('/console/users/details', consoleUrl), {
        signal: AbortSignal.timeout(3000),
      });
      consoleOk = res.status > 0;
      await res.body?.cancel();
    } catch {
      consoleOk = false;
    }
  };
  let pingTimer: NodeJS.Timeout | undefined;

  const ciliumNamespace = () => cluster.snapshot().state.cilium.namespace;
  const relay = createRelayConnector({
    getRelayAddress: () => resolveRelayAddress(config.HUBBLE_RELAY_ADDR, cluster.snapshot().state.relay),
    tlsMode: config.HUBBLE_RELAY_TLS,
    tls: {
      ca: readOptional(config.HUBBLE_RELAY_TLS_CA_FILE),
      cert: readOptional(config.HUBBLE_RELAY_TLS_CERT_FILE),
      key: readOptional(config.HUBBLE_RELAY_TLS_KEY_FILE),
      serverName: config.HUBBLE_RELAY_TLS_SERVER_NAME,
    },
    log: log.child({ component: 'relay' }),
    metrics,
  });
  const live = createLiveStreamRegistry();
  const flowsRoutes = createFlowsRoutes({
    relay: createRelayService({
      relay,
      log,
      ciliumNamespace,
      ciliumVersion: () => cluster.snapshot().state.cilium.version,
    }),
    flows: shareLiveStreams(createFlowsService({ relay, log })),
    log,
    live,
  });
  const summaryRoutes = createSummaryRoutes({
    summary: createSummaryService({
      getPrometheusUrl: () =>
        config.PROMETHEUS_URL ?? prometheusUrlFromService(cluster.snapshot().state.tools.prometheus.service),
      getHubbleMetrics: () => cluster.snapshot().state.hubbleMetrics,
      getCiliumNamespace: ciliumNamespace,
      getCiliumVersion: () => cluster.snapshot().state.cilium.version,
      log,
      metrics,
    }),
  });

  const panelPath = opts.panelPath ?? 'web/dist/main.js';
  // Re-read at most every 2 s, so a rebuilt panel is served without a restart; concurrent reads share one.
  const panel = new LRUCache<'bundle', Uint8Array | false>({
    max: 1,
    ttl: 2000,
    fetchMethod: async () => (await readFile(panelPath).catch(() => null)) ?? false,
  });
  const permissions = createToolPermissions({ managers: config.TOOL_MANAGERS, viewers: config.TOOL_VIEWERS });
  const audit = createAuditTrail({ log: log.child({ component: 'audit' }), metrics });
  const tools = guardToolChanges(createToolsService({ cluster, registrations }), {
    permissions,
    audit,
    history: createAccessHistory({ console: consoleClient, audit, log }),
  });
  const heldTools = createHeldTools({ console: consoleClient, log });
  if (!config.RAINBOND_REGION)
    log.warn(
      'RAINBOND_REGION is not set: requests for any region of a team are accepted; set it to the region this backend runs in',
    );
  const app = createApp({
    log,
    metrics,
    cluster,
    identity: createIdentityResolver({
      userDetails: (jwt) => consoleClient.userDetails(jwt),
      ttlSeconds: config.AUTH_CACHE_SECONDS,
    }),
    tools,
    teams: createTeamsService({
      servedRegion: config.RAINBOND_REGION,
      teamTools: (ctx, team, region) => heldTools({ jwt: ctx.jwt, team, region }),
      log,
    }),
    servedRegion: config.RAINBOND_REGION,
    trustedOrigins: [consoleUrl],
    overview: createOverviewService({ cluster, listTools: (ctx) => tools.list(ctx), pluginEntry }),
    insights: [summaryRoutes, flowsRoutes],
    consoleReachable: () => consoleOk,
    panelBundle: async () => (await panel.fetch('bundle')) || null,
  });

  return {
    app,
    cluster,
    metrics,
    async start() {
      await pingConsole();
      pingTimer = setInterval(() => void pingConsole(), 10_000);
      pingTimer.unref();
      // In parallel with the first sync; the reader never rejects and gives up after its timeout.
      await Promise.all([pluginEntryReader.start(), cluster.start()]);
    },
    async close() {
      clearInterval(pingTimer);
      pluginEntryReader.stop();
      relay.close();
      await cluster.stop();
    },
  };
}

/** Reads a TLS file named by the config at start-up; a missing file is a configuration error. */
function readOptional(path: string | undefined): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
}

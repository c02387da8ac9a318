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
import { cacheRecentFlows } from './features/insights/flows.cache';
import { createFlowsRoutes } from './features/insights/flows.routes';
import { createLiveStreamRegistry } from './features/insights/live-sessions';
import { createSummaryService } from './features/insights/summary.service';
import { createSummaryRoutes } from './features/insights/summary.routes';
import { createPluginEntryReader } from './clients/cluster/plugin-entry';
import { createPluginEntryService } from './features/overview/plugin-entry.service';
import { prometheusUrlFromService } from './features/insights/summary.queries';
import { createTeamDirectory } from './features/insights/team-directory';
import { createFlowEnricher } from './features/insights/flows.names';
import { createMapFlowSource } from './features/insights/map.source';
import { createMapService } from './features/insights/map.service';
import { createMapRoutes } from './features/insights/map.routes';
import { isAtLeast } from './cilium/versions';
import { createSelfServiceResolver } from './clients/cluster/self-service';
import { createGateway, type Gateway, type Verdict } from './gateway/gateway';
import { isAppError } from './errors';
import type { GatewayStatus, Locale, ToolId } from '../contract';

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
  /** The gateway's clock (tickets, sessions), ms; tests move it. */
  clock?: () => number;
}

export interface Backend {
  app: ReturnType<typeof createApp>;
  cluster: ClusterView;
  metrics: Metrics;
  /** The authenticating gateway listener; main.ts (or a test) makes it listen on GATEWAY_PORT. */
  gateway: Gateway;
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
  // One identity resolver (cached AUTH_CACHE_SECONDS): the API, the live streams' re-checks and the gateway.
  const identity = createIdentityResolver({
    userDetails: (jwt) => consoleClient.userDetails(jwt),
    ttlSeconds: config.AUTH_CACHE_SECONDS,
  });
  const live = createLiveStreamRegistry({
    maxPerUser: config.SSE_MAX_PER_USER,
    maxPerTeam: config.SSE_MAX_PER_TEAM,
    maxTotal: config.SSE_MAX_TOTAL,
    maxAgeMs: config.SSE_MAX_MINUTES * 60_000,
    recheckMs: config.SSE_RECHECK_SECONDS * 1000,
  });
  // Rainbond names (the team's components, one console call per team, cached) and the cluster's policies.
  const teamDirectory = createTeamDirectory({
    teamApps: (ctx) => consoleClient.teamApps(ctx),
    log,
  });
  const policies = () => cluster.policies();
  const ciliumVersion = () => cluster.snapshot().state.cilium.version;
  const flowsRoutes = createFlowsRoutes({
    relay: createRelayService({
      relay,
      log,
      ciliumNamespace,
      ciliumVersion: () => cluster.snapshot().state.cilium.version,
    }),
    flows: shareLiveStreams(
      cacheRecentFlows(createFlowsService({ relay, log }), { ttlMs: config.FLOWS_CACHE_SECONDS * 1000 }),
    ),
    log,
    live,
    identity,
    maxConcurrentPerUser: config.INSIGHTS_USER_CONCURRENCY,
    enrich: createFlowEnricher({ directory: teamDirectory, policies }),
    // Relay's workload filters are 1.13+; an unknown version is taken as current
    workloadFilters: () => ciliumVersion() === null || isAtLeast(ciliumVersion(), 1, 13),
  });
  const mapRoutes = createMapRoutes({
    map: createMapService({
      source: createMapFlowSource({ relay, log }),
      directory: teamDirectory,
      policies,
    }),
    maxConcurrentPerUser: config.INSIGHTS_USER_CONCURRENCY,
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
    maxConcurrentPerUser: config.INSIGHTS_USER_CONCURRENCY,
  });

  // The authenticating gateway: sessions re-checked with the user's JWT (membership + TOOL_VIEWERS).
  const selfService = createSelfServiceResolver({
    kubeConfig: opts.kubeConfig,
    log,
    metrics,
    configured: config.SELF_SERVICE,
    namespace: config.POD_NAMESPACE ?? config._NAMESPACE ?? (kubeNamespace?.trim() || null),
    podLabels: config._SERVICE_ALIAS ? { name: config._SERVICE_ALIAS } : {},
    gatewayPort: config.GATEWAY_PORT,
  });
  const podIp = config.POD_IP ?? config._POD_IP;
  const gateway = createGateway({
    secret: config.SESSION_SECRET,
    log,
    metrics,
    upstreamFor: (tool: ToolId) => {
      const fixed = config.TOOL_UPSTREAMS?.[tool];
      if (fixed) return fixed;
      const svc = cluster.snapshot().state.tools[tool].service;
      return svc ? `http://${svc.name}.${svc.namespace}.svc:${svc.port}` : null;
    },
    authorize: async ({ jwt, team, region }): Promise<Verdict> => {
      try {
        const user = await identity.resolve(jwt);
        const t = user.teams.find((x) => x.name === team);
        if (!t || !t.regions.some((r) => r.name === region)) return 'revoked';
        return permissions.mayView(user, team) ? 'ok' : 'revoked';
      } catch (e) {
        return isAppError(e) && e.code === 'UNAUTHENTICATED' ? 'revoked' : 'unknown';
      }
    },
    consolePublicUrl: config.CONSOLE_PUBLIC_URL,
    idleMs: config.SESSION_IDLE_MINUTES * 60_000,
    maxMs: config.SESSION_MAX_HOURS * 3_600_000,
    recheckMs: config.SESSION_RECHECK_SECONDS * 1000,
    grafanaUserHeader: config.GRAFANA_AUTH_PROXY_HEADER,
    peerUrl:
      config.GATEWAY_PEER_URL ??
      (podIp ? `http://${podIp.includes(':') ? `[${podIp}]` : podIp}:${config.GATEWAY_PORT}` : undefined),
    now: opts.clock,
  });
  const gatewayStatus = (locale: Locale): GatewayStatus => {
    const r = selfService.current();
    const svc = r.service ? `${r.service.namespace}/${r.service.name}:${r.service.port}` : null;
    const message =
      locale === 'en'
        ? r.source === 'config'
          ? `Protected entries point to ${svc} (${r.detail})`
          : r.source === 'discovered'
            ? `Protected entries point to ${svc}, found from this pod's namespace and labels (${r.detail})`
            : `The plugin's own Service is not known: ${r.detail}`
        : r.source === 'config'
          ? `受保护入口指向 ${svc}（${r.detail}）`
          : r.source === 'discovered'
            ? `受保护入口指向 ${svc}，由本 Pod 的命名空间与标签找到（${r.detail}）`
            : `尚不知道插件自身的 Service：${r.detail}`;
    return {
      port: config.GATEWAY_PORT,
      selfService: r.service,
      source: r.source,
      message,
      ephemeralSecret: gateway.ephemeralSecret,
    };
  };

  const panelPath = opts.panelPath ?? 'web/dist/main.js';
  // Re-read at most every 2 s, so a rebuilt panel is served without a restart; concurrent reads share one.
  const panel = new LRUCache<'bundle', Uint8Array | false>({
    max: 1,
    ttl: 2000,
    fetchMethod: async () => (await readFile(panelPath).catch(() => null)) ?? false,
  });
  const permissions = createToolPermissions({ managers: config.TOOL_MANAGERS, viewers: config.TOOL_VIEWERS });
  const audit = createAuditTrail({ log: log.child({ component: 'audit' }), metrics });
  const tools = guardToolChanges(
    createToolsService({
      cluster,
      registrations,
      selfService: () => selfService.current().service,
      tickets: gateway.tickets,
      viewers: permissions,
    }),
    {
      permissions,
      audit,
      history: createAccessHistory({ console: consoleClient, audit, log }),
    },
  );
  const heldTools = createHeldTools({ console: consoleClient, log });
  if (!config.RAINBOND_REGION)
    log.warn(
      'RAINBOND_REGION is not set: requests for any region of a team are accepted; set it to the region this backend runs in',
    );
  const app = createApp({
    log,
    metrics,
    cluster,
    identity,
    tools,
    teams: createTeamsService({
      servedRegion: config.RAINBOND_REGION,
      teamTools: (ctx, team, region) => heldTools({ jwt: ctx.jwt, team, region }),
      log,
    }),
    servedRegion: config.RAINBOND_REGION,
    // pages of the console's own addresses may send changes from browsers without Sec-Fetch-Site
    trustedOrigins: [consoleUrl, config.CONSOLE_PUBLIC_URL],
    overview: createOverviewService({
      cluster,
      listTools: (ctx) => tools.list(ctx),
      pluginEntry,
      gateway: gatewayStatus,
    }),
    insights: [summaryRoutes, flowsRoutes, mapRoutes],
    consoleReachable: () => consoleOk,
    panelBundle: async () => (await panel.fetch('bundle')) || null,
  });

  return {
    app,
    cluster,
    metrics,
    gateway,
    async start() {
      await pingConsole();
      pingTimer = setInterval(() => void pingConsole(), 10_000);
      pingTimer.unref();
      // In parallel with the first sync; the reader never rejects and gives up after its timeout.
      await Promise.all([pluginEntryReader.start(), selfService.start(), cluster.start()]);
    },
    async close() {
      clearInterval(pingTimer);
      pluginEntryReader.stop();
      selfService.stop();
      await gateway.close();
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

/**
 * The plugin's own Service, which the Rainbond gateway entry of a protected tool points to: SELF_SERVICE when set,
 * else found from the pod's namespace and labels. A Rainbond (app-market) install gets `_NAMESPACE` and
 * `_SERVICE_ALIAS` in its env, and Rainbond's inner Service of a component selects its pods by `name=<alias>`
 * with every inner port (the first is the plugin's frontend/backend, the gateway listener is another). The port
 * reported is the Service's `port` whose targetPort is GATEWAY_PORT: what a third-party component must use.
 * Read with `list` on services in one namespace (SELF_SERVICE_RESOURCE in resources.ts; the ClusterRole grants it),
 * at start and every minute.
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';
import type { ServiceRef } from '../../../contract';

/** The fields of a Service the match uses. */
export interface SlimService {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  ports: { name?: string; port: number; targetPort?: number | string }[];
}

export type SelfServiceReading =
  | { source: 'config' | 'discovered'; service: ServiceRef; detail: string }
  | { source: 'unresolved'; service: null; detail: string };

/** The Service port that reaches the gateway listener: targetPort = gatewayPort, or a port named "gateway". */
export function gatewayPortOf(svc: SlimService, gatewayPort: number): number | null {
  const p =
    svc.ports.find((x) => x.targetPort === gatewayPort || x.targetPort === String(gatewayPort)) ??
    svc.ports.find((x) => x.targetPort === undefined && x.port === gatewayPort) ??
    svc.ports.find((x) => x.name === 'gateway');
  return p?.port ?? null;
}

/**
 * Among a namespace's Services, ours: its selector is non-empty and matched by the pod's labels, and it has a port
 * reaching the gateway listener. Rainbond's inner Service (label service_type=inner) first, then by name.
 */
export function pickSelfService(
  services: SlimService[],
  podLabels: Record<string, string>,
  gatewayPort: number,
): ServiceRef | null {
  const matches = services
    .filter((s) => {
      const sel = Object.entries(s.selector);
      return sel.length > 0 && sel.every(([k, v]) => podLabels[k] === v);
    })
    .map((s) => ({ s, port: gatewayPortOf(s, gatewayPort) }))
    .filter((m): m is { s: SlimService; port: number } => m.port !== null)
    .sort(
      (a, b) =>
        Number(b.s.labels.service_type === 'inner') - Number(a.s.labels.service_type === 'inner') ||
        a.s.name.localeCompare(b.s.name),
    );
  const first = matches[0];
  return first ? { namespace: first.s.namespace, name: first.s.name, port: first.port } : null;
}

function toSlim(o: {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    selector?: Record<string, string>;
    ports?: { name?: string; port: number; targetPort?: unknown }[];
  };
}): SlimService {
  return {
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '',
    labels: o.metadata?.labels ?? {},
    selector: o.spec?.selector ?? {},
    ports: (o.spec?.ports ?? []).map((p) => ({
      name: p.name,
      port: p.port,
      targetPort:
        typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : undefined,
    })),
  };
}

export interface SelfServiceOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  metrics?: Metrics;
  /** SELF_SERVICE, e.g. "rbd-plugins/cilium-observability". */
  configured?: string;
  /** POD_NAMESPACE / _NAMESPACE, else the kubeconfig context's namespace. */
  namespace?: string | null;
  /** The pod's labels that a Service may select on, e.g. { name: "gr1a2b3c" } from Rainbond's _SERVICE_ALIAS. */
  podLabels: Record<string, string>;
  /** GATEWAY_PORT, e.g. 8081. */
  gatewayPort: number;
  /** Default 60 s. */
  intervalMs?: number;
}

export interface SelfServiceResolver {
  /** Resolves once (never rejects), then again every intervalMs. */
  start(): Promise<void>;
  stop(): void;
  refresh(): Promise<SelfServiceReading>;
  /** O(1): the last reading. */
  current(): SelfServiceReading;
}

export function createSelfServiceResolver(opts: SelfServiceOptions): SelfServiceResolver {
  const api = opts.kubeConfig.makeApiClient(CoreV1Api);
  const [cfgNs, cfgName] = opts.configured?.split('/') ?? [];
  let current: SelfServiceReading =
    cfgNs && cfgName
      ? {
          source: 'config',
          service: { namespace: cfgNs, name: cfgName, port: opts.gatewayPort },
          detail: 'SELF_SERVICE (port not read yet)',
        }
      : { source: 'unresolved', service: null, detail: 'not looked up yet' };
  let timer: NodeJS.Timeout | undefined;

  async function list(namespace: string, fieldSelector?: string): Promise<SlimService[]> {
    const t0 = performance.now();
    try {
      const r = await api.listNamespacedService({ namespace, fieldSelector });
      opts.metrics?.observeUpstream(
        'kubernetes',
        'list services (self)',
        'ok',
        (performance.now() - t0) / 1000,
      );
      return r.items.map((i) => toSlim(i as Parameters<typeof toSlim>[0]));
    } catch (e) {
      opts.metrics?.observeUpstream(
        'kubernetes',
        'list services (self)',
        'error',
        (performance.now() - t0) / 1000,
      );
      throw e;
    }
  }

  async function resolve(): Promise<SelfServiceReading> {
    if (cfgNs && cfgName) {
      try {
        const svc = (await list(cfgNs, `metadata.name=${cfgName}`))[0];
        const port = svc ? gatewayPortOf(svc, opts.gatewayPort) : null;
        return {
          source: 'config',
          service: { namespace: cfgNs, name: cfgName, port: port ?? opts.gatewayPort },
          detail: !svc
            ? `SELF_SERVICE names no Service in the cluster; assuming port ${opts.gatewayPort}`
            : port === null
              ? `SELF_SERVICE has no port reaching GATEWAY_PORT ${opts.gatewayPort}; assuming port ${opts.gatewayPort}`
              : 'SELF_SERVICE',
        };
      } catch (e) {
        return {
          source: 'config',
          service: { namespace: cfgNs, name: cfgName, port: current.service?.port ?? opts.gatewayPort },
          detail: `SELF_SERVICE (Service not readable: ${e instanceof Error ? e.message : String(e)})`,
        };
      }
    }
    const ns = opts.namespace;
    if (!ns)
      return { source: 'unresolved', service: null, detail: 'POD_NAMESPACE is not set; set SELF_SERVICE' };
    if (Object.keys(opts.podLabels).length === 0) {
      return {
        source: 'unresolved',
        service: null,
        detail: `no pod labels to match a Service in ${ns} (Rainbond sets _SERVICE_ALIAS); set SELF_SERVICE`,
      };
    }
    try {
      const found = pickSelfService(await list(ns), opts.podLabels, opts.gatewayPort);
      return found
        ? { source: 'discovered', service: found, detail: `the Service in ${ns} that selects this pod` }
        : {
            source: 'unresolved',
            service: null,
            detail: `no Service in ${ns} selects this pod with a port to ${opts.gatewayPort}; set SELF_SERVICE`,
          };
    } catch (e) {
      return current.source === 'discovered'
        ? current
        : {
            source: 'unresolved',
            service: null,
            detail: `Services of ${ns} not readable: ${e instanceof Error ? e.message : String(e)}`,
          };
    }
  }

  async function refresh(): Promise<SelfServiceReading> {
    const next = await resolve();
    if (next.source !== current.source || next.service?.name !== current.service?.name)
      opts.log.info('plugin Service for protected entries', {
        source: next.source,
        service: next.service ? `${next.service.namespace}/${next.service.name}:${next.service.port}` : null,
        detail: next.detail,
      });
    current = next;
    return current;
  }

  return {
    async start() {
      await refresh();
      if (timer) return;
      timer = setInterval(() => void refresh(), opts.intervalMs ?? 60_000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    refresh,
    current: () => current,
  };
}

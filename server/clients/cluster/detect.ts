/**
 * Pure detection: the slim inventory the informers keep → ClusterState (what runs where, which version, which config).
 * No I/O here; the cluster view calls computeClusterState() after a (debounced) change.
 *
 * Where: team namespaces (namespaces.ts) are never candidates; among the rest the well-known namespaces win, then
 * the name; CILIUM_NAMESPACE / MONITORING_NAMESPACE pin them. Every other namespace that also qualified is listed
 * in `candidates`. Readiness: the ready endpoints of the tool's Service (its EndpointSlices, what Rainbond's
 * third-party component routes to); a Service without any EndpointSlice falls back to its workload's counts.
 */
import type { ReadyCount, RiskCode, ServiceRef, ToolId } from '../../../contract';
import {
  DYNAMIC_METRICS_CONFIGMAP,
  DYNAMIC_METRICS_KEYS,
  dynamicMetricsConfig,
  hubbleMetricsConfig,
  parseDynamicMetrics,
  type HubbleMetricsConfig,
} from '../../cilium/hubble-metrics';
import { ciliumVersionFromTag, imageTag } from '../../cilium/versions';
import { findGrafanaIni, grafanaRisks, loadedDashboards } from './grafana';
import { CILIUM_NAMESPACES, MONITORING_NAMESPACES, eligibleNamespaces, rankIn } from './namespaces';
import type { Inventory, SlimEndpointSlice, SlimService, SlimWorkload } from './objects';
import type { ClusterState, Readiness, ToolTarget } from './types';

export { grafanaRisks, parseIni } from './grafana';

export interface DetectOptions {
  /** CILIUM_NAMESPACE: only look for Cilium there, e.g. "kube-system". */
  ciliumNamespace?: string;
  /** MONITORING_NAMESPACE: only look for Grafana / Prometheus there, e.g. "monitoring". */
  monitoringNamespace?: string;
}

const NONE: ReadyCount = { ready: 0, desired: 0 };

const matches = (selector: Record<string, string>, labels: Record<string, string>) => {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
};

const byPreference = <T extends { namespace: string; name: string }>(prefer: (x: T) => number) => {
  return (a: T, b: T) =>
    prefer(a) - prefer(b) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
};

function pick<T extends { namespace: string; name: string }>(items: T[], prefer: (x: T) => number): T | null {
  return [...items].sort(byPreference(prefer))[0] ?? null;
}

/** Distinct namespaces, best first: by `rank`, then by name. */
function rankNamespaces(namespaces: Iterable<string>, rank: (ns: string) => number): string[] {
  return [...new Set(namespaces)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The workload behind a Service: Deployment/StatefulSet whose pod labels match the Service's selector. */
function workloadFor(svc: SlimService, workloads: readonly SlimWorkload[]): SlimWorkload | null {
  return (
    workloads.find(
      (w) => w.kind !== 'DaemonSet' && w.namespace === svc.namespace && matches(svc.selector, w.podLabels),
    ) ?? null
  );
}

/** Prefer a port by name (e.g. "web", "http-web") or number, else the first port. */
function servicePort(svc: SlimService, names: string[], numbers: number[]): number | null {
  const ports = svc.ports;
  const byName = ports.find((p) => p.name !== null && names.includes(p.name));
  const byNumber = ports.find((p) => numbers.includes(p.port));
  return (byName ?? byNumber ?? ports[0])?.port ?? null;
}

function containerImageTag(w: SlimWorkload | null, pred: (c: { name: string; image: string }) => boolean) {
  const c = w?.containers.find(pred);
  return c ? imageTag(c.image) : null;
}

const counted = (w: SlimWorkload | null): ReadyCount => (w ? { ready: w.ready, desired: w.desired } : NONE);
const isReady = (c: ReadyCount) => c.desired > 0 && c.ready >= c.desired;

type SlicesByService = ReadonlyMap<string, readonly SlimEndpointSlice[]>;

function slicesByService(slices: readonly SlimEndpointSlice[]): SlicesByService {
  const out = new Map<string, SlimEndpointSlice[]>();
  for (const s of slices) {
    const key = `${s.namespace}/${s.service}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/**
 * Ready / all endpoints of a Service over its EndpointSlices (an endpoint in two slices, e.g. IPv4 and IPv6 of
 * a dual-stack Service, counts once); without any slice, the workload's ready / desired replicas.
 */
function serviceReadiness(
  svc: SlimService | null,
  workload: SlimWorkload | null,
  slices: SlicesByService,
): { count: ReadyCount; from: Readiness } {
  const own = svc ? slices.get(`${svc.namespace}/${svc.name}`) : undefined;
  if (own) {
    const ready = new Map<string, boolean>();
    for (const s of own) for (const e of s.endpoints) ready.set(e.id, (ready.get(e.id) ?? false) || e.ready);
    let n = 0;
    for (const r of ready.values()) if (r) n++;
    return { count: { ready: n, desired: ready.size }, from: 'endpoints' };
  }
  if (workload) return { count: counted(workload), from: 'workload' };
  return { count: NONE, from: 'none' };
}

function toolTarget(
  id: ToolId,
  svc: SlimService | null,
  readiness: { count: ReadyCount; from: Readiness },
  port: number | null,
  version: string | null,
  risks: RiskCode[],
): ToolTarget {
  if (!svc || port === null) {
    return {
      id,
      state: 'missing',
      service: null,
      workload: NONE,
      readiness: 'none',
      version: null,
      risks: [],
    };
  }
  const service: ServiceRef = { namespace: svc.namespace, name: svc.name, port };
  return {
    id,
    state: readiness.count.ready > 0 ? 'ready' : 'not-ready',
    service,
    workload: readiness.count,
    readiness: readiness.from,
    version,
    risks,
  };
}

const isGrafana = (l: Record<string, string>) =>
  l.app === 'grafana' || l['app.kubernetes.io/name'] === 'grafana';
const isPrometheus = (s: SlimService) =>
  s.labels.app === 'prometheus' ||
  s.labels.app === 'kube-prometheus-stack-prometheus' ||
  s.labels['app.kubernetes.io/name'] === 'prometheus' ||
  s.name === 'prometheus-operated';

const basename = (path: string) => path.split('/').pop() ?? '';

/** Inventory → ClusterState. Deterministic: ties are broken by namespace then name. */
export function computeClusterState(inv: Inventory, opts: DetectOptions = {}): ClusterState {
  const notTeam = eligibleNamespaces(inv.namespaces, undefined);
  const ciliumEligible = eligibleNamespaces(inv.namespaces, opts.ciliumNamespace);
  const monitoringEligible = eligibleNamespaces(inv.namespaces, opts.monitoringNamespace);
  const slices = slicesByService(inv.endpointSlices);

  // Cilium agent: DaemonSet k8s-app=cilium; kube-system, then cilium, then any other namespace by name.
  const agents = inv.workloads.filter(
    (w) => w.kind === 'DaemonSet' && w.labels['k8s-app'] === 'cilium' && ciliumEligible(w.namespace),
  );
  const [ns = null, ...otherCilium] = rankNamespaces(
    agents.map((w) => w.namespace),
    (n) => rankIn(CILIUM_NAMESPACES, n),
  );
  const agentDs = pick(
    agents.filter((w) => w.namespace === ns),
    (w) => (w.name === 'cilium' ? 0 : 1),
  );
  const inCiliumNs = <T extends { namespace: string }>(x: T) => ns !== null && x.namespace === ns;
  const deployments = inv.workloads.filter((w) => w.kind === 'Deployment');

  const operator = pick(
    deployments.filter(
      (w) => inCiliumNs(w) && (w.labels['io.cilium/app'] === 'operator' || w.name === 'cilium-operator'),
    ),
    (w) => (w.name === 'cilium-operator' ? 0 : 1),
  );
  const agentTag =
    containerImageTag(agentDs, (c) => c.name === 'cilium-agent') ??
    containerImageTag(agentDs, (c) => /\/cilium(-dev)?:/.test(c.image) || /^cilium(-dev)?:/.test(c.image));
  const agentCount = counted(agentDs);
  const operatorCount = counted(operator);
  const ciliumState = !agentDs
    ? 'missing'
    : isReady(agentCount) && operatorCount.ready >= 1
      ? 'ready'
      : 'degraded';

  const ciliumConfig = inv.configMaps.find((c) => inCiliumNs(c) && c.name === 'cilium-config')?.data ?? {};
  const hubbleEnabled = ciliumConfig['enable-hubble'] === 'true';
  const dynamicPath = ciliumConfig['hubble-dynamic-metrics-config-path']?.trim();
  let hubbleMetrics: HubbleMetricsConfig;
  if (dynamicPath) {
    // The dynamic exporter (mutually exclusive with `hubble-metrics`): the list is in its ConfigMap.
    const cm = inv.configMaps.find((c) => inCiliumNs(c) && c.name === DYNAMIC_METRICS_CONFIGMAP);
    const keys = [basename(dynamicPath), ...DYNAMIC_METRICS_KEYS];
    const text = cm ? keys.map((k) => cm.data[k]).find((v) => v !== undefined) : undefined;
    hubbleMetrics = dynamicMetricsConfig(parseDynamicMetrics(text), ciliumConfig['hubble-metrics-server']);
  } else {
    hubbleMetrics = hubbleMetricsConfig(
      ciliumConfig['hubble-metrics'],
      ciliumConfig['hubble-metrics-server'],
    );
  }
  if (!hubbleEnabled) hubbleMetrics.enabled = false;

  const byK8sApp =
    (app: string) => (w: { namespace: string; name: string; labels: Record<string, string> }) =>
      inCiliumNs(w) && (w.labels['k8s-app'] === app || w.name === app);
  const relayDeploy = pick(deployments.filter(byK8sApp('hubble-relay')), (w) =>
    w.name === 'hubble-relay' ? 0 : 1,
  );
  const uiDeploy = pick(deployments.filter(byK8sApp('hubble-ui')), (w) => (w.name === 'hubble-ui' ? 0 : 1));

  const relaySvc = pick(inv.services.filter(byK8sApp('hubble-relay')), (s) =>
    s.name === 'hubble-relay' ? 0 : 1,
  );
  const relayPort = relaySvc ? servicePort(relaySvc, ['grpc'], [80, 443]) : null;
  const relay =
    relaySvc && relayPort !== null
      ? { namespace: relaySvc.namespace, name: relaySvc.name, port: relayPort, tls: relayPort === 443 }
      : null;
  const relayCount = serviceReadiness(
    relaySvc,
    relaySvc ? (workloadFor(relaySvc, deployments) ?? relayDeploy) : relayDeploy,
    slices,
  ).count;

  // Hubble UI: Service port 80 (→ 8081 nginx, or the envoy proxy in 1.11); version from the frontend image.
  const uiSvc = pick(inv.services.filter(byK8sApp('hubble-ui')), (s) => (s.name === 'hubble-ui' ? 0 : 1));
  const uiWorkload = uiSvc ? (workloadFor(uiSvc, deployments) ?? uiDeploy) : uiDeploy;
  const uiTag =
    containerImageTag(uiWorkload, (c) => c.name === 'frontend') ??
    containerImageTag(uiWorkload, (c) => /hubble-ui(:|@|$)/.test(c.image.split('/').pop() ?? ''));
  const uiReadiness = serviceReadiness(uiSvc, uiWorkload, slices);
  const hubbleUi = toolTarget(
    'hubble-ui',
    uiSvc,
    uiReadiness,
    uiSvc ? servicePort(uiSvc, ['http'], [80]) : null,
    uiSvc ? uiTag : null,
    ['NO_AUTH'],
  );
  const uiCount = uiReadiness.count;
  const hubbleState = !agentDs
    ? 'missing'
    : !hubbleEnabled
      ? 'disabled'
      : isReady(relayCount) && isReady(uiCount)
        ? 'ready'
        : 'degraded';

  // Monitoring: one namespace holds the stack (cilium-monitoring, monitoring, … first); a tool missing there
  // may still come from another eligible namespace, preferring the chosen one.
  const monSvcs = inv.services.filter((s) => monitoringEligible(s.namespace));
  const grafanaSvcs = monSvcs.filter((s) => isGrafana(s.labels));
  const promSvcs = monSvcs.filter(isPrometheus);
  const complete = (n: string) =>
    grafanaSvcs.some((s) => s.namespace === n) && promSvcs.some((s) => s.namespace === n) ? 0 : 1;
  const [monNs = null, ...otherMonitoring] = rankNamespaces(
    [...grafanaSvcs, ...promSvcs].map((s) => s.namespace),
    (n) => rankIn(MONITORING_NAMESPACES, n) * 2 + complete(n),
  );
  const prefer = (s: SlimService) =>
    (s.namespace === monNs ? 0 : 20) + (s.headless ? 5 : 0) + (s.labels.app ? 0 : 1);
  const grafanaSvc = pick(grafanaSvcs, prefer);
  const promSvc = pick(promSvcs, prefer);
  const workloadsNonDs = inv.workloads.filter((w) => w.kind !== 'DaemonSet');
  const grafanaWorkload = grafanaSvc ? workloadFor(grafanaSvc, workloadsNonDs) : null;
  const promWorkload = promSvc ? workloadFor(promSvc, workloadsNonDs) : null;

  const grafanaContainer =
    grafanaWorkload?.containers.find((c) => /(^|\/)grafana(:|@|$)/.test(c.image)) ??
    grafanaWorkload?.containers.find((c) => c.name === 'grafana' || c.name === 'grafana-core');
  const grafanaReadiness = serviceReadiness(grafanaSvc, grafanaWorkload, slices);
  const grafana = toolTarget(
    'grafana',
    grafanaSvc,
    grafanaReadiness,
    grafanaSvc ? servicePort(grafanaSvc, ['http-web', 'http', 'service'], [80, 3000]) : null,
    grafanaContainer ? imageTag(grafanaContainer.image) : null,
    grafanaSvc
      ? grafanaRisks(findGrafanaIni(grafanaSvc, grafanaWorkload, inv.configMaps), grafanaContainer?.env ?? {})
      : [],
  );
  const promContainer =
    promWorkload?.containers.find((c) => c.name === 'prometheus') ??
    promWorkload?.containers.find((c) => /prometheus(:|@|$)/.test(c.image));
  const promReadiness = serviceReadiness(promSvc, promWorkload, slices);
  const prometheus = toolTarget(
    'prometheus',
    promSvc,
    promReadiness,
    promSvc ? servicePort(promSvc, ['web', 'http-web', 'webui'], [9090]) : null,
    promContainer ? imageTag(promContainer.image) : null,
    ['NO_AUTH'],
  );

  const grafanaCount = grafanaReadiness.count;
  const promCount = promReadiness.count;
  const monitoringState =
    !grafanaSvc && !promSvc
      ? 'missing'
      : grafanaSvc && promSvc && isReady(grafanaCount) && isReady(promCount)
        ? 'ready'
        : 'degraded';

  return {
    cilium: {
      state: ciliumState,
      namespace: ns,
      version: ciliumVersionFromTag(agentTag),
      agents: agentCount,
      operator: operatorCount,
      candidates: otherCilium,
    },
    hubble: {
      state: hubbleState,
      relay: relayCount,
      ui: uiCount,
      metrics: { enabled: hubbleMetrics.enabled, list: hubbleMetrics.list },
    },
    monitoring: {
      state: monitoringState,
      namespace: monNs,
      prometheus: promCount,
      grafana: grafanaCount,
      candidates: otherMonitoring,
    },
    tools: { 'hubble-ui': hubbleUi, grafana, prometheus },
    relay,
    hubbleMetrics,
    ciliumMetrics: {
      agent: ciliumConfig['prometheus-serve-addr']?.trim() || null,
      operator: ciliumConfig['operator-prometheus-serve-addr']?.trim() || null,
    },
    grafanaDashboards: grafanaSvc
      ? loadedDashboards(grafanaSvc, grafanaWorkload, inv.configMaps, notTeam)
      : { uids: [], sidecar: null },
    namespaces: new Set(inv.namespaces.map((n) => n.name)),
  };
}

/** The state before anything was listed: everything missing. */
export const EMPTY_STATE: ClusterState = computeClusterState({
  workloads: [],
  services: [],
  configMaps: [],
  namespaces: [],
  endpointSlices: [],
});

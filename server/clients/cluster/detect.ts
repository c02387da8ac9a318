/**
 * Pure detection: the slim inventory the informers keep → ClusterState (what runs where, which version, which config).
 * No I/O here; the cluster view calls computeClusterState() after a (debounced) change.
 */
import type { ReadyCount, RiskCode, ServiceRef, ToolId } from '../../../contract';
import type { Inventory, SlimConfigMap, SlimService, SlimWorkload } from './objects';
import { hubbleMetricsConfig } from '../../cilium/hubble-metrics';
import { ciliumVersionFromTag, imageTag } from '../../cilium/versions';
import type { ClusterState, ToolTarget } from './types';

export interface DetectOptions {
  /** CILIUM_NAMESPACE: only look for Cilium there, e.g. "kube-system". */
  ciliumNamespace?: string;
  /** MONITORING_NAMESPACE: only look for Grafana / Prometheus there, e.g. "monitoring". */
  monitoringNamespace?: string;
}

const NONE: ReadyCount = { ready: 0, desired: 0 };

/** Minimal INI reader for grafana.ini: `[section]` + `key = value`, `;`/`#` comments, quotes stripped. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      section = (sec[1] ?? '').trim().toLowerCase();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    let value = line.slice(eq + 1).trim();
    if (/^(["']).*\1$/.test(value) && value.length >= 2) value = value.slice(1, -1);
    (out[section] ??= {})[key] = value;
  }
  return out;
}

/**
 * Grafana risks from grafana.ini and the container's literal env (env wins, as in Grafana):
 * anonymous access with org_role Admin → ANONYMOUS_ADMIN; admin password literally "admin" → DEFAULT_CREDENTIALS.
 */
export function grafanaRisks(ini: string | null, env: Record<string, string>): RiskCode[] {
  const cfg = ini ? parseIni(ini) : {};
  const anonEnabled = env.GF_AUTH_ANONYMOUS_ENABLED ?? cfg['auth.anonymous']?.enabled ?? 'false';
  // Grafana's default anonymous role is Viewer.
  const anonRole = env.GF_AUTH_ANONYMOUS_ORG_ROLE ?? cfg['auth.anonymous']?.org_role ?? 'Viewer';
  const adminUser = env.GF_SECURITY_ADMIN_USER ?? cfg.security?.admin_user ?? 'admin';
  const adminPassword = env.GF_SECURITY_ADMIN_PASSWORD ?? cfg.security?.admin_password;
  const risks: RiskCode[] = [];
  if (anonEnabled.toLowerCase() === 'true' && anonRole.toLowerCase() === 'admin')
    risks.push('ANONYMOUS_ADMIN');
  if (adminUser === 'admin' && adminPassword === 'admin') risks.push('DEFAULT_CREDENTIALS');
  return risks;
}

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

function toolTarget(
  id: ToolId,
  svc: SlimService | null,
  workload: SlimWorkload | null,
  port: number | null,
  version: string | null,
  risks: RiskCode[],
): ToolTarget {
  if (!svc || port === null) {
    return { id, state: 'missing', service: null, workload: NONE, version: null, risks: [] };
  }
  const count: ReadyCount = workload ? { ready: workload.ready, desired: workload.desired } : NONE;
  const service: ServiceRef = { namespace: svc.namespace, name: svc.name, port };
  return { id, state: count.ready > 0 ? 'ready' : 'not-ready', service, workload: count, version, risks };
}

const counted = (w: SlimWorkload | null): ReadyCount => (w ? { ready: w.ready, desired: w.desired } : NONE);
const isReady = (c: ReadyCount) => c.desired > 0 && c.ready >= c.desired;

function findGrafanaIni(
  svc: SlimService,
  workload: SlimWorkload | null,
  configMaps: readonly SlimConfigMap[],
): string | null {
  const inNs = configMaps.filter(
    (c) => c.namespace === svc.namespace && typeof c.data['grafana.ini'] === 'string',
  );
  // Mounted ConfigMaps first, then the usual names: `grafana-config` (example), `<release>-grafana` (kps).
  const mounted = inNs.find((c) => workload?.configMaps.includes(c.name));
  const named = inNs.find((c) => c.name === 'grafana-config' || c.name === svc.name);
  return (mounted ?? named ?? inNs[0])?.data['grafana.ini'] ?? null;
}

const isGrafana = (l: Record<string, string>) =>
  l.app === 'grafana' || l['app.kubernetes.io/name'] === 'grafana';
const isPrometheus = (l: Record<string, string>) =>
  l.app === 'prometheus' ||
  l.app === 'kube-prometheus-stack-prometheus' ||
  l['app.kubernetes.io/name'] === 'prometheus';

/** Inventory → ClusterState. Deterministic: ties are broken by namespace then name. */
export function computeClusterState(inv: Inventory, opts: DetectOptions = {}): ClusterState {
  const { ciliumNamespace, monitoringNamespace } = opts;

  // Cilium agent: DaemonSet k8s-app=cilium in any namespace (or CILIUM_NAMESPACE), preferring the name "cilium".
  const agentDs = pick(
    inv.workloads.filter(
      (w) =>
        w.kind === 'DaemonSet' &&
        w.labels['k8s-app'] === 'cilium' &&
        (!ciliumNamespace || w.namespace === ciliumNamespace),
    ),
    (w) => (w.name === 'cilium' ? 0 : 1),
  );
  const ns = agentDs?.namespace ?? null;
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
  const agents = counted(agentDs);
  const operatorCount = counted(operator);
  const ciliumState = !agentDs
    ? 'missing'
    : isReady(agents) && operatorCount.ready >= 1
      ? 'ready'
      : 'degraded';

  const ciliumConfig = inv.configMaps.find((c) => inCiliumNs(c) && c.name === 'cilium-config')?.data ?? {};
  const hubbleEnabled = ciliumConfig['enable-hubble'] === 'true';
  const hubbleMetrics = hubbleMetricsConfig(
    ciliumConfig['hubble-metrics'],
    ciliumConfig['hubble-metrics-server'],
  );
  if (!hubbleEnabled) hubbleMetrics.enabled = false;

  const byK8sApp =
    (app: string) => (w: { namespace: string; name: string; labels: Record<string, string> }) =>
      inCiliumNs(w) && (w.labels['k8s-app'] === app || w.name === app);
  const relayDeploy = pick(deployments.filter(byK8sApp('hubble-relay')), (w) =>
    w.name === 'hubble-relay' ? 0 : 1,
  );
  const uiDeploy = pick(deployments.filter(byK8sApp('hubble-ui')), (w) => (w.name === 'hubble-ui' ? 0 : 1));
  const relayCount = counted(relayDeploy);
  const uiCount = counted(uiDeploy);
  const hubbleState = !agentDs
    ? 'missing'
    : !hubbleEnabled
      ? 'disabled'
      : isReady(relayCount) && isReady(uiCount)
        ? 'ready'
        : 'degraded';

  const relaySvc = pick(inv.services.filter(byK8sApp('hubble-relay')), (s) =>
    s.name === 'hubble-relay' ? 0 : 1,
  );
  const relayPort = relaySvc ? servicePort(relaySvc, ['grpc'], [80, 443]) : null;
  const relay =
    relaySvc && relayPort !== null
      ? { namespace: relaySvc.namespace, name: relaySvc.name, port: relayPort, tls: relayPort === 443 }
      : null;

  // Hubble UI: Service port 80 (→ 8081 nginx, or the envoy proxy in 1.11); version from the frontend image.
  const uiSvc = pick(inv.services.filter(byK8sApp('hubble-ui')), (s) => (s.name === 'hubble-ui' ? 0 : 1));
  const uiWorkload = uiSvc ? (workloadFor(uiSvc, deployments) ?? uiDeploy) : null;
  const uiTag =
    containerImageTag(uiWorkload, (c) => c.name === 'frontend') ??
    containerImageTag(uiWorkload, (c) => /hubble-ui(:|@|$)/.test(c.image.split('/').pop() ?? ''));
  const hubbleUi = toolTarget(
    'hubble-ui',
    uiSvc,
    uiWorkload,
    uiSvc ? servicePort(uiSvc, ['http'], [80]) : null,
    uiTag,
    ['NO_AUTH'],
  );

  // Monitoring: Cilium's example (cilium-monitoring, app=…) first, then kube-prometheus-stack (app.kubernetes.io/name).
  const monSvcs = inv.services.filter((s) => !monitoringNamespace || s.namespace === monitoringNamespace);
  const prefer = (s: SlimService) =>
    (s.namespace === 'cilium-monitoring' ? 0 : 10) + (s.headless ? 5 : 0) + (s.labels.app ? 0 : 1);
  const grafanaSvc = pick(
    monSvcs.filter((s) => isGrafana(s.labels)),
    prefer,
  );
  const promCandidates = monSvcs.filter((s) => isPrometheus(s.labels) || s.name === 'prometheus-operated');
  // Prefer Prometheus in the same namespace as Grafana.
  const promSvc = pick(
    promCandidates,
    (s) => prefer(s) + (grafanaSvc && s.namespace !== grafanaSvc.namespace ? 20 : 0),
  );
  const workloadsNonDs = inv.workloads.filter((w) => w.kind !== 'DaemonSet');
  const grafanaWorkload = grafanaSvc ? workloadFor(grafanaSvc, workloadsNonDs) : null;
  const promWorkload = promSvc ? workloadFor(promSvc, workloadsNonDs) : null;

  const grafanaContainer =
    grafanaWorkload?.containers.find((c) => /(^|\/)grafana(:|@|$)/.test(c.image)) ??
    grafanaWorkload?.containers[0];
  const grafana = toolTarget(
    'grafana',
    grafanaSvc,
    grafanaWorkload,
    grafanaSvc ? servicePort(grafanaSvc, ['http-web', 'http', 'service'], [80, 3000]) : null,
    grafanaContainer ? imageTag(grafanaContainer.image) : null,
    grafanaSvc
      ? grafanaRisks(findGrafanaIni(grafanaSvc, grafanaWorkload, inv.configMaps), grafanaContainer?.env ?? {})
      : [],
  );
  const promContainer =
    promWorkload?.containers.find((c) => c.name === 'prometheus') ??
    promWorkload?.containers.find((c) => /prometheus(:|@|$)/.test(c.image));
  const prometheus = toolTarget(
    'prometheus',
    promSvc,
    promWorkload,
    promSvc ? servicePort(promSvc, ['web', 'http-web', 'webui'], [9090]) : null,
    promContainer ? imageTag(promContainer.image) : null,
    ['NO_AUTH'],
  );

  const grafanaCount = counted(grafanaWorkload);
  const promCount = counted(promWorkload);
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
      agents,
      operator: operatorCount,
    },
    hubble: {
      state: hubbleState,
      relay: relayCount,
      ui: uiCount,
      metrics: { enabled: hubbleMetrics.enabled, list: hubbleMetrics.list },
    },
    monitoring: {
      state: monitoringState,
      namespace: promSvc?.namespace ?? grafanaSvc?.namespace ?? null,
      prometheus: promCount,
      grafana: grafanaCount,
    },
    tools: { 'hubble-ui': hubbleUi, grafana, prometheus },
    relay,
    hubbleMetrics,
    ciliumMetrics: {
      agent: ciliumConfig['prometheus-serve-addr']?.trim() || null,
      operator: ciliumConfig['operator-prometheus-serve-addr']?.trim() || null,
    },
    namespaces: new Set(inv.namespaces),
  };
}

/** The state before anything was listed: everything missing. */
export const EMPTY_STATE: ClusterState = computeClusterState({
  workloads: [],
  services: [],
  configMaps: [],
  namespaces: [],
});

/**
 * The helm / kubectl commands a user runs to fix what is missing, for the detected Cilium version and namespace.
 * Strings only: we never run or fetch them. Every helm upgrade pins `--version` to the installed chart, so a
 * fix never upgrades Cilium itself, and uses --reuse-values, so only the listed values change. `--set` of a list
 * replaces the whole list, so the metrics value keeps every metric the cluster has, with its options.
 */
import {
  DYNAMIC_METRICS_CONFIGMAP,
  formatHubbleMetric,
  metricsOf,
  namespaceLabelsFromOptions,
  parseMetricOptions,
  supportsHttpV2,
  supportsLabelsContext,
  type HubbleMetric,
  type HubbleMetricsConfig,
} from './hubble-metrics';
import { parseVersion } from './versions';

/** The installed Cilium release. */
export interface CiliumInstall {
  /** Detected version, e.g. "1.17.5"; null or not a version (e.g. "latest") → a placeholder the user fills in. */
  version: string | null;
  /** Namespace of the release, e.g. "kube-system". */
  namespace: string;
}

const VERSION_PLACEHOLDER = '<CILIUM_VERSION>';

/** The chart version to pin, e.g. "1.17.5"; "<CILIUM_VERSION>" when unknown. */
export const chartVersion = (version: string | null): string =>
  version !== null && parseVersion(version) ? version : VERSION_PLACEHOLDER;

export const HELM_REPO_ADD = 'helm repo add cilium https://helm.cilium.io/ && helm repo update cilium';

/** `helm upgrade cilium cilium/cilium --version 1.17.5 --namespace kube-system --reuse-values --set a=b …`. */
export const helmUpgrade = (install: CiliumInstall, sets: readonly string[]): string =>
  `helm upgrade cilium cilium/cilium --version ${chartVersion(install.version)} --namespace ${install.namespace} --reuse-values ${sets.map((s) => `--set ${s}`).join(' ')}`;

/** The repo (the upgrade needs the `cilium` chart repository) and the upgrade. */
export const helmUpgradeCommands = (install: CiliumInstall, sets: readonly string[]): string[] => [
  HELM_REPO_ADD,
  helmUpgrade(install, sets),
];

/** e.g. `kubectl -n kube-system rollout status daemonset/cilium --timeout=300s`. */
export const rolloutStatus = (namespace: string, what: string): string =>
  `kubectl -n ${namespace} rollout status ${what} --timeout=300s`;

/** Agents re-read cilium-config only on restart, and the chart's rollOutCiliumPods defaults to false. */
export const restartAgents = (namespace: string): string =>
  `kubectl -n ${namespace} rollout restart daemonset/cilium`;

/** Cilium's Prometheus + Grafana example of the installed version, e.g. …/cilium/v1.17.5/examples/…. */
export const monitoringExampleUrl = (version: string | null): string =>
  `https://raw.githubusercontent.com/cilium/cilium/v${chartVersion(version)}/examples/kubernetes/addons/prometheus/monitoring-example.yaml`;

export const applyMonitoringExample = (version: string | null): string =>
  `kubectl apply -f ${monitoringExampleUrl(version)}`;

/** Metrics every card and dashboard reads, in the order a new list gets them; "http" stands for the HTTP handler. */
const RECOMMENDED = ['dns', 'drop', 'tcp', 'flow', 'port-distribution', 'icmp', 'http'] as const;
/** Metrics the summary scopes to a namespace, so they get namespace context labels. */
const SCOPED = new Set(['dns', 'drop', 'tcp', 'flow', 'http', 'httpV2']);
const isHttp = (name: string) => name === 'http' || name === 'httpV2';

const metric = (name: string, raw: string): HubbleMetric => ({
  name,
  options: { raw, parsed: parseMetricOptions(raw) },
});

/** Adds namespace context labels to one metric where it lacks a side, keeping its other options as written. */
function withNamespaceContext(m: HubbleMetric, version: string | null): HubbleMetric {
  const have = namespaceLabelsFromOptions(m.options.raw);
  const needSource = !have.includes('source_namespace') && !have.includes('source');
  const needDestination = !have.includes('destination_namespace') && !have.includes('destination');
  if (!needSource && !needDestination) return m;
  const parts = m.options.raw === '' ? [] : m.options.raw.split(';');
  if (supportsLabelsContext(version)) {
    const missing = [
      ...(needSource ? ['source_namespace'] : []),
      ...(needDestination ? ['destination_namespace'] : []),
    ];
    const at = parts.findIndex((p) => p.trim().startsWith('labelsContext='));
    const labels = (m.options.parsed.labelsContext ?? '').split(',').filter((l) => l.trim() !== '');
    const entry = `labelsContext=${[...labels, ...missing].join(',')}`;
    if (at < 0) parts.push(entry);
    else parts[at] = entry;
  } else {
    // 1.11/1.12: sourceContext/destinationContext; one already set to something else is the user's choice.
    if (needSource && m.options.parsed.sourceContext === undefined) parts.push('sourceContext=namespace');
    if (needDestination && m.options.parsed.destinationContext === undefined)
      parts.push('destinationContext=namespace');
  }
  return metric(m.name, parts.join(';'));
}

/**
 * The metrics list a fix sets: every current metric with its options, the recommended ones that are missing, and
 * namespace context labels on dns/drop/tcp/flow/http(V2). The HTTP handler already enabled is kept (httpV2 and
 * http cannot run together); a new one is httpV2 with exemplars from 1.13, else http.
 */
export function targetMetrics(version: string | null, current: readonly HubbleMetric[]): HubbleMetric[] {
  const byName = new Map(current.map((m) => [m.name, m]));
  const currentHttp = current.find((m) => isHttp(m.name));
  const newHttp = supportsHttpV2(version) ? metric('httpV2', 'exemplars=true') : metric('http', '');
  const out: HubbleMetric[] = [];
  for (const name of RECOMMENDED) {
    out.push(name === 'http' ? (currentHttp ?? newHttp) : (byName.get(name) ?? metric(name, '')));
  }
  for (const m of current) if (!out.some((x) => x.name === m.name)) out.push(m);
  return out.map((m) => (SCOPED.has(m.name) ? withNamespaceContext(m, version) : m));
}

/** Quotes for a double-quoted shell word; `\,` (Helm's escaped comma) stays as it is. */
const shellQuote = (s: string) => `"${s.replace(/["$`]/g, (c) => `\\${c}`)}"`;

/**
 * The `hubble.metrics.enabled` value for `--set`, commas inside an entry escaped for Helm, e.g.
 * `"{dns:query;ignoreAAAA;labelsContext=source_namespace\,destination_namespace,drop:…}"`.
 */
export const helmMetricsValue = (metrics: readonly HubbleMetric[]): string =>
  shellQuote(`{${metrics.map((m) => formatHubbleMetric(m).replace(/,/g, '\\,')).join(',')}}`);

export interface MetricsFixOptions {
  /** Values set before the metrics, e.g. ["hubble.enabled=true"]. */
  alsoSet?: readonly string[];
}

/** "labelsContext=a,b;query" → [{name:"labelsContext",values:["a","b"]},{name:"query"}], as the agent splits it. */
function contextOptions(m: HubbleMetric): { name: string; values?: string[] }[] {
  return m.options.raw
    .split(';')
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const [name = '', ...rest] = p.split('=');
      const value = rest.join('=');
      if (rest.length === 0 || value === '') return { name: name.trim() };
      return {
        name: name.trim(),
        values: value.split(value.includes('|') ? '|' : ',').filter((v) => v !== ''),
      };
    });
}

/**
 * The `hubble.metrics.dynamic.config.content` value for `--set-json`, in single quotes, e.g.
 * `'hubble.metrics.dynamic.config.content=[{"name":"dns","contextOptions":[{"name":"labelsContext","values":["source_namespace"]}]}]'`.
 */
export const helmDynamicMetricsValue = (metrics: readonly HubbleMetric[]): string => {
  const content = metrics.map((m) => {
    const opts = contextOptions(m);
    return opts.length > 0 ? { name: m.name, contextOptions: opts } : { name: m.name };
  });
  return `'hubble.metrics.dynamic.config.content=${JSON.stringify(content).replace(/'/g, "'\\''")}'`;
};

/**
 * Commands that enable the target metrics on the current config: repo, upgrade (OpenMetrics on when a metric
 * asks for exemplars), restart of the agents, and waiting for them. A cluster on the dynamic exporter
 * (`source: "dynamic"`) keeps it: the list goes to `hubble.metrics.dynamic.config.content` (never the mutually
 * exclusive `hubble.metrics.enabled`), and the agents re-read the file without a restart.
 */
export function hubbleMetricsFix(
  install: CiliumInstall,
  current: Pick<HubbleMetricsConfig, 'list' | 'options' | 'source'>,
  opts: MetricsFixOptions = {},
): string[] {
  const metrics = targetMetrics(install.version, metricsOf(current));
  const openMetrics =
    supportsHttpV2(install.version) && metrics.some((m) => m.options.parsed.exemplars === 'true');
  const before = [...(opts.alsoSet ?? []), ...(openMetrics ? ['hubble.metrics.enableOpenMetrics=true'] : [])];
  if (current.source === 'dynamic') {
    const upgrade = helmUpgrade(install, [...before, 'hubble.metrics.dynamic.enabled=true']);
    return [
      HELM_REPO_ADD,
      `${upgrade} --set-json ${helmDynamicMetricsValue(metrics)}`,
      `kubectl -n ${install.namespace} get configmap ${DYNAMIC_METRICS_CONFIGMAP} -o yaml`,
    ];
  }
  const sets = [...before, `hubble.metrics.enabled=${helmMetricsValue(metrics)}`];
  return [
    ...helmUpgradeCommands(install, sets),
    restartAgents(install.namespace),
    rolloutStatus(install.namespace, 'daemonset/cilium'),
  ];
}

/** Where Grafana's dashboard sidecar looks, when the Cilium chart's defaults would not reach it. */
export interface DashboardsTarget {
  /** Namespace for the dashboard ConfigMaps, e.g. "monitoring"; null = the Cilium release namespace is watched. */
  namespace: string | null;
  /** Sidecar label, e.g. "grafana_dashboard" (the chart's default, then not set). */
  label: string | null;
  /** Sidecar label value, e.g. "1" (the chart's default, then not set); null = any value. */
  labelValue: string | null;
}

/** The chart's three dashboard switches (agent, operator, Hubble), each with its namespace and label. */
const DASHBOARD_VALUES = ['dashboards', 'operator.dashboards', 'hubble.metrics.dashboards'] as const;

/**
 * Commands that make the Cilium chart ship its Grafana dashboards as ConfigMaps for a Grafana sidecar:
 * `dashboards.enabled`, `operator.dashboards.enabled`, `hubble.metrics.dashboards.enabled`, with the sidecar's
 * namespace and label where they differ from the chart's defaults (release namespace, grafana_dashboard="1").
 */
export function dashboardsFix(install: CiliumInstall, target: DashboardsTarget): string[] {
  const sets = DASHBOARD_VALUES.flatMap((v) => [
    `${v}.enabled=true`,
    ...(target.namespace ? [`${v}.namespace=${target.namespace}`] : []),
    ...(target.label && target.label !== 'grafana_dashboard' ? [`${v}.label=${target.label}`] : []),
    ...(target.labelValue && target.labelValue !== '1' ? [`${v}.labelValue=${target.labelValue}`] : []),
  ]);
  return helmUpgradeCommands(install, sets);
}

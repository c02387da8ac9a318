/**
 * The `hubble-metrics` option of cilium-config: a whitespace-separated list of `name[:options]` entries, options
 * `;`-separated, e.g. "dns:query;ignoreAAAA drop tcp flow httpV2:exemplars=true;labelsContext=source_namespace".
 * The one parser of it, and what its context options say about namespace labels.
 */
import { parse as parseYaml } from 'yaml';
import { isAtLeast } from './versions';

/** One entry, e.g. "dns:query;ignoreAAAA" → { name: "dns", options: { raw: "query;ignoreAAAA", parsed: { query: "", ignoreAAAA: "" } } }. */
export interface HubbleMetric {
  /** Handler name, e.g. "dns", "httpV2", "port-distribution". */
  name: string;
  options: {
    /** As written after the first ":", e.g. "exemplars=true;labelsContext=source_namespace,destination_namespace"; "" = none. */
    raw: string;
    /** By key, e.g. { exemplars: "true", labelsContext: "source_namespace,destination_namespace" }; flags map to "". */
    parsed: Record<string, string>;
  };
}

/** What the cluster view keeps of the metrics config. */
export interface HubbleMetricsConfig {
  /** Metrics served: a list is set and `hubble-metrics-server` has an address (and Hubble is on). */
  enabled: boolean;
  /** Metric names, e.g. ["dns", "drop", "tcp", "flow", "port-distribution", "icmp", "httpV2"]. */
  list: string[];
  /** Raw options per metric, e.g. { flow: "sourceContext=namespace;destinationContext=namespace" }. */
  options: Record<string, string>;
  /** Metrics server address from cilium-config `hubble-metrics-server`, e.g. ":9965". */
  serverAddress: string | null;
  /**
   * Where the list comes from: cilium-config `hubble-metrics` ("static", also when absent) or the dynamic
   * exporter's file (`hubble-dynamic-metrics-config-path`, ConfigMap `cilium-dynamic-metrics-config`).
   */
  source?: 'static' | 'dynamic';
}

/** "sourceContext=namespace;labelsContext=source_namespace,destination_namespace" → { sourceContext: "namespace", labelsContext: "…" }. */
export function parseMetricOptions(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (raw ?? '').split(';')) {
    const [k, ...v] = part.split('=');
    if (k && k.trim() !== '') out[k.trim()] = v.join('=').trim();
  }
  return out;
}

/** One entry, e.g. "dns:query;ignoreAAAA"; null for an empty name. */
export function parseHubbleMetric(entry: string): HubbleMetric | null {
  const i = entry.indexOf(':');
  const name = (i < 0 ? entry : entry.slice(0, i)).trim();
  if (name === '') return null;
  const raw = i < 0 ? '' : entry.slice(i + 1).trim();
  return { name, options: { raw, parsed: parseMetricOptions(raw) } };
}

/** The whole value (split on any whitespace: YAML folds it over lines); a repeated name keeps its first entry. */
export function parseHubbleMetrics(value: string | undefined): HubbleMetric[] {
  const out: HubbleMetric[] = [];
  for (const entry of (value ?? '').split(/\s+/)) {
    const m = parseHubbleMetric(entry);
    if (m && !out.some((x) => x.name === m.name)) out.push(m);
  }
  return out;
}

/** Back to the option's text, e.g. { name: "dns", options.raw: "query" } → "dns:query". */
export const formatHubbleMetric = (m: HubbleMetric): string =>
  m.options.raw === '' ? m.name : `${m.name}:${m.options.raw}`;

/** cilium-config `hubble-metrics` + `hubble-metrics-server` → the config the cluster view keeps. */
export function hubbleMetricsConfig(
  value: string | undefined,
  serverAddress: string | undefined,
): HubbleMetricsConfig {
  const metrics = parseHubbleMetrics(value);
  const options: Record<string, string> = {};
  for (const m of metrics) if (m.options.raw !== '') options[m.name] = m.options.raw;
  const address = serverAddress?.trim() ? serverAddress.trim() : null;
  return {
    enabled: address !== null && metrics.length > 0,
    list: metrics.map((m) => m.name),
    options,
    serverAddress: address,
  };
}

/** The entries of a config; `list` may also hold whole entries ("dns:query"), `options` wins when both say. */
export function metricsOf(config: Pick<HubbleMetricsConfig, 'list' | 'options'>): HubbleMetric[] {
  const out: HubbleMetric[] = [];
  for (const entry of config.list) {
    const m = parseHubbleMetric(entry);
    if (!m || out.some((x) => x.name === m.name)) continue;
    const raw = config.options[m.name];
    out.push(raw === undefined ? m : { name: m.name, options: { raw, parsed: parseMetricOptions(raw) } });
  }
  return out;
}

/** Metric names of a config, e.g. ["dns", "drop"]. */
export const metricNames = (config: Pick<HubbleMetricsConfig, 'list' | 'options'>): string[] =>
  metricsOf(config).map((m) => m.name);

/** `labelsContext` (namespace labels as their own label names) and `httpV2` exist from Cilium 1.13. */
export const supportsLabelsContext = (ciliumVersion: string | null): boolean =>
  isAtLeast(ciliumVersion, 1, 13);
export const supportsHttpV2 = (ciliumVersion: string | null): boolean => isAtLeast(ciliumVersion, 1, 13);

/** Label names that can carry a namespace: `labelsContext` labels, or `sourceContext=namespace` ones. */
export const NAMESPACE_LABELS = [
  'source_namespace',
  'destination_namespace',
  'source',
  'destination',
] as const;
export type NamespaceLabel = (typeof NAMESPACE_LABELS)[number];

/** Namespace labels the options of one metric promise, e.g. "labelsContext=source_namespace" → ["source_namespace"]. */
export function namespaceLabelsFromOptions(raw: string | undefined): NamespaceLabel[] {
  const o = parseMetricOptions(raw);
  const out: NamespaceLabel[] = [];
  const ctx = (o.labelsContext ?? '').split(',').map((s) => s.trim());
  if (ctx.includes('source_namespace')) out.push('source_namespace');
  if (ctx.includes('destination_namespace')) out.push('destination_namespace');
  // "namespace|reserved-identity": the first non-empty wins, so the value is the namespace whenever there is one.
  if ((o.sourceContext ?? '').split('|')[0] === 'namespace') out.push('source');
  if ((o.destinationContext ?? '').split('|')[0] === 'namespace') out.push('destination');
  return out;
}

/** Whether any enabled metric has a context option (labelsContext, sourceContext or destinationContext). */
export function hasContextLabels(config: Pick<HubbleMetricsConfig, 'list' | 'options'>): boolean {
  const keys = ['labelsContext', 'sourceContext', 'destinationContext'];
  return metricsOf(config).some((m) => keys.some((k) => (m.options.parsed[k] ?? '') !== ''));
}

/** Port of `hubble-metrics-server`, e.g. ":9965" → 9965 (the Helm default when unknown). */
export function hubbleMetricsPort(serverAddress: string | null): number {
  const m = /:(\d{1,5})$/.exec(serverAddress ?? '');
  return m ? Number(m[1]) : 9965;
}

/** Dynamic metrics files larger than this are not parsed (the Helm chart renders a few hundred bytes). */
export const DYNAMIC_METRICS_LIMIT = 262_144;

/** ConfigMap the Helm chart creates for the dynamic exporter (hubble.metrics.dynamic.config.configMapName). */
export const DYNAMIC_METRICS_CONFIGMAP = 'cilium-dynamic-metrics-config';

/** Data keys of that ConfigMap: "dynamic-metrics.yaml" (current chart), "dyn-metrics.yaml" (first chart with it). */
export const DYNAMIC_METRICS_KEYS = ['dynamic-metrics.yaml', 'dyn-metrics.yaml'] as const;

/** One `contextOptions` item → option text, as the agent's static parser reads it back ("a|b", or "a,b" for labelsContext). */
function optionText(o: unknown): string | null {
  if (typeof o !== 'object' || o === null) return null;
  const { name, values } = o as { name?: unknown; values?: unknown };
  if (typeof name !== 'string' || name.trim() === '') return null;
  const vals = Array.isArray(values)
    ? values.filter((v): v is string => typeof v === 'string' && v !== '')
    : [];
  if (vals.length === 0) return name.trim();
  return `${name.trim()}=${vals.join(name.trim() === 'labelsContext' ? ',' : '|')}`;
}

/**
 * The dynamic exporter's YAML (`metrics: [{name, contextOptions: [{name, values}], includeFilters, excludeFilters}]`,
 * cilium/cilium pkg/hubble/metrics/api/api.go `Config`) → its metrics with their context options as option text;
 * filters are not options and are left out. null when the text is too large or not that shape.
 */
export function parseDynamicMetrics(text: string | undefined): HubbleMetric[] | null {
  if (text === undefined || text.length > DYNAMIC_METRICS_LIMIT) return null;
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 16 });
  } catch {
    return null;
  }
  const metrics = (doc as { metrics?: unknown } | null)?.metrics;
  if (metrics === undefined || metrics === null) return [];
  if (!Array.isArray(metrics)) return null;
  const out: HubbleMetric[] = [];
  for (const m of metrics) {
    const name = (m as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name.trim() === '' || out.some((x) => x.name === name.trim())) continue;
    const opts = (m as { contextOptions?: unknown }).contextOptions;
    const raw = (Array.isArray(opts) ? opts : [])
      .map(optionText)
      .filter((x): x is string => x !== null)
      .join(';');
    out.push({ name: name.trim(), options: { raw, parsed: parseMetricOptions(raw) } });
  }
  return out;
}

/**
 * cilium-config with `hubble-dynamic-metrics-config-path` set → the config the cluster view keeps. Metrics are
 * served whenever the server has an address (the agent reads the file on its own); `metrics` is what the
 * ConfigMap lists, null when it could not be read (then the list is empty but metrics still count as on).
 */
export function dynamicMetricsConfig(
  metrics: readonly HubbleMetric[] | null,
  serverAddress: string | undefined,
): HubbleMetricsConfig {
  const options: Record<string, string> = {};
  for (const m of metrics ?? []) if (m.options.raw !== '') options[m.name] = m.options.raw;
  const address = serverAddress?.trim() ? serverAddress.trim() : null;
  return {
    enabled: address !== null,
    list: (metrics ?? []).map((m) => m.name),
    options,
    serverAddress: address,
    source: 'dynamic',
  };
}

/**
 * The `hubble-metrics` option of cilium-config: a whitespace-separated list of `name[:options]` entries, options
 * `;`-separated, e.g. "dns:query;ignoreAAAA drop tcp flow httpV2:exemplars=true;labelsContext=source_namespace".
 * The one parser of it, and what its context options say about namespace labels.
 */
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

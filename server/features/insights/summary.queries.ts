/**
 * What to ask Prometheus for the team summary: which labels scope each Hubble series to the namespace, and the
 * PromQL of every card.
 */
import {
  NAMESPACE_LABELS,
  metricNames,
  metricsOf,
  namespaceLabelsFromOptions,
  type HubbleMetricsConfig,
  type NamespaceLabel,
} from '../../cilium/hubble-metrics';
import type { ServiceRef } from '../../../contract';
import type { SummaryCard } from '../../../contract/insights';
import { SUMMARY_CARD_IDS } from '../../../contract/insights';

export type CardId = (typeof SUMMARY_CARD_IDS)[number];

/** Series each `hubble-metrics` entry produces (the histogram as its `_bucket` series). */
export const HUBBLE_METRIC_SERIES: Record<string, string[]> = {
  flow: ['hubble_flows_processed_total'],
  drop: ['hubble_drop_total'],
  dns: ['hubble_dns_queries_total', 'hubble_dns_responses_total'],
  tcp: ['hubble_tcp_flags_total'],
  httpV2: ['hubble_http_requests_total', 'hubble_http_request_duration_seconds_bucket'],
  http: [
    'hubble_http_requests_total',
    'hubble_http_responses_total',
    'hubble_http_request_duration_seconds_bucket',
  ],
};

const FLOWS = 'hubble_flows_processed_total';
const DROPS = 'hubble_drop_total';
const DNS_Q = 'hubble_dns_queries_total';
const DNS_R = 'hubble_dns_responses_total';
const TCP = 'hubble_tcp_flags_total';
const HTTP_REQ = 'hubble_http_requests_total';
const HTTP_RESP = 'hubble_http_responses_total';
const HTTP_BUCKET = 'hubble_http_request_duration_seconds_bucket';
const LOST = 'hubble_lost_events_total';

/** Inputs of scope detection: which series exist and which carry each namespace label (from count by (__name__)). */
export interface SeriesEvidence {
  present: ReadonlySet<string>;
  withLabel: Record<NamespaceLabel, ReadonlySet<string>>;
}

export interface ScopeDecision {
  scope: 'namespace' | 'cluster';
  /** Per series name, the labels to OR on; [] = cannot be scoped to a namespace. */
  labelsBySeries: Record<string, NamespaceLabel[]>;
  /** Enabled metrics whose series cannot be scoped, e.g. ["dns", "tcp"]. */
  unscopedMetrics: string[];
}

/**
 * Series evidence wins (what Prometheus really holds); options fill in for series not seen yet.
 * `source`/`destination` count only when the options say they hold namespaces (they could hold pods).
 */
export function decideScope(config: HubbleMetricsConfig, evidence: SeriesEvidence): ScopeDecision {
  const labelsBySeries: Record<string, NamespaceLabel[]> = {};
  const unscoped: string[] = [];
  const metrics = metricsOf(config);
  const entries = metrics.map((m) => m.name);
  const names = new Set([...entries, ...Object.keys(HUBBLE_METRIC_SERIES)]);
  for (const metric of names) {
    const fromOptions = namespaceLabelsFromOptions(metrics.find((m) => m.name === metric)?.options.raw);
    let any = false;
    for (const series of HUBBLE_METRIC_SERIES[metric] ?? []) {
      const seen = NAMESPACE_LABELS.filter(
        (l) => evidence.withLabel[l].has(series) && (l.endsWith('_namespace') || fromOptions.includes(l)),
      );
      // What Prometheus holds wins; the options only speak for series not scraped yet.
      const labels = evidence.present.has(series) ? seen : fromOptions;
      labelsBySeries[series] = [...new Set([...(labelsBySeries[series] ?? []), ...labels])];
      if (labels.length > 0) any = true;
    }
    if (entries.includes(metric) && !any && HUBBLE_METRIC_SERIES[metric]) unscoped.push(metric);
  }
  const scoped = Object.values(labelsBySeries).some((l) => l.length > 0);
  return { scope: scoped ? 'namespace' : 'cluster', labelsBySeries, unscopedMetrics: scoped ? unscoped : [] };
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/**
 * rate() of one series limited to the namespace: one selector per label, OR'ed. `or` keeps the left series when
 * both sides hold the same label set, so a flow inside the namespace (source and destination both "shop")
 * counts once. In cluster scope (labels = null) no filter is applied.
 */
export function scopedRate(
  series: string,
  matchers: string[],
  labels: NamespaceLabel[] | null,
  ns: string,
  range: string,
) {
  const sel = (extra: string[]) => `rate(${series}{${[...matchers, ...extra].join(',')}}[${range}])`;
  if (labels === null) return sel([]);
  if (labels.length === 0) return sel(['__unscoped__="true"']);
  return labels.map((l) => sel([`${l}="${escapeLabel(ns)}"`])).join(' or ');
}

export interface CardPlan {
  id: CardId;
  unit: SummaryCard['unit'];
  /** Series the card needs; the card is empty (null) when none of them is present. */
  needs: string[];
  /** Instant value; absent = the sum of the breakdown. */
  value?: string;
  breakdown?: { promql: string; label: string };
  /** Same figure over a short range, for query_range. */
  series: string;
  /** Card computed over the whole cluster even in namespace scope (pipeline health). */
  clusterWide?: boolean;
}

export interface PlanInput {
  namespace: string;
  decision: ScopeDecision;
  /** "v2" = httpV2 (status on requests), "v1" = deprecated http (status on responses). */
  http: 'v2' | 'v1';
  /** Rate window of the figures, e.g. "300s". */
  range: string;
  /** Rate window of each sparkline point, e.g. "40s". */
  seriesRange: string;
}

/** PromQL of every card. A series that cannot be scoped in namespace scope yields no data (never cluster data). */
export function planCards(p: PlanInput): CardPlan[] {
  const labels = (series: string) =>
    p.decision.scope === 'cluster' ? null : (p.decision.labelsBySeries[series] ?? []);
  const r = (series: string, matchers: string[], range: string) =>
    `(${scopedRate(series, matchers, labels(series), p.namespace, range)})`;
  const ratio = (series: string, bad: string, range: string) =>
    `(sum(${r(series, [bad], range)}) or vector(0)) / sum(${r(series, [], range)})`;
  const statusSeries = p.http === 'v2' ? HTTP_REQ : HTTP_RESP;
  const p95 = (range: string) => `histogram_quantile(0.95, sum by (le) ${r(HTTP_BUCKET, [], range)})`;
  return [
    {
      id: 'flows',
      unit: 'per_second',
      needs: [FLOWS],
      breakdown: { promql: `sum by (verdict) ${r(FLOWS, [], p.range)}`, label: 'verdict' },
      series: `sum(${r(FLOWS, [], p.seriesRange)})`,
    },
    {
      id: 'dropRatio',
      unit: 'ratio',
      needs: [FLOWS],
      value: ratio(FLOWS, 'verdict="DROPPED"', p.range),
      breakdown: { promql: `topk(5, sum by (reason) ${r(DROPS, [], p.range)})`, label: 'reason' },
      series: ratio(FLOWS, 'verdict="DROPPED"', p.seriesRange),
    },
    {
      id: 'dnsErrorRatio',
      unit: 'ratio',
      needs: [DNS_R],
      value: ratio(DNS_R, 'rcode!="No Error"', p.range),
      breakdown: { promql: `sum by (rcode) ${r(DNS_R, [], p.range)}`, label: 'rcode' },
      series: ratio(DNS_R, 'rcode!="No Error"', p.seriesRange),
    },
    {
      id: 'dnsMissing',
      unit: 'per_second',
      needs: [DNS_Q, DNS_R],
      value: `clamp_min(sum(${r(DNS_Q, [], p.range)}) - (sum(${r(DNS_R, [], p.range)}) or vector(0)), 0)`,
      series: `clamp_min(sum(${r(DNS_Q, [], p.seriesRange)}) - (sum(${r(DNS_R, [], p.seriesRange)}) or vector(0)), 0)`,
    },
    {
      id: 'tcpResets',
      unit: 'per_second',
      needs: [TCP],
      value: `sum(${r(TCP, ['flag="RST"'], p.range)}) or vector(0)`,
      breakdown: { promql: `sum by (flag) ${r(TCP, [], p.range)}`, label: 'flag' },
      series: `sum(${r(TCP, ['flag="RST"'], p.seriesRange)}) or vector(0)`,
    },
    {
      id: 'http5xxRatio',
      unit: 'ratio',
      needs: [statusSeries],
      value: ratio(statusSeries, 'status=~"5.."', p.range),
      breakdown: { promql: `sum by (status) ${r(statusSeries, [], p.range)}`, label: 'status' },
      series: ratio(statusSeries, 'status=~"5.."', p.seriesRange),
    },
    {
      id: 'httpP95',
      unit: 'seconds',
      needs: [HTTP_BUCKET],
      value: p95(p.range),
      series: p95(p.seriesRange),
    },
    {
      id: 'lostEvents',
      unit: 'per_second',
      // Registered with the first Hubble metric; no series until an event is lost, which means 0.
      needs: [],
      clusterWide: true,
      breakdown: { promql: `sum by (source) (rate(${LOST}[${p.range}]))`, label: 'source' },
      series: `sum(rate(${LOST}[${p.seriesRange}])) or vector(0)`,
    },
  ];
}

/** Whether a card's metric is switched on (config) or visibly scraped (series). */
export function isCardAvailable(
  id: CardId,
  config: HubbleMetricsConfig,
  present: ReadonlySet<string>,
): boolean {
  const enabled = new Set(config.enabled ? metricNames(config) : []);
  const http =
    enabled.has('httpV2') || enabled.has('http') || present.has(HTTP_BUCKET) || present.has(HTTP_REQ);
  switch (id) {
    case 'flows':
    case 'dropRatio':
      return enabled.has('flow') || present.has(FLOWS);
    case 'dnsErrorRatio':
    case 'dnsMissing':
      return enabled.has('dns') || present.has(DNS_Q) || present.has(DNS_R);
    case 'tcpResets':
      return enabled.has('tcp') || present.has(TCP);
    case 'http5xxRatio':
    case 'httpP95':
      return http;
    case 'lostEvents':
      return enabled.size > 0 || [...present].some((s) => s.startsWith('hubble_'));
  }
}

/** "v1" only when the deprecated `http` handler is on (status sits on hubble_http_responses_total). */
export const httpFlavour = (config: HubbleMetricsConfig, present: ReadonlySet<string>): 'v1' | 'v2' =>
  metricNames(config).includes('http') || present.has(HTTP_RESP) ? 'v1' : 'v2';

/** "5m" → 300; also "30s" for tests and benchmarks; null when malformed. */
export function windowSeconds(window: string): number | null {
  const m = /^([1-9][0-9]{0,3})([smh])$/.exec(window);
  if (!m) return null;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

/** The Prometheus tool's Service as an in-cluster URL, e.g. http://prometheus.cilium-monitoring.svc:9090. */
export const prometheusUrlFromService = (svc: ServiceRef | null): string | null =>
  svc ? `http://${svc.name}.${svc.namespace}.svc:${svc.port}` : null;

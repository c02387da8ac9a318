/**
 * Pure parts of the team health summary: which labels scope Hubble series to a namespace, the PromQL of each
 * card, Prometheus vectors → cards, and the diagnoses (zh-CN / en) that explain missing data.
 */
import type { HubbleMetricsConfig } from '../../clients/cluster/types';
import type { Locale } from '../../http/env';
import type { QueryData, Target } from '../../clients/prometheus/client';
import type { ServiceRef } from '../../../contract';
import type { Diagnosis, SummaryCard } from '../../../contract/insights';
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

/** Label names that can carry a namespace: `labelsContext` labels, or `sourceContext=namespace` ones. */
export const NAMESPACE_LABELS = [
  'source_namespace',
  'destination_namespace',
  'source',
  'destination',
] as const;
export type NamespaceLabel = (typeof NAMESPACE_LABELS)[number];

/** Metric name of a `hubble-metrics` entry, e.g. "dns:query;ignoreAAAA" → "dns". */
export const metricEntryName = (entry: string) => entry.split(':')[0] ?? entry;

/** Parses "sourceContext=namespace;labelsContext=source_namespace,destination_namespace" into a map. */
export function parseMetricOptions(options: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (options ?? '').split(';')) {
    const [k, ...v] = part.split('=');
    if (k && k.trim() !== '') out[k.trim()] = v.join('=').trim();
  }
  return out;
}

/** Namespace labels the options of one metric promise, e.g. labelsContext=source_namespace → ["source_namespace"]. */
export function namespaceLabelsFromOptions(options: string | undefined): NamespaceLabel[] {
  const o = parseMetricOptions(options);
  const out: NamespaceLabel[] = [];
  const ctx = (o.labelsContext ?? '').split(',').map((s) => s.trim());
  if (ctx.includes('source_namespace')) out.push('source_namespace');
  if (ctx.includes('destination_namespace')) out.push('destination_namespace');
  // "namespace|reserved-identity": the first non-empty wins, so the value is the namespace whenever there is one.
  if ((o.sourceContext ?? '').split('|')[0] === 'namespace') out.push('source');
  if ((o.destinationContext ?? '').split('|')[0] === 'namespace') out.push('destination');
  return out;
}

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
  const entries = config.list.map(metricEntryName);
  const names = new Set([...entries, ...Object.keys(HUBBLE_METRIC_SERIES)]);
  for (const metric of names) {
    const fromOptions = namespaceLabelsFromOptions(config.options[metric]);
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
  const enabled = new Set(config.enabled ? config.list.map(metricEntryName) : []);
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
  config.list.map(metricEntryName).includes('http') || present.has(HTTP_RESP) ? 'v1' : 'v2';

/** A finite number or null (JSON has no NaN; a 0/0 ratio means "no traffic", not 0). */
export const finite = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

/** First sample of an instant vector/scalar, or null. */
export function scalarOf(data: QueryData): number | null {
  if (data.resultType === 'scalar') return finite(data.result[1]);
  if (data.resultType === 'vector') return finite(data.result[0]?.value[1]);
  return null;
}

/** Vector → [{label, value}], largest first; series without the label become "(none)". */
export function breakdownOf(data: QueryData, label: string): { label: string; value: number }[] {
  if (data.resultType !== 'vector') return [];
  return data.result
    .map((s) => ({ label: s.metric[label] || '(none)', value: finite(s.value[1]) }))
    .filter((b): b is { label: string; value: number } => b.value !== null)
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

/** First series of a matrix as [unix seconds, value] points, skipping NaN. */
export function seriesOf(data: QueryData): [number, number][] {
  if (data.resultType !== 'matrix') return [];
  return (data.result[0]?.values ?? [])
    .filter(([, v]) => Number.isFinite(v))
    .map(([t, v]) => [t, v] as [number, number]);
}

/** `count by (__name__)` → the set of names. */
export function namesOf(data: QueryData): Set<string> {
  if (data.resultType !== 'vector') return new Set();
  return new Set(data.result.map((s) => s.metric.__name__).filter((n): n is string => !!n));
}

/** "5m" → 300; also "30s" for tests and benchmarks; null when malformed. */
export function windowSeconds(window: string): number | null {
  const m = /^([1-9][0-9]{0,3})([smh])$/.exec(window);
  if (!m) return null;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

/** The Prometheus tool's Service as an in-cluster URL, e.g. http://prometheus.cilium-monitoring.svc:9090. */
export const prometheusUrlFromService = (svc: ServiceRef | null): string | null =>
  svc ? `http://${svc.name}.${svc.namespace}.svc:${svc.port}` : null;

/** Port of `hubble-metrics-server`, e.g. ":9965" → 9965 (the Helm default when unknown). */
export function hubbleMetricsPort(serverAddress: string | null): number {
  const m = /:(\d{1,5})$/.exec(serverAddress ?? '');
  return m ? Number(m[1]) : 9965;
}

/** Active targets that scrape the Hubble metrics port. */
export function hubbleTargets(targets: Target[], port: number): Target[] {
  return targets.filter((t) => {
    try {
      return new URL(t.scrapeUrl).port === String(port);
    } catch {
      return false;
    }
  });
}

// ---------------------------------------------------------------- diagnoses

export interface DiagnosisFacts {
  locale: Locale;
  /** null = no Prometheus configured or found in the cluster. */
  prometheusUrl: string | null;
  reachable: boolean;
  /** Why it is unreachable, e.g. "cannot reach http://…: ECONNREFUSED". */
  unreachableReason?: string;
  hubbleMetrics: HubbleMetricsConfig;
  ciliumNamespace: string;
  /** Any hubble_ series present. */
  hubbleSeriesPresent: boolean;
  scope: 'namespace' | 'cluster';
  unscopedMetrics: string[];
  /** Targets on the hubble-metrics port; null = the targets API failed. */
  hubbleTargets: Target[] | null;
  hubblePort: number;
  /** Effective scrape interval of the job scraping Hubble (or the global one), seconds. */
  scrapeIntervalSeconds: number | null;
  windowSeconds: number;
  window: string;
  httpAvailable: boolean;
  /** Cards whose queries failed, with the reason. */
  failedCards: { id: CardId; reason: string }[];
}

type Text = Record<Locale, string>;
const t = (locale: Locale, text: Text) => text[locale];

const CONTEXT_OPTION = 'labelsContext=source_namespace\\,destination_namespace';

/** `--set hubble.metrics.enabled={...}` with namespace context labels added to every metric (commas escaped). */
export function helmMetricsValue(list: string[]): string {
  const base = list.length > 0 ? list : ['dns', 'drop', 'tcp', 'flow', 'port-distribution', 'icmp', 'httpV2'];
  const items = base.map((entry) => {
    const [name, ...rest] = entry.split(':');
    const opts = rest.join(':');
    const o = parseMetricOptions(opts);
    if (o.labelsContext) {
      const labels = new Set(o.labelsContext.split(','));
      labels.add('source_namespace');
      labels.add('destination_namespace');
      const kept = opts
        .split(';')
        .filter((p) => !p.startsWith('labelsContext='))
        .filter(Boolean);
      return `${name}:${[...kept, `labelsContext=${[...labels].join('\\,')}`].join(';')}`;
    }
    return `${name}:${opts ? `${opts.replace(/,/g, '\\,')};` : ''}${CONTEXT_OPTION}`;
  });
  return `{${items.join(',')}}`;
}

const helmUpgrade = (ns: string, sets: string[]) =>
  `helm upgrade cilium cilium/cilium -n ${ns} --reuse-values ${sets.map((s) => `--set ${s}`).join(' ')}`;
const restartAgents = (ns: string) => `kubectl -n ${ns} rollout restart daemonset/cilium`;
const MONITORING_EXAMPLE =
  'kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/main/examples/kubernetes/addons/prometheus/monitoring-example.yaml';

/** Why the cards are empty or partial, most blocking first, with the commands that fix it. */
export function diagnose(f: DiagnosisFacts): Diagnosis[] {
  const out: Diagnosis[] = [];
  const L = f.locale;
  const ns = f.ciliumNamespace;

  if (f.prometheusUrl === null) {
    out.push({
      code: 'PROMETHEUS_NOT_FOUND',
      severity: 'error',
      message: t(L, {
        en: 'No Prometheus found: no Prometheus Service in the cluster and PROMETHEUS_URL is not set.',
        'zh-CN': '未找到 Prometheus：集群中没有 Prometheus Service，且未设置 PROMETHEUS_URL。',
      }),
      fix: [
        'PROMETHEUS_URL=http://prometheus.cilium-monitoring.svc:9090  # plugin backend environment',
        MONITORING_EXAMPLE,
      ],
    });
    return out;
  }
  if (!f.reachable) {
    out.push({
      code: 'PROMETHEUS_UNREACHABLE',
      severity: 'error',
      message: t(L, {
        en: `Prometheus at ${f.prometheusUrl} did not answer (${f.unreachableReason ?? 'unknown error'}).`,
        'zh-CN': `Prometheus（${f.prometheusUrl}）无响应（${f.unreachableReason ?? '未知错误'}）。`,
      }),
      fix: [
        `curl -s ${f.prometheusUrl}/-/ready`,
        'kubectl get pods -A -l app=prometheus',
        'PROMETHEUS_URL=http://<service>.<namespace>.svc:9090  # plugin backend environment',
      ],
    });
    return out;
  }

  const metricsOff = !f.hubbleMetrics.enabled || f.hubbleMetrics.list.length === 0;
  if (metricsOff && !f.hubbleSeriesPresent) {
    out.push({
      code: 'HUBBLE_METRICS_DISABLED',
      severity: 'error',
      message: t(L, {
        en: 'Hubble metrics are disabled (cilium-config has no hubble-metrics), so Prometheus has nothing to show.',
        'zh-CN': 'Hubble 指标未启用（cilium-config 中没有 hubble-metrics），Prometheus 中没有可展示的数据。',
      }),
      fix: [
        helmUpgrade(ns, ['hubble.enabled=true', `hubble.metrics.enabled="${helmMetricsValue([])}"`]),
        restartAgents(ns),
      ],
    });
  } else if (!f.hubbleSeriesPresent) {
    const targets = f.hubbleTargets ?? [];
    const down = targets.filter((x) => x.health !== 'up');
    const detail =
      f.hubbleTargets === null
        ? ''
        : targets.length === 0
          ? t(L, {
              en: ` Prometheus has no scrape target on port ${f.hubblePort}.`,
              'zh-CN': ` Prometheus 没有端口 ${f.hubblePort} 的抓取目标。`,
            })
          : down.length > 0
            ? t(L, {
                en: ` ${down.length} target(s) on port ${f.hubblePort} are down: ${down[0]?.lastError ?? ''}`,
                'zh-CN': ` 端口 ${f.hubblePort} 的 ${down.length} 个抓取目标不可用：${down[0]?.lastError ?? ''}`,
              })
            : '';
    out.push({
      code: 'NOT_SCRAPED',
      severity: 'error',
      message:
        t(L, {
          en: 'Hubble metrics are enabled but Prometheus holds no hubble_ series.',
          'zh-CN': 'Hubble 指标已启用，但 Prometheus 中没有 hubble_ 开头的指标。',
        }) + detail,
      fix: [
        `kubectl -n ${ns} get service hubble-metrics -o jsonpath='{.metadata.annotations}'`,
        `kubectl -n ${ns} annotate service hubble-metrics prometheus.io/scrape=true prometheus.io/port=${f.hubblePort} --overwrite`,
        `${helmUpgrade(ns, ['hubble.metrics.serviceMonitor.enabled=true'])}  # Prometheus Operator`,
      ],
    });
  }

  if (f.hubbleSeriesPresent && f.scope === 'cluster') {
    out.push({
      code: 'NO_CONTEXT_LABELS',
      severity: 'warning',
      message: t(L, {
        en: 'Hubble metrics carry no namespace labels, so a per-namespace view is not possible: figures below are for the whole cluster.',
        'zh-CN': 'Hubble 指标没有命名空间标签，无法按命名空间统计：以下数据为整个集群的数据。',
      }),
      fix: [
        helmUpgrade(ns, [`hubble.metrics.enabled="${helmMetricsValue(f.hubbleMetrics.list)}"`]),
        restartAgents(ns),
      ],
    });
  } else if (f.scope === 'namespace' && f.unscopedMetrics.length > 0) {
    const list = f.unscopedMetrics.join(', ');
    out.push({
      code: 'NO_CONTEXT_LABELS',
      severity: 'info',
      message: t(L, {
        en: `These Hubble metrics carry no namespace labels and are left empty: ${list}.`,
        'zh-CN': `以下 Hubble 指标没有命名空间标签，相关卡片不显示数据：${list}。`,
      }),
      fix: [
        helmUpgrade(ns, [`hubble.metrics.enabled="${helmMetricsValue(f.hubbleMetrics.list)}"`]),
        restartAgents(ns),
      ],
    });
  }

  if (f.scrapeIntervalSeconds !== null && f.windowSeconds < 4 * f.scrapeIntervalSeconds) {
    const need = 4 * f.scrapeIntervalSeconds;
    out.push({
      code: 'SCRAPE_TOO_SLOW',
      severity: 'warning',
      message: t(L, {
        en: `Prometheus scrapes Hubble every ${f.scrapeIntervalSeconds}s; a ${f.window} rate window needs at least ${need}s (4 scrapes) or charts show "No data" (cilium/cilium#16148).`,
        'zh-CN': `Prometheus 每 ${f.scrapeIntervalSeconds} 秒抓取一次 Hubble；${f.window} 的速率窗口至少需要 ${need} 秒（4 次抓取），否则图表显示“无数据”（cilium/cilium#16148）。`,
      }),
      fix: [
        `window=${Math.ceil(need / 60)}m`,
        'scrape_interval: 10s  # prometheus.yaml, global or the Hubble job',
      ],
    });
  }

  if (f.hubbleSeriesPresent && !f.httpAvailable) {
    out.push({
      code: 'HTTP_METRICS_DISABLED',
      severity: 'info',
      message: t(L, {
        en: 'HTTP metrics (httpV2) are off; HTTP error ratio and latency need them and an L7 policy that sees HTTP.',
        'zh-CN': '未启用 HTTP 指标（httpV2）；HTTP 错误率和延迟需要它，并需要能看到 HTTP 的 L7 策略。',
      }),
      fix: [
        helmUpgrade(ns, [
          `hubble.metrics.enabled="${helmMetricsValue([...f.hubbleMetrics.list, 'httpV2'].filter(uniqueName))}"`,
        ]),
      ],
    });
  }

  if (f.failedCards.length > 0) {
    out.push({
      code: 'QUERY_FAILED',
      severity: 'warning',
      message: t(L, {
        en: `Some queries failed (${f.failedCards.map((c) => c.id).join(', ')}): ${f.failedCards[0]?.reason ?? ''}`,
        'zh-CN': `部分查询失败（${f.failedCards.map((c) => c.id).join(', ')}）：${f.failedCards[0]?.reason ?? ''}`,
      }),
      fix: [],
    });
  }
  return out;
}

function uniqueName(entry: string, i: number, all: string[]) {
  return all.findIndex((e) => metricEntryName(e) === metricEntryName(entry)) === i;
}

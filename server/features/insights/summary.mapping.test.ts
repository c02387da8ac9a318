import { describe, expect, it } from 'vitest';
import type { HubbleMetricsConfig } from '../../clients/cluster/types';
import type { QueryData, Target } from '../../clients/prometheus/client';
import type { DiagnosisFacts, NamespaceLabel, SeriesEvidence } from './summary.mapping';
import {
  breakdownOf,
  decideScope,
  diagnose,
  helmMetricsValue,
  hubbleMetricsPort,
  hubbleTargets,
  isCardAvailable,
  namespaceLabelsFromOptions,
  planCards,
  prometheusUrlFromService,
  scalarOf,
  scopedRate,
  seriesOf,
  windowSeconds,
} from './summary.mapping';

const config = (list: string[], options: Record<string, string> = {}): HubbleMetricsConfig => ({
  enabled: list.length > 0,
  list,
  options,
  serverAddress: ':9965',
});

const evidence = (
  present: string[],
  withLabel: Partial<Record<NamespaceLabel, string[]>> = {},
): SeriesEvidence => ({
  present: new Set(present),
  withLabel: {
    source_namespace: new Set(withLabel.source_namespace ?? []),
    destination_namespace: new Set(withLabel.destination_namespace ?? []),
    source: new Set(withLabel.source ?? []),
    destination: new Set(withLabel.destination ?? []),
  },
});

const FLOWS = 'hubble_flows_processed_total';
const DNS_Q = 'hubble_dns_queries_total';

describe('namespaceLabelsFromOptions', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['labelsContext=source_namespace,destination_namespace', ['source_namespace', 'destination_namespace']],
    ['query;ignoreAAAA;labelsContext=source_pod,destination_namespace', ['destination_namespace']],
    ['sourceContext=namespace;destinationContext=namespace', ['source', 'destination']],
    ['sourceContext=namespace|reserved-identity', ['source']],
    // pod context values are "ns/pod": not a namespace.
    ['sourceContext=pod;destinationContext=pod', []],
    ['sourceContext=identity|namespace', []],
  ])('%j → %j', (options, labels) => {
    expect(namespaceLabelsFromOptions(options)).toEqual(labels);
  });
});

describe('decideScope', () => {
  it.each([
    {
      name: 'labelsContext seen on the series',
      cfg: config(['flow'], {}),
      ev: evidence([FLOWS], { source_namespace: [FLOWS], destination_namespace: [FLOWS] }),
      scope: 'namespace',
      labels: ['source_namespace', 'destination_namespace'],
    },
    {
      name: 'no context labels anywhere',
      cfg: config(['flow']),
      ev: evidence([FLOWS]),
      scope: 'cluster',
      labels: [],
    },
    {
      name: 'options promise labels but series (already scraped) lack them: series win',
      cfg: config(['flow'], { flow: 'labelsContext=source_namespace' }),
      ev: evidence([FLOWS]),
      scope: 'cluster',
      labels: [],
    },
    {
      name: 'not scraped yet: options decide',
      cfg: config(['flow'], { flow: 'labelsContext=source_namespace,destination_namespace' }),
      ev: evidence([]),
      scope: 'namespace',
      labels: ['source_namespace', 'destination_namespace'],
    },
    {
      name: 'sourceContext=namespace labels count only when the options say so',
      cfg: config(['flow'], { flow: 'sourceContext=namespace' }),
      ev: evidence([FLOWS], { source: [FLOWS], destination: [FLOWS] }),
      scope: 'namespace',
      labels: ['source'],
    },
    {
      name: 'source/destination holding pods are ignored',
      cfg: config(['flow'], { flow: 'sourceContext=pod;destinationContext=pod' }),
      ev: evidence([FLOWS], { source: [FLOWS], destination: [FLOWS] }),
      scope: 'cluster',
      labels: [],
    },
  ])('$name → $scope', ({ cfg, ev, scope, labels }) => {
    const d = decideScope(cfg, ev);
    expect(d.scope).toBe(scope);
    expect(d.labelsBySeries[FLOWS] ?? []).toEqual(labels);
  });

  it('lists enabled metrics that cannot be scoped when others can', () => {
    const d = decideScope(
      config(['flow', 'dns:query', 'tcp']),
      evidence([FLOWS, DNS_Q, 'hubble_tcp_flags_total'], { source_namespace: [FLOWS] }),
    );
    expect(d.scope).toBe('namespace');
    expect(d.unscopedMetrics).toEqual(['dns', 'tcp']);
  });
});

describe('scopedRate', () => {
  it.each([
    [null, 'rate(m{verdict="DROPPED"}[300s])'],
    [
      ['source_namespace', 'destination_namespace'],
      'rate(m{verdict="DROPPED",source_namespace="shop"}[300s]) or rate(m{verdict="DROPPED",destination_namespace="shop"}[300s])',
    ],
    [['source'], 'rate(m{verdict="DROPPED",source="shop"}[300s])'],
    [[], 'rate(m{verdict="DROPPED",__unscoped__="true"}[300s])'],
  ] as const)('labels %j', (labels, promql) => {
    expect(scopedRate('m', ['verdict="DROPPED"'], labels === null ? null : [...labels], 'shop', '300s')).toBe(
      promql,
    );
  });

  it('escapes quotes in the namespace', () => {
    expect(scopedRate('m', [], ['source'], 'a"b', '1s')).toBe('rate(m{source="a\\"b"}[1s])');
  });
});

describe('planCards', () => {
  const decision = decideScope(
    config(['flow', 'drop', 'httpV2']),
    evidence([FLOWS, 'hubble_drop_total'], { source_namespace: [FLOWS, 'hubble_drop_total'] }),
  );
  const plans = planCards({ namespace: 'shop', decision, http: 'v2', range: '300s', seriesRange: '40s' });
  const byId = Object.fromEntries(plans.map((p) => [p.id, p]));

  it.each([
    [
      'flows',
      'breakdown',
      'sum by (verdict) (rate(hubble_flows_processed_total{source_namespace="shop"}[300s]))',
    ],
    [
      'dropRatio',
      'value',
      '(sum((rate(hubble_flows_processed_total{verdict="DROPPED",source_namespace="shop"}[300s]))) or vector(0)) / sum((rate(hubble_flows_processed_total{source_namespace="shop"}[300s])))',
    ],
    [
      'dropRatio',
      'breakdown',
      'topk(5, sum by (reason) (rate(hubble_drop_total{source_namespace="shop"}[300s])))',
    ],
    ['lostEvents', 'breakdown', 'sum by (source) (rate(hubble_lost_events_total[300s]))'],
    ['flows', 'series', 'sum((rate(hubble_flows_processed_total{source_namespace="shop"}[40s])))'],
  ])('%s %s', (id, part, promql) => {
    const plan = byId[id];
    const got =
      part === 'breakdown' ? plan?.breakdown?.promql : part === 'value' ? plan?.value : plan?.series;
    expect(got).toBe(promql);
  });

  it('reads the 5xx ratio from responses with the deprecated http handler', () => {
    const v1 = planCards({ namespace: 'shop', decision, http: 'v1', range: '60s', seriesRange: '40s' });
    expect(v1.find((p) => p.id === 'http5xxRatio')?.needs).toEqual(['hubble_http_responses_total']);
  });
});

describe('isCardAvailable', () => {
  it.each([
    ['flows', ['flow'], [], true],
    ['flows', ['dns'], [], false],
    ['flows', [], [FLOWS], true],
    ['httpP95', ['httpV2:exemplars=true'], [], true],
    ['httpP95', ['flow'], [], false],
    ['dnsMissing', ['dns:query;ignoreAAAA'], [], true],
    ['lostEvents', [], [], false],
    ['lostEvents', ['tcp'], [], true],
  ] as const)('%s with %j and series %j → %s', (id, list, present, available) => {
    expect(isCardAvailable(id, config([...list]), new Set(present))).toBe(available);
  });
});

describe('reply parsing', () => {
  const vector = (rows: [Record<string, string>, number][]): QueryData => ({
    resultType: 'vector',
    result: rows.map(([metric, v]) => ({ metric, value: [1, v] as const })),
  });

  it.each([
    [vector([[{}, 0.25]]), 0.25],
    [vector([]), null],
    [vector([[{}, NaN]]), null],
    [vector([[{}, Infinity]]), null],
    [{ resultType: 'scalar', result: [1, 3] } as QueryData, 3],
  ])('scalarOf %# → %s', (data, value) => {
    expect(scalarOf(data)).toBe(value);
  });

  it('sorts a breakdown largest first and names missing labels', () => {
    const data = vector([
      [{ verdict: 'DROPPED' }, 2],
      [{ verdict: 'FORWARDED' }, 10],
      [{}, 1],
      [{ verdict: 'ERROR' }, NaN],
    ]);
    expect(breakdownOf(data, 'verdict')).toEqual([
      { label: 'FORWARDED', value: 10 },
      { label: 'DROPPED', value: 2 },
      { label: '(none)', value: 1 },
    ]);
  });

  it('keeps finite points of the first matrix series', () => {
    const data: QueryData = {
      resultType: 'matrix',
      result: [{ metric: {}, values: [[1, 1] as const, [2, NaN] as const, [3, 2] as const] }],
    };
    expect(seriesOf(data)).toEqual([
      [1, 1],
      [3, 2],
    ]);
  });
});

describe('small helpers', () => {
  it.each([
    ['5m', 300],
    ['1h', 3600],
    ['30s', 30],
    ['0m', null],
    ['5', null],
    ['5d', null],
  ])('windowSeconds(%s) = %s', (w, s) => expect(windowSeconds(w)).toBe(s));

  it.each([
    [':9965', 9965],
    ['0.0.0.0:9091', 9091],
    [null, 9965],
    ['', 9965],
  ])('hubbleMetricsPort(%j) = %s', (addr, port) => expect(hubbleMetricsPort(addr)).toBe(port));

  it('builds the in-cluster Prometheus URL from its Service', () => {
    expect(prometheusUrlFromService({ namespace: 'cilium-monitoring', name: 'prometheus', port: 9090 })).toBe(
      'http://prometheus.cilium-monitoring.svc:9090',
    );
    expect(prometheusUrlFromService(null)).toBeNull();
  });

  it('finds targets on the Hubble metrics port', () => {
    const t = (scrapeUrl: string): Target => ({
      scrapePool: 'kubernetes-endpoints',
      scrapeUrl,
      labels: {},
      health: 'up',
      lastError: '',
      lastScrape: '',
    });
    const found = hubbleTargets([t('http://10.0.0.1:9965/metrics'), t('http://10.0.0.1:9962/metrics')], 9965);
    expect(found.map((x) => x.scrapeUrl)).toEqual(['http://10.0.0.1:9965/metrics']);
  });

  it.each([
    [
      ['flow', 'dns:query;ignoreAAAA'],
      '{flow:labelsContext=source_namespace\\,destination_namespace,dns:query;ignoreAAAA;labelsContext=source_namespace\\,destination_namespace}',
    ],
    [
      ['httpV2:labelsContext=source_pod'],
      '{httpV2:labelsContext=source_pod\\,source_namespace\\,destination_namespace}',
    ],
  ])('helmMetricsValue(%j)', (list, value) => expect(helmMetricsValue(list)).toBe(value));
});

describe('diagnose', () => {
  const base: DiagnosisFacts = {
    locale: 'en',
    prometheusUrl: 'http://prometheus.cilium-monitoring.svc:9090',
    reachable: true,
    hubbleMetrics: config(['flow', 'drop', 'httpV2']),
    ciliumNamespace: 'kube-system',
    hubbleSeriesPresent: true,
    scope: 'namespace',
    unscopedMetrics: [],
    hubbleTargets: [],
    hubblePort: 9965,
    scrapeIntervalSeconds: 10,
    windowSeconds: 300,
    window: '5m',
    httpAvailable: true,
    failedCards: [],
  };
  const target: Target = {
    scrapePool: 'kubernetes-endpoints',
    scrapeUrl: 'http://10.0.0.7:9965/metrics',
    labels: {},
    health: 'down',
    lastError: 'connection refused',
    lastScrape: '',
  };

  it.each<[string, Partial<DiagnosisFacts>, string[]]>([
    ['all good', {}, []],
    ['no Prometheus', { prometheusUrl: null }, ['PROMETHEUS_NOT_FOUND']],
    ['Prometheus down', { reachable: false }, ['PROMETHEUS_UNREACHABLE']],
    [
      'Hubble metrics off',
      { hubbleMetrics: config([]), hubbleSeriesPresent: false, httpAvailable: false },
      ['HUBBLE_METRICS_DISABLED'],
    ],
    ['not scraped', { hubbleSeriesPresent: false }, ['NOT_SCRAPED']],
    ['no context labels', { scope: 'cluster' }, ['NO_CONTEXT_LABELS']],
    ['some metrics unscoped', { unscopedMetrics: ['dns'] }, ['NO_CONTEXT_LABELS']],
    [
      '1m window with 1m scrapes',
      { window: '1m', windowSeconds: 60, scrapeIntervalSeconds: 60 },
      ['SCRAPE_TOO_SLOW'],
    ],
    ['5m window with 1m scrapes is fine', { scrapeIntervalSeconds: 60 }, []],
    ['no HTTP metrics', { httpAvailable: false }, ['HTTP_METRICS_DISABLED']],
    ['a failed query', { failedCards: [{ id: 'httpP95', reason: 'timeout' }] }, ['QUERY_FAILED']],
  ])('%s → %j', (_name, facts, codes) => {
    expect(diagnose({ ...base, ...facts }).map((d) => d.code)).toEqual(codes);
  });

  it('says which target is down and how to annotate the Service', () => {
    const [d] = diagnose({ ...base, hubbleSeriesPresent: false, hubbleTargets: [target] });
    expect(d?.message).toContain('connection refused');
    expect(d?.fix).toContain(
      'kubectl -n kube-system annotate service hubble-metrics prometheus.io/scrape=true prometheus.io/port=9965 --overwrite',
    );
  });

  it('gives the helm command with namespace context labels, in the Cilium namespace', () => {
    const [d] = diagnose({ ...base, scope: 'cluster', ciliumNamespace: 'cilium', locale: 'zh-CN' });
    expect(d?.message).toContain('无法按命名空间统计');
    expect(d?.fix).toEqual([
      'helm upgrade cilium cilium/cilium -n cilium --reuse-values --set hubble.metrics.enabled="{flow:labelsContext=source_namespace\\,destination_namespace,drop:labelsContext=source_namespace\\,destination_namespace,httpV2:labelsContext=source_namespace\\,destination_namespace}"',
      'kubectl -n cilium rollout restart daemonset/cilium',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { HubbleMetricsConfig, NamespaceLabel } from '../../cilium/hubble-metrics';
import type { SeriesEvidence } from './summary.queries';
import {
  decideScope,
  isCardAvailable,
  planCards,
  prometheusUrlFromService,
  scopedRate,
  windowSeconds,
} from './summary.queries';

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

describe('small helpers', () => {
  it.each([
    ['5m', 300],
    ['1h', 3600],
    ['30s', 30],
    ['0m', null],
    ['5', null],
    ['5d', null],
  ])('windowSeconds(%s) = %s', (w, s) => expect(windowSeconds(w)).toBe(s));

  it('builds the in-cluster Prometheus URL from its Service', () => {
    expect(prometheusUrlFromService({ namespace: 'cilium-monitoring', name: 'prometheus', port: 9090 })).toBe(
      'http://prometheus.cilium-monitoring.svc:9090',
    );
    expect(prometheusUrlFromService(null)).toBeNull();
  });
});

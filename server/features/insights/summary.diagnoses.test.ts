import { describe, expect, it } from 'vitest';
import type { HubbleMetricsConfig } from '../../cilium/hubble-metrics';
import type { Target } from '../../clients/prometheus/client';
import type { DiagnosisFacts } from './summary.diagnoses';
import { diagnose } from './summary.diagnoses';

const config = (list: string[], options: Record<string, string> = {}): HubbleMetricsConfig => ({
  enabled: list.length > 0,
  list,
  options,
  serverAddress: ':9965',
});

describe('diagnose', () => {
  const base: DiagnosisFacts = {
    locale: 'en',
    prometheusUrl: 'http://prometheus.cilium-monitoring.svc:9090',
    revealAddresses: true,
    reachable: true,
    hubbleMetrics: config(['flow', 'drop', 'httpV2']),
    ciliumNamespace: 'kube-system',
    ciliumVersion: '1.17.5',
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

  it.each<[string, Partial<DiagnosisFacts>, RegExp]>([
    [
      'PROMETHEUS_UNREACHABLE',
      { reachable: false, unreachableReason: 'cannot connect (ECONNREFUSED)' },
      /^Prometheus did not answer \(cannot connect \(ECONNREFUSED\)\)\.$/,
    ],
    [
      'NOT_SCRAPED',
      { hubbleSeriesPresent: false, hubbleTargets: [target] },
      /1 target\(s\) on port 9965 are down\.$/,
    ],
  ])('for a team, %s says what is wrong without an address', (code, facts, message) => {
    const team = diagnose({ ...base, ...facts, revealAddresses: false });
    expect(team[0]).toMatchObject({ code, message: expect.stringMatching(message) });
    const text = JSON.stringify(team);
    expect(text).not.toContain('prometheus.cilium-monitoring.svc');
    expect(text).not.toContain('connection refused');
    expect(
      JSON.stringify(diagnose({ ...base, ...facts, revealAddresses: false, locale: 'zh-CN' })),
    ).not.toContain('prometheus.cilium-monitoring.svc');
    // an enterprise admin gets the same diagnosis naming them
    expect(JSON.stringify(diagnose({ ...base, ...facts }))).toMatch(
      /prometheus\.cilium-monitoring\.svc|connection refused/,
    );
  });

  it('gives the helm command with namespace context labels, pinned to the Cilium version, in its namespace', () => {
    const [d] = diagnose({ ...base, scope: 'cluster', ciliumNamespace: 'cilium', locale: 'zh-CN' });
    expect(d?.message).toContain('无法按命名空间统计');
    // Every current metric stays (--set replaces the list); the recommended ones are added; agents restarted.
    expect(d?.fix).toEqual([
      'helm repo add cilium https://helm.cilium.io/ && helm repo update cilium',
      'helm upgrade cilium cilium/cilium --version 1.17.5 --namespace cilium --reuse-values --set hubble.metrics.enabled="{dns:labelsContext=source_namespace\\,destination_namespace,drop:labelsContext=source_namespace\\,destination_namespace,tcp:labelsContext=source_namespace\\,destination_namespace,flow:labelsContext=source_namespace\\,destination_namespace,port-distribution,icmp,httpV2:labelsContext=source_namespace\\,destination_namespace}"',
      'kubectl -n cilium rollout restart daemonset/cilium',
      'kubectl -n cilium rollout status daemonset/cilium --timeout=300s',
    ]);
  });

  it('on Cilium 1.11 uses http and source/destinationContext (no labelsContext, no httpV2)', () => {
    const facts = { ...base, ciliumVersion: '1.11.20', hubbleMetrics: config(['flow', 'drop']) };
    const [d] = diagnose({ ...facts, scope: 'cluster' });
    expect(d?.fix[1]).toContain('--version 1.11.20');
    expect(d?.fix[1]).toContain(',http:sourceContext=namespace;destinationContext=namespace}"');
    expect(d?.fix[1]).not.toMatch(/labelsContext|httpV2/);
    expect(diagnose({ ...facts, httpAvailable: false })[0]?.message).toContain('HTTP metrics (http) are off');
  });

  it('HTTP_METRICS_DISABLED adds httpV2 to the current metrics and restarts the agents', () => {
    const [d] = diagnose({
      ...base,
      hubbleMetrics: config(['flow', 'dns:query;ignoreAAAA']),
      httpAvailable: false,
    });
    expect(d?.code).toBe('HTTP_METRICS_DISABLED');
    expect(d?.fix[1]).toContain('--set hubble.metrics.enableOpenMetrics=true');
    expect(d?.fix[1]).toContain('dns:query;ignoreAAAA;labelsContext=');
    expect(d?.fix[1]).toContain(
      ',httpV2:exemplars=true;labelsContext=source_namespace\\,destination_namespace}"',
    );
    expect(d?.fix[2]).toBe('kubectl -n kube-system rollout restart daemonset/cilium');
  });

  it('points at the monitoring example of the detected version', () => {
    const [d] = diagnose({ ...base, prometheusUrl: null });
    expect(d?.fix[1]).toBe(
      'kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/v1.17.5/examples/kubernetes/addons/prometheus/monitoring-example.yaml',
    );
  });

  it('an unknown version asks for it instead of upgrading to the newest chart', () => {
    const [d] = diagnose({ ...base, ciliumVersion: null, scope: 'cluster' });
    expect(d?.fix[1]).toContain('--version <CILIUM_VERSION>');
  });
});

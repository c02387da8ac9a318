import { describe, expect, it } from 'vitest';
import {
  applyMonitoringExample,
  dashboardsFix,
  helmDynamicMetricsValue,
  helmMetricsValue,
  helmUpgrade,
  hubbleMetricsFix,
  monitoringExampleUrl,
} from './fix-commands';
import {
  dynamicMetricsConfig,
  hubbleMetricsConfig,
  parseDynamicMetrics,
  parseHubbleMetrics,
} from './hubble-metrics';

const REPO = 'helm repo add cilium https://helm.cilium.io/ && helm repo update cilium';
const LABELS_117 =
  'labelsContext=source_ip,source_namespace,source_workload,destination_ip,destination_namespace,destination_workload,traffic_direction';
const OLD_CTX = 'sourceContext=namespace;destinationContext=namespace';
const NS_CTX = 'labelsContext=source_namespace\\,destination_namespace';

describe('hubbleMetricsFix', () => {
  it.each([
    {
      cilium: '1.11.20',
      namespace: 'kube-system',
      // The blog's 1.11 install: no httpV2, no labelsContext; http and source/destinationContext instead.
      config: 'dns:query;ignoreAAAA drop tcp flow port-distribution icmp http',
      upgrade:
        'helm upgrade cilium cilium/cilium --version 1.11.20 --namespace kube-system --reuse-values' +
        ` --set hubble.metrics.enabled="{dns:query;ignoreAAAA;${OLD_CTX},drop:${OLD_CTX},tcp:${OLD_CTX},flow:${OLD_CTX},port-distribution,icmp,http:${OLD_CTX}}"`,
    },
    {
      cilium: '1.12.19',
      namespace: 'cilium',
      // port-distribution missing: added in its place, the rest kept.
      config: 'dns:query;ignoreAAAA drop tcp flow icmp http',
      upgrade:
        'helm upgrade cilium cilium/cilium --version 1.12.19 --namespace cilium --reuse-values' +
        ` --set hubble.metrics.enabled="{dns:query;ignoreAAAA;${OLD_CTX},drop:${OLD_CTX},tcp:${OLD_CTX},flow:${OLD_CTX},port-distribution,icmp,http:${OLD_CTX}}"`,
    },
    {
      cilium: '1.13.18',
      namespace: 'kube-system',
      // httpV2 already has namespace labels (and more): left as it is; the other four get labelsContext.
      config: `dns drop tcp flow port-distribution icmp httpV2:exemplars=true;${LABELS_117}`,
      upgrade:
        'helm upgrade cilium cilium/cilium --version 1.13.18 --namespace kube-system --reuse-values' +
        ' --set hubble.metrics.enableOpenMetrics=true' +
        ` --set hubble.metrics.enabled="{dns:${NS_CTX},drop:${NS_CTX},tcp:${NS_CTX},flow:${NS_CTX},port-distribution,icmp,httpV2:exemplars=true;${LABELS_117.replace(/,/g, '\\,')}}"`,
    },
    {
      cilium: '1.16.3',
      namespace: 'kube-system',
      config: `dns:query;ignoreAAAA drop tcp flow port-distribution icmp httpV2:exemplars=true;${LABELS_117}`,
      upgrade:
        'helm upgrade cilium cilium/cilium --version 1.16.3 --namespace kube-system --reuse-values' +
        ' --set hubble.metrics.enableOpenMetrics=true' +
        ` --set hubble.metrics.enabled="{dns:query;ignoreAAAA;${NS_CTX},drop:${NS_CTX},tcp:${NS_CTX},flow:${NS_CTX},port-distribution,icmp,httpV2:exemplars=true;${LABELS_117.replace(/,/g, '\\,')}}"`,
    },
    {
      cilium: '1.17.5',
      namespace: 'cilium',
      // Partial context: only the missing namespace labels are added; drop is scoped already; kafka is kept.
      config:
        'dns:query;ignoreAAAA;labelsContext=source_pod drop:sourceContext=namespace;destinationContext=namespace flow httpV2:labelsContext=source_namespace,source_workload,destination_workload kafka',
      upgrade:
        'helm upgrade cilium cilium/cilium --version 1.17.5 --namespace cilium --reuse-values' +
        ' --set hubble.metrics.enabled="{dns:query;ignoreAAAA;labelsContext=source_pod\\,source_namespace\\,destination_namespace' +
        `,drop:${OLD_CTX},tcp:${NS_CTX},flow:${NS_CTX},port-distribution,icmp` +
        ',httpV2:labelsContext=source_namespace\\,source_workload\\,destination_workload\\,destination_namespace,kafka}"',
    },
    {
      cilium: '1.19.5',
      namespace: 'kube-system',
      // Metrics off: the recommended list, httpV2 with exemplars (so OpenMetrics on).
      config: undefined,
      upgrade:
        'helm upgrade cilium cilium/cilium --version 1.19.5 --namespace kube-system --reuse-values' +
        ' --set hubble.metrics.enableOpenMetrics=true' +
        ` --set hubble.metrics.enabled="{dns:${NS_CTX},drop:${NS_CTX},tcp:${NS_CTX},flow:${NS_CTX},port-distribution,icmp,httpV2:exemplars=true;${NS_CTX}}"`,
    },
  ])('Cilium $cilium with "$config"', ({ cilium, namespace, config, upgrade }) => {
    expect(hubbleMetricsFix({ version: cilium, namespace }, hubbleMetricsConfig(config, ':9965'))).toEqual([
      REPO,
      upgrade,
      `kubectl -n ${namespace} rollout restart daemonset/cilium`,
      `kubectl -n ${namespace} rollout status daemonset/cilium --timeout=300s`,
    ]);
  });

  it('puts extra values first, e.g. turning Hubble on with the metrics', () => {
    const [, upgrade] = hubbleMetricsFix(
      { version: '1.11.20', namespace: 'kube-system' },
      hubbleMetricsConfig(undefined, undefined),
      { alsoSet: ['hubble.enabled=true'] },
    );
    expect(upgrade).toMatch(
      /--reuse-values --set hubble\.enabled=true --set hubble\.metrics\.enabled="\{dns:/,
    );
  });

  it('accepts whole entries in the list (options inside the entry)', () => {
    const [, upgrade] = hubbleMetricsFix(
      { version: '1.17.5', namespace: 'kube-system' },
      { list: ['flow', 'dns:query;ignoreAAAA'], options: {} },
    );
    expect(upgrade).toContain(`dns:query;ignoreAAAA;${NS_CTX},`);
  });
});

describe('helm upgrade', () => {
  it.each([
    ['1.17.5', '--version 1.17.5'],
    ['1.18.0-rc.1', '--version 1.18.0-rc.1'],
    ['latest', '--version <CILIUM_VERSION>'],
    [null, '--version <CILIUM_VERSION>'],
  ])('Cilium %j pins %s (never the newest chart by accident)', (version, pin) => {
    expect(helmUpgrade({ version, namespace: 'kube-system' }, ['hubble.ui.enabled=true'])).toBe(
      `helm upgrade cilium cilium/cilium ${pin} --namespace kube-system --reuse-values --set hubble.ui.enabled=true`,
    );
  });

  it('keeps the list in double quotes, escaping what the shell would expand', () => {
    expect(helmMetricsValue(parseHubbleMetrics('flow:x=$HOME;y="a,b"'))).toBe(
      '"{flow:x=\\$HOME;y=\\"a\\,b\\"}"',
    );
  });
});

describe('monitoring example', () => {
  it.each([
    ['1.11.20', 'v1.11.20'],
    ['1.12.19', 'v1.12.19'],
    ['1.13.18', 'v1.13.18'],
    ['1.16.3', 'v1.16.3'],
    ['1.17.5', 'v1.17.5'],
    ['1.19.5', 'v1.19.5'],
    [null, 'v<CILIUM_VERSION>'],
  ])('Cilium %j → the example at tag %s', (version, tag) => {
    const url = `https://raw.githubusercontent.com/cilium/cilium/${tag}/examples/kubernetes/addons/prometheus/monitoring-example.yaml`;
    expect(monitoringExampleUrl(version)).toBe(url);
    expect(applyMonitoringExample(version)).toBe(`kubectl apply -f ${url}`);
  });
});

describe('hubbleMetricsFix on the dynamic exporter', () => {
  const dynamic = (yaml: string) => dynamicMetricsConfig(parseDynamicMetrics(yaml), ':9965');

  it('sets hubble.metrics.dynamic.config.content, never the mutually exclusive hubble.metrics.enabled', () => {
    const fix = hubbleMetricsFix(
      { version: '1.18.2', namespace: 'kube-system' },
      dynamic('metrics:\n- name: dns\n- name: drop\n'),
    );
    expect(fix).toHaveLength(3);
    expect(fix[0]).toBe(REPO);
    expect(fix.join('\n')).not.toContain('hubble.metrics.enabled=');
    expect(fix.join('\n')).not.toContain('rollout restart');
    const ctx =
      '"contextOptions":[{"name":"labelsContext","values":["source_namespace","destination_namespace"]}]';
    expect(fix[1]).toBe(
      'helm upgrade cilium cilium/cilium --version 1.18.2 --namespace kube-system --reuse-values' +
        ' --set hubble.metrics.enableOpenMetrics=true --set hubble.metrics.dynamic.enabled=true' +
        ` --set-json 'hubble.metrics.dynamic.config.content=[{"name":"dns",${ctx}},{"name":"drop",${ctx}},{"name":"tcp",${ctx}},{"name":"flow",${ctx}},{"name":"port-distribution"},{"name":"icmp"},` +
        `{"name":"httpV2","contextOptions":[{"name":"exemplars","values":["true"]},{"name":"labelsContext","values":["source_namespace","destination_namespace"]}]}]'`,
    );
    expect(fix[2]).toBe('kubectl -n kube-system get configmap cilium-dynamic-metrics-config -o yaml');
  });

  it('keeps the options the ConfigMap has and adds only missing namespace labels', () => {
    const [, upgrade] = hubbleMetricsFix(
      { version: '1.18.2', namespace: 'cilium' },
      dynamic(
        'metrics:\n- name: flow\n  contextOptions:\n  - name: sourceContext\n    values: [namespace]\n',
      ),
    );
    expect(upgrade).toContain(
      '{"name":"flow","contextOptions":[{"name":"sourceContext","values":["namespace"]},{"name":"labelsContext","values":["destination_namespace"]}]}',
    );
  });

  it('quotes a single quote for the shell', () => {
    expect(helmDynamicMetricsValue(parseHubbleMetrics("flow:a=it's"))).toBe(
      `'hubble.metrics.dynamic.config.content=[{"name":"flow","contextOptions":[{"name":"a","values":["it'\\''s"]}]}]'`,
    );
  });
});

describe('dashboardsFix', () => {
  it.each([
    [{ namespace: null, label: null, labelValue: null }, ''],
    [{ namespace: null, label: 'grafana_dashboard', labelValue: '1' }, ''],
    [
      { namespace: 'monitoring', label: 'dash', labelValue: 'yes' },
      'namespace=monitoring label=dash labelValue=yes',
    ],
  ])('%j', (target, extra) => {
    const [, upgrade] = dashboardsFix({ version: '1.17.5', namespace: 'kube-system' }, target);
    const sets = ['dashboards', 'operator.dashboards', 'hubble.metrics.dashboards'].flatMap((v) => [
      `--set ${v}.enabled=true`,
      ...extra
        .split(' ')
        .filter(Boolean)
        .map((e) => `--set ${v}.${e}`),
    ]);
    expect(upgrade).toBe(
      `helm upgrade cilium cilium/cilium --version 1.17.5 --namespace kube-system --reuse-values ${sets.join(' ')}`,
    );
  });
});

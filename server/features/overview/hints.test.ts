import { describe, expect, it } from 'vitest';
import { computeClusterState } from '../../clients/cluster/detect';
import { buildInventory } from '../../clients/cluster/objects';
import {
  ciliumObjects,
  fixtures,
  kubePrometheusStackObjects,
  monitoringExample,
  withEndpointSlices,
} from '../../../test/fixtures/cluster';
import { withNamespaces } from '../../../test/fixtures/cluster/builders';
import type { KubeObject } from '../../../test/fakes/kube-api';
import { buildHints } from './hints';

const hintsOf = (objs: KubeObject[], locale: 'en' | 'zh-CN' = 'en') =>
  buildHints(computeClusterState(buildInventory(withNamespaces(objs))), locale);
const codes = (objs: KubeObject[]) => hintsOf(objs).map((h) => h.code);
const hint = (objs: KubeObject[], code: string) => hintsOf(objs).find((h) => h.code === code);

describe('buildHints', () => {
  it.each([
    ['cilium117 (everything there)', fixtures.cilium117(), []],
    ['cilium111 (no namespace labels on metrics)', fixtures.cilium111(), ['NO_CONTEXT_LABELS']],
    ['ciliumNamespaced (no monitoring)', fixtures.ciliumNamespaced(), ['MONITORING_MISSING']],
    [
      'kubePrometheusStack (no Cilium dashboards loaded)',
      fixtures.kubePrometheusStack(),
      ['GRAFANA_DASHBOARDS_MISSING'],
    ],
    ['kubePrometheusStack with the Cilium chart dashboards', fixtures.kubePrometheusStackDashboards(), []],
    ['dynamic metrics with context labels', fixtures.dynamicMetrics(), []],
    ['hubbleDisabled', fixtures.hubbleDisabled(), ['HUBBLE_DISABLED', 'MONITORING_MISSING']],
    ['noCilium', fixtures.noCilium(), ['CILIUM_MISSING']],
    [
      'relay + ui not deployed',
      ciliumObjects({ relay: false, ui: false }),
      ['RELAY_MISSING', 'UI_MISSING', 'MONITORING_MISSING'],
    ],
    [
      'hubble metrics off',
      [...ciliumObjects({ hubbleMetrics: null }), ...monitoringExample()],
      ['HUBBLE_METRICS_DISABLED'],
    ],
    [
      'agents degraded',
      [...ciliumObjects({ agents: { desired: 3, ready: 1 } }), ...monitoringExample()],
      ['CILIUM_DEGRADED'],
    ],
    [
      'grafana not ready',
      [...ciliumObjects(), ...monitoringExample({ grafanaReady: 0 })],
      ['MONITORING_NOT_READY'],
    ],
  ])('%s → %j', (_name, objs, expected) => {
    expect(codes(objs)).toEqual(expected);
  });

  it('HUBBLE_DISABLED gives the helm upgrade for the detected version and namespace, then rollout checks', () => {
    const objs = ciliumObjects({ namespace: 'cilium', version: '1.16.3', hubble: false });
    expect(hint(objs, 'HUBBLE_DISABLED')?.commands).toEqual([
      'helm repo add cilium https://helm.cilium.io/ && helm repo update cilium',
      'helm upgrade cilium cilium/cilium --version 1.16.3 --namespace cilium --reuse-values --set hubble.enabled=true --set hubble.relay.enabled=true --set hubble.ui.enabled=true',
      'kubectl -n cilium rollout status daemonset/cilium --timeout=300s',
      'kubectl -n cilium rollout status deployment/hubble-relay --timeout=300s',
      'kubectl -n cilium rollout status deployment/hubble-ui --timeout=300s',
    ]);
  });

  it('RELAY_MISSING / UI_MISSING set exactly one value each', () => {
    const objs = ciliumObjects({ relay: false, ui: false });
    expect(hint(objs, 'RELAY_MISSING')?.commands[1]).toMatch(
      /--reuse-values --set hubble\.relay\.enabled=true$/,
    );
    expect(hint(objs, 'UI_MISSING')?.commands[1]).toMatch(/--reuse-values --set hubble\.ui\.enabled=true$/);
  });

  it('HUBBLE_METRICS_DISABLED on 1.17 uses httpV2 with labelsContext and OpenMetrics', () => {
    const cmd = hint(
      [...ciliumObjects({ hubbleMetrics: null }), ...monitoringExample()],
      'HUBBLE_METRICS_DISABLED',
    )?.commands[1];
    expect(cmd).toContain('--version 1.17.5 --namespace kube-system --reuse-values');
    expect(cmd).toContain('--set hubble.metrics.enableOpenMetrics=true');
    expect(cmd).toContain('httpV2:exemplars=true;labelsContext=source_namespace\\,destination_namespace}"');
  });

  it('NO_CONTEXT_LABELS on 1.11 uses http and source/destinationContext, and says why', () => {
    const h = hint(fixtures.cilium111(), 'NO_CONTEXT_LABELS');
    expect(h?.commands[1]).toContain('--version 1.11.20');
    expect(h?.commands[1]).toContain('http:sourceContext=namespace;destinationContext=namespace}"');
    expect(h?.commands[1]).not.toContain('httpV2');
    expect(h?.commands[1]).not.toContain('enableOpenMetrics');
    expect(h?.message).toContain('no httpV2');
  });

  it('metrics fixes scope tcp too, then restart the agents (rollOutCiliumPods is off by default)', () => {
    const h = hint(fixtures.cilium111(), 'NO_CONTEXT_LABELS');
    expect(h?.commands[1]).toContain(',tcp:sourceContext=namespace;destinationContext=namespace,');
    expect(h?.commands.slice(2)).toEqual([
      'kubectl -n kube-system rollout restart daemonset/cilium',
      'kubectl -n kube-system rollout status daemonset/cilium --timeout=300s',
    ]);
  });

  it('HUBBLE_METRICS_DISABLED keeps the options the cluster has, e.g. dns:query;ignoreAAAA', () => {
    const objs = [
      ...ciliumObjects({ hubbleMetrics: 'dns:query;ignoreAAAA drop' }),
      ...monitoringExample(),
    ].map((o) => {
      if (o.metadata.name !== 'cilium-config') return o;
      const c = structuredClone(o);
      delete (c.data as Record<string, string>)['hubble-metrics-server'];
      return c;
    });
    expect(hint(objs, 'HUBBLE_METRICS_DISABLED')?.commands[1]).toContain(
      '"{dns:query;ignoreAAAA;labelsContext=source_namespace\\,destination_namespace,drop:',
    );
  });

  it('MONITORING_MISSING points at the monitoring example of the detected version', () => {
    expect(hint(fixtures.ciliumNamespaced(), 'MONITORING_MISSING')?.commands).toEqual([
      'kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/v1.17.5/examples/kubernetes/addons/prometheus/monitoring-example.yaml',
      'kubectl -n cilium-monitoring rollout status deployment/prometheus --timeout=300s',
      'kubectl -n cilium-monitoring rollout status deployment/grafana --timeout=300s',
    ]);
  });

  it('AGENT_METRICS_DISABLED enables agent and operator metrics', () => {
    const objs = ciliumObjects().map((o) => {
      if (o.metadata.name !== 'cilium-config') return o;
      const c = structuredClone(o);
      const data = c.data as Record<string, string>;
      delete data['prometheus-serve-addr'];
      delete data['operator-prometheus-serve-addr'];
      return c;
    });
    const h = hint(objs, 'AGENT_METRICS_DISABLED');
    expect(h?.commands[1]).toMatch(
      /--set prometheus\.enabled=true --set operator\.prometheus\.enabled=true$/,
    );
    expect(h?.message).toContain('agent and operator');
  });

  it('an unknown Cilium version gives a placeholder instead of upgrading to the newest chart', () => {
    const objs = ciliumObjects({ hubble: false }).map((o) => {
      if (o.kind !== 'DaemonSet') return o;
      const c = structuredClone(o);
      const containers = (c.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
        .containers;
      if (containers[0]) containers[0].image = 'quay.io/cilium/cilium:latest';
      return c;
    });
    expect(hint(objs, 'HUBBLE_DISABLED')?.commands[1]).toContain('--version <CILIUM_VERSION>');
  });

  it.each([
    ['en', /Hubble is off/],
    ['zh-CN', /未开启 Hubble/],
  ] as const)('messages in %s', (locale, re) => {
    expect(hintsOf(fixtures.hubbleDisabled(), locale)[0]?.message).toMatch(re);
  });

  it('relay scaled to 0 (Service still there) → RELAY_NOT_READY with a scale command', () => {
    const objs = withEndpointSlices(
      fixtures
        .cilium117()
        .filter((o) => o.kind !== 'EndpointSlice')
        .map((o) => {
          if (o.kind !== 'Deployment' || o.metadata.name !== 'hubble-relay') return o;
          const c = structuredClone(o);
          (c.spec as { replicas: number }).replicas = 0;
          c.status = {};
          return c;
        }),
    );
    expect(hint(objs, 'RELAY_NOT_READY')?.commands[0]).toBe(
      'kubectl -n kube-system scale deployment/hubble-relay --replicas=1',
    );
  });

  it('GRAFANA_DASHBOARDS_MISSING: the sidecar watches ALL → the chart’s three switches, no namespace', () => {
    const h = hint(fixtures.kubePrometheusStack(), 'GRAFANA_DASHBOARDS_MISSING');
    expect(h?.message).toContain('labelled grafana_dashboard=1');
    expect(h?.commands[1]).toBe(
      'helm upgrade cilium cilium/cilium --version 1.17.5 --namespace kube-system --reuse-values' +
        ' --set dashboards.enabled=true --set operator.dashboards.enabled=true --set hubble.metrics.dashboards.enabled=true',
    );
  });

  it('GRAFANA_DASHBOARDS_MISSING: a sidecar on its own namespace → the ConfigMaps go there', () => {
    const objs = [
      ...fixtures
        .kubePrometheusStack()
        .filter((o) => o.metadata.namespace !== 'monitoring' && o.kind !== 'Namespace'),
      ...withEndpointSlices(kubePrometheusStackObjects({ dashboardNamespaces: ['monitoring'] })),
    ];
    expect(hint(objs, 'GRAFANA_DASHBOARDS_MISSING')?.commands[1]).toContain(
      '--set dashboards.enabled=true --set dashboards.namespace=monitoring --set operator.dashboards.enabled=true' +
        ' --set operator.dashboards.namespace=monitoring --set hubble.metrics.dashboards.enabled=true' +
        ' --set hubble.metrics.dashboards.namespace=monitoring',
    );
  });

  it('GRAFANA_DASHBOARDS_MISSING without a sidecar says to turn it on', () => {
    const objs = fixtures
      .cilium117()
      .filter((o) => !(o.kind === 'ConfigMap' && /^grafana-.*dashboard/.test(o.metadata.name)));
    const h = hint(objs, 'GRAFANA_DASHBOARDS_MISSING');
    expect(h?.message).toMatch(/no dashboard sidecar.*sidecar\.dashboards\.enabled=true/);
    expect(h?.commands[1]).toContain('--set dashboards.namespace=cilium-monitoring');
  });

  it('dynamic metrics without namespace labels: the fix keeps the dynamic exporter (never hubble.metrics.enabled)', () => {
    const objs = withEndpointSlices([
      ...ciliumObjects({ version: '1.18.2', dynamicMetrics: '- name: dns\n- name: drop\n' }),
      ...monitoringExample(),
    ]);
    const h = hint(objs, 'NO_CONTEXT_LABELS');
    expect(h?.commands.join('\n')).not.toContain('hubble.metrics.enabled=');
    expect(h?.commands[1]).toContain('--set hubble.metrics.dynamic.enabled=true --set-json');
  });
});

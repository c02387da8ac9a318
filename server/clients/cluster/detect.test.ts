import { describe, expect, it } from 'vitest';
import {
  fixtures,
  ciliumObjects,
  kubePrometheusStackObjects,
  monitoringExample,
} from '../../../test/fixtures/cluster';
import { configMap, deployment, namespace, service } from '../../../test/fixtures/cluster/builders';
import type { KubeObject } from '../../../test/fakes/kube-api';
import { computeClusterState, grafanaRisks, parseIni } from './detect';
import { buildInventory, toSlim } from './objects';

const stateOf = (objs: KubeObject[], opts = {}) => computeClusterState(buildInventory(objs), opts);

/** Replace one object (same kind/namespace/name) with a modified copy. */
function patch(objs: KubeObject[], kind: string, name: string, f: (o: KubeObject) => void): KubeObject[] {
  return objs.map((o) => {
    if (o.kind !== kind || o.metadata.name !== name) return o;
    const c = structuredClone(o);
    f(c);
    return c;
  });
}

describe('grafana.ini and risks', () => {
  it('parses sections, comments and quotes', () => {
    expect(
      parseIni('; c\n[Security]\nadmin_password = "admin"\n# x\n[auth.anonymous]\nenabled=true\n'),
    ).toEqual({
      security: { admin_password: 'admin' },
      'auth.anonymous': { enabled: 'true' },
    });
  });

  it.each([
    [
      'example ini (anonymous Admin + admin/admin)',
      '[auth.anonymous]\nenabled = true\norg_role = Admin\n[security]\nadmin_user = admin\nadmin_password = admin\n',
      {},
      ['ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS'],
    ],
    ['anonymous Viewer', '[auth.anonymous]\nenabled = true\norg_role = Viewer\n', {}, []],
    ['anonymous enabled, role unset (defaults to Viewer)', '[auth.anonymous]\nenabled = true\n', {}, []],
    ['anonymous Admin but disabled', '[auth.anonymous]\nenabled = false\norg_role = Admin\n', {}, []],
    [
      'env turns anonymous Admin on',
      '',
      { GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Admin' },
      ['ANONYMOUS_ADMIN'],
    ],
    [
      'env overrides ini (anonymous off)',
      '[auth.anonymous]\nenabled = true\norg_role = Admin\n',
      { GF_AUTH_ANONYMOUS_ENABLED: 'false' },
      [],
    ],
    ['env admin password admin', '', { GF_SECURITY_ADMIN_PASSWORD: 'admin' }, ['DEFAULT_CREDENTIALS']],
    [
      'env strong password overrides ini admin',
      '[security]\nadmin_password = admin\n',
      { GF_SECURITY_ADMIN_PASSWORD: 's3cret' },
      [],
    ],
    ['admin/admin with another user name', '[security]\nadmin_user = root\nadmin_password = admin\n', {}, []],
    ['no config at all (password unknown)', null, {}, []],
  ])('%s', (_name, ini, env, expected) => {
    expect(grafanaRisks(ini, env as Record<string, string>)).toEqual(expected);
  });
});

describe('toSlim', () => {
  it('keeps literal env values and drops valueFrom', () => {
    const d = deployment(
      'm',
      'g',
      { app: 'grafana' },
      {
        podLabels: { app: 'grafana' },
        containers: [
          {
            name: 'grafana',
            image: 'grafana/grafana:9.3.6',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            ],
          },
        ],
      },
    );
    const slim = toSlim('Deployment', d);
    expect(slim?.type === 'workload' && slim.value.containers[0]?.env).toEqual({ A: '1' });
  });

  it('returns null for objects without metadata.name', () => {
    expect(toSlim('Service', { metadata: {} })).toBeNull();
    expect(toSlim('Pod', fixtures.noCilium()[0])).toBeNull();
  });

  it('defaults Deployment replicas to 1 and missing readyReplicas to 0', () => {
    const slim = toSlim('Deployment', { metadata: { name: 'x', namespace: 'y' }, spec: {}, status: {} });
    expect(slim?.type === 'workload' && [slim.value.desired, slim.value.ready]).toEqual([1, 0]);
  });
});

describe('computeClusterState per fixture', () => {
  it('Cilium 1.17 with Hubble and the monitoring example', () => {
    const s = stateOf(fixtures.cilium117());
    expect(s.cilium).toEqual({
      state: 'ready',
      namespace: 'kube-system',
      version: '1.17.5',
      agents: { ready: 3, desired: 3 },
      operator: { ready: 2, desired: 2 },
    });
    expect(s.hubble.state).toBe('ready');
    expect(s.hubble.metrics.list).toContain('httpV2');
    expect(s.hubbleMetrics.options.httpV2).toContain('labelsContext=');
    expect(s.hubbleMetrics.serverAddress).toBe(':9965');
    expect(s.relay).toEqual({ namespace: 'kube-system', name: 'hubble-relay', port: 80, tls: false });
    expect(s.monitoring).toEqual({
      state: 'ready',
      namespace: 'cilium-monitoring',
      prometheus: { ready: 1, desired: 1 },
      grafana: { ready: 1, desired: 1 },
    });
    expect(s.tools['hubble-ui']).toEqual({
      id: 'hubble-ui',
      state: 'ready',
      service: { namespace: 'kube-system', name: 'hubble-ui', port: 80 },
      workload: { ready: 1, desired: 1 },
      version: 'v0.13.2',
      risks: ['NO_AUTH'],
    });
    expect(s.tools.grafana).toMatchObject({
      state: 'ready',
      service: { namespace: 'cilium-monitoring', name: 'grafana', port: 3000 },
      version: '9.3.6',
      risks: ['ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS'],
    });
    expect(s.tools.prometheus).toMatchObject({
      state: 'ready',
      service: { namespace: 'cilium-monitoring', name: 'prometheus', port: 9090 },
      version: 'v2.42.0',
      risks: ['NO_AUTH'],
    });
    expect(s.ciliumMetrics).toEqual({ agent: ':9962', operator: ':9963' });
    expect(s.namespaces.has('cilium-monitoring')).toBe(true);
  });

  it('Cilium 1.11: 3-container hubble-ui v0.8.5 on Service port 80, old ports, old monitoring', () => {
    const s = stateOf(fixtures.cilium111());
    expect(s.cilium.version).toBe('1.11.20');
    expect(s.tools['hubble-ui']).toMatchObject({ state: 'ready', version: 'v0.8.5', service: { port: 80 } });
    expect(s.hubble.metrics.list).toEqual([
      'dns',
      'drop',
      'tcp',
      'flow',
      'port-distribution',
      'icmp',
      'http',
    ]);
    expect(s.hubbleMetrics.serverAddress).toBe(':9091');
    expect(s.ciliumMetrics).toEqual({ agent: ':9090', operator: ':6942' });
    expect(s.tools.grafana.version).toBe('7.0.1');
    expect(s.tools.prometheus.version).toBe('v2.18.1');
  });

  it('Cilium in the `cilium` namespace', () => {
    const s = stateOf(fixtures.ciliumNamespaced());
    expect(s.cilium).toMatchObject({ state: 'ready', namespace: 'cilium' });
    expect(s.tools['hubble-ui'].service).toEqual({ namespace: 'cilium', name: 'hubble-ui', port: 80 });
    expect(s.relay?.namespace).toBe('cilium');
    expect(s.monitoring.state).toBe('missing');
    expect(s.tools.grafana).toMatchObject({ state: 'missing', service: null, risks: [] });
  });

  it('CILIUM_NAMESPACE restricts detection to that namespace', () => {
    expect(stateOf(fixtures.ciliumNamespaced(), { ciliumNamespace: 'kube-system' }).cilium.state).toBe(
      'missing',
    );
    expect(stateOf(fixtures.ciliumNamespaced(), { ciliumNamespace: 'cilium' }).cilium.state).toBe('ready');
  });

  it('kube-prometheus-stack: Grafana Service port 80, Prometheus StatefulSet, no Grafana risks', () => {
    const s = stateOf(fixtures.kubePrometheusStack());
    expect(s.monitoring).toEqual({
      state: 'ready',
      namespace: 'monitoring',
      prometheus: { ready: 1, desired: 1 },
      grafana: { ready: 1, desired: 1 },
    });
    expect(s.tools.grafana).toMatchObject({
      state: 'ready',
      service: { namespace: 'monitoring', name: 'kps-grafana', port: 80 },
      version: '11.2.0',
      risks: [],
    });
    expect(s.tools.prometheus).toMatchObject({
      state: 'ready',
      service: { namespace: 'monitoring', name: 'kps-kube-prometheus-stack-prometheus', port: 9090 },
      version: 'v2.54.1',
    });
  });

  it('kube-prometheus-stack with anonymous Admin via env on the Grafana Deployment', () => {
    const objs = patch(kubePrometheusStackObjects(), 'Deployment', 'kps-grafana', (d) => {
      const c = (
        d as unknown as { spec: { template: { spec: { containers: { name: string; env: unknown[] }[] } } } }
      ).spec.template.spec.containers[1];
      c?.env.push(
        { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'true' },
        { name: 'GF_AUTH_ANONYMOUS_ORG_ROLE', value: 'Admin' },
      );
    });
    expect(stateOf(objs).tools.grafana.risks).toEqual(['ANONYMOUS_ADMIN']);
  });

  it('falls back to prometheus-operated when it is the only Prometheus Service', () => {
    const objs = kubePrometheusStackObjects().filter(
      (o) => o.metadata.name !== 'kps-kube-prometheus-stack-prometheus',
    );
    expect(stateOf(objs).tools.prometheus.service).toEqual({
      namespace: 'monitoring',
      name: 'prometheus-operated',
      port: 9090,
    });
  });

  it('MONITORING_NAMESPACE restricts where Grafana / Prometheus are looked for', () => {
    const objs = [...fixtures.cilium117(), ...kubePrometheusStackObjects()];
    expect(stateOf(objs).monitoring.namespace).toBe('cilium-monitoring');
    expect(stateOf(objs, { monitoringNamespace: 'monitoring' }).tools.grafana.service?.name).toBe(
      'kps-grafana',
    );
  });

  it('Hubble disabled', () => {
    const s = stateOf(fixtures.hubbleDisabled());
    expect(s.cilium.state).toBe('ready');
    expect(s.hubble).toEqual({
      state: 'disabled',
      relay: { ready: 0, desired: 0 },
      ui: { ready: 0, desired: 0 },
      metrics: { enabled: false, list: [] },
    });
    expect(s.relay).toBeNull();
    expect(s.tools['hubble-ui'].state).toBe('missing');
  });

  it('no Cilium: everything missing', () => {
    const s = stateOf(fixtures.noCilium());
    expect(s.cilium).toMatchObject({ state: 'missing', namespace: null, version: null });
    expect(s.hubble.state).toBe('missing');
    expect(s.monitoring.state).toBe('missing');
    expect(Object.values(s.tools).map((t) => t.state)).toEqual(['missing', 'missing', 'missing']);
  });
});

describe('computeClusterState transitions', () => {
  const base = fixtures.cilium117();
  it.each([
    [
      'agents not all ready → cilium degraded',
      patch(base, 'DaemonSet', 'cilium', (d) => ((d.status as { numberReady: number }).numberReady = 2)),
      (s: ReturnType<typeof stateOf>) => [s.cilium.state, s.cilium.agents],
      ['degraded', { ready: 2, desired: 3 }],
    ],
    [
      'operator missing → cilium degraded',
      base.filter((o) => o.metadata.name !== 'cilium-operator'),
      (s: ReturnType<typeof stateOf>) => [s.cilium.state, s.cilium.operator],
      ['degraded', { ready: 0, desired: 0 }],
    ],
    [
      'relay scaled to 0 → hubble degraded',
      patch(base, 'Deployment', 'hubble-relay', (d) => {
        (d.spec as { replicas: number }).replicas = 0;
        d.status = {};
      }),
      (s: ReturnType<typeof stateOf>) => [s.hubble.state, s.hubble.relay],
      ['degraded', { ready: 0, desired: 0 }],
    ],
    [
      'hubble-ui Service deleted → tool missing',
      base.filter((o) => !(o.kind === 'Service' && o.metadata.name === 'hubble-ui')),
      (s: ReturnType<typeof stateOf>) => [s.tools['hubble-ui'].state, s.tools['hubble-ui'].service],
      ['missing', null],
    ],
    [
      'hubble-ui pods not ready → tool not-ready',
      patch(base, 'Deployment', 'hubble-ui', (d) => (d.status = { replicas: 1 })),
      (s: ReturnType<typeof stateOf>) => [s.tools['hubble-ui'].state, s.hubble.state],
      ['not-ready', 'degraded'],
    ],
    [
      'relay Service on 443 → tls',
      patch(base, 'Service', 'hubble-relay', (svc) => {
        (svc.spec as { ports: { port: number }[] }).ports = [{ port: 443 }];
      }),
      (s: ReturnType<typeof stateOf>) => [s.relay?.port, s.relay?.tls],
      [443, true],
    ],
    [
      'grafana deleted → monitoring degraded',
      base.filter((o) => !(o.metadata.namespace === 'cilium-monitoring' && o.metadata.name === 'grafana')),
      (s: ReturnType<typeof stateOf>) => [s.monitoring.state, s.tools.grafana.state],
      ['degraded', 'missing'],
    ],
    [
      'hubble-metrics removed from cilium-config → metrics disabled',
      patch(base, 'ConfigMap', 'cilium-config', (cm) => {
        delete (cm.data as Record<string, string>)['hubble-metrics'];
      }),
      (s: ReturnType<typeof stateOf>) => [s.hubble.metrics.enabled, s.hubble.state],
      [false, 'ready'],
    ],
  ])('%s', (_name, objs, read, expected) => {
    expect(read(stateOf(objs))).toEqual(expected);
  });

  it('prefers the DaemonSet named cilium and breaks ties deterministically', () => {
    const extra = ciliumObjects({ namespace: 'zzz', version: '1.16.0' });
    const s1 = stateOf([...extra, ...ciliumObjects({ namespace: 'aaa' })]);
    expect(s1.cilium.namespace).toBe('aaa');
  });

  it('ignores Grafana-labelled objects without a Service', () => {
    const objs = [
      namespace('x'),
      configMap(
        'x',
        'grafana-config',
        { app: 'grafana' },
        { 'grafana.ini': '[auth.anonymous]\nenabled=true\norg_role=Admin' },
      ),
    ];
    expect(stateOf(objs).tools.grafana.state).toBe('missing');
  });

  it('a Grafana Service without a matching workload is not-ready with zero counts', () => {
    const objs = [
      service('m', 'grafana', { app: 'grafana' }, { app: 'grafana' }, [{ port: 3000, targetPort: 3000 }]),
    ];
    const s = stateOf(objs);
    expect(s.tools.grafana).toMatchObject({ state: 'not-ready', workload: { ready: 0, desired: 0 } });
    expect(s.monitoring.state).toBe('degraded');
  });

  it('monitoring example alone (without Cilium) still finds the tools', () => {
    expect(stateOf(monitoringExample()).monitoring.state).toBe('ready');
  });
});

import { describe, expect, it } from 'vitest';
import {
  fixtures,
  ciliumObjects,
  kubePrometheusStackObjects,
  monitoringExample,
  slicesOf,
  tenantDecoys,
  withEndpointSlices,
  withReadyEndpoints,
} from '../../../test/fixtures/cluster';
import {
  configMap,
  deployment,
  endpointSlice,
  namespace,
  service,
  teamNamespace,
} from '../../../test/fixtures/cluster/builders';
import { dashboardJson } from '../../../test/fixtures/cluster/dashboards';
import type { KubeObject } from '../../../test/fakes/kube-api';
import { computeClusterState, grafanaRisks, parseIni } from './detect';
import { isTeamNamespace } from './namespaces';
import { buildInventory, toSlim } from './objects';
import type { ClusterState } from './types';

const stateOf = (objs: KubeObject[], opts = {}) => computeClusterState(buildInventory(objs), opts);

/** Everything detection says about the cluster, without the namespace list. */
const seen = (s: ClusterState) => ({
  cilium: s.cilium,
  hubble: s.hubble,
  monitoring: s.monitoring,
  tools: s.tools,
  relay: s.relay,
  hubbleMetrics: s.hubbleMetrics,
  ciliumMetrics: s.ciliumMetrics,
  grafanaDashboards: s.grafanaDashboards,
});

/** Replace every object (by kind/namespace/name) that `f` returns a new version of. */
const replace = (objs: KubeObject[], f: (o: KubeObject) => KubeObject | null) => objs.map((o) => f(o) ?? o);

/** Set the ready endpoints of one Service's slices. */
const readyEndpoints = (objs: KubeObject[], ns: string, svc: string, ready: number) => {
  const names = new Set(slicesOf(objs, ns, svc).map((s) => s.metadata.name));
  return replace(objs, (o) =>
    o.kind === 'EndpointSlice' && o.metadata.namespace === ns && names.has(o.metadata.name)
      ? withReadyEndpoints(o, ready)
      : null,
  );
};

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
      candidates: [],
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
      candidates: [],
    });
    expect(s.tools['hubble-ui']).toEqual({
      id: 'hubble-ui',
      state: 'ready',
      service: { namespace: 'kube-system', name: 'hubble-ui', port: 80 },
      workload: { ready: 1, desired: 1 },
      readiness: 'endpoints',
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

  it.each([
    [
      'prometheus-operator v0.84 (chart 76: no app.kubernetes.io/name on the StatefulSet)',
      fixtures.kubePrometheusStack(),
      '12.1.0',
      'v3.5.0',
    ],
    ['prometheus-operator v0.93 (chart 88)', fixtures.kubePrometheusStackCurrent(), '13.2.0', 'v3.14.0'],
  ])(
    'kube-prometheus-stack, %s: monitoring ready, Prometheus 1/1 from its endpoints',
    (_n, objs, grafana, prom) => {
      const s = stateOf(objs);
      expect(s.monitoring).toEqual({
        state: 'ready',
        namespace: 'monitoring',
        prometheus: { ready: 1, desired: 1 },
        grafana: { ready: 1, desired: 1 },
        candidates: [],
      });
      expect(s.tools.grafana).toMatchObject({
        state: 'ready',
        service: { namespace: 'monitoring', name: 'kps-grafana', port: 80 },
        version: grafana,
        risks: [],
      });
      expect(s.tools.prometheus).toMatchObject({
        state: 'ready',
        service: { namespace: 'monitoring', name: 'kps-kube-prometheus-stack-prometheus', port: 9090 },
        workload: { ready: 1, desired: 1 },
        readiness: 'endpoints',
        version: prom,
      });
    },
  );

  it('kube-prometheus-stack with anonymous Admin via env on the Grafana Deployment', () => {
    const objs = patch(kubePrometheusStackObjects(), 'Deployment', 'kps-grafana', (d) => {
      const c = (
        d as unknown as { spec: { template: { spec: { containers: { name: string; env: unknown[] }[] } } } }
      ).spec.template.spec.containers.find((x) => x.name === 'grafana');
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
      'relay scaled to 0 (its slice has no endpoints) → hubble degraded',
      replace(base, (o) =>
        o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === 'hubble-relay'
          ? { ...o, endpoints: [] }
          : null,
      ),
      (s: ReturnType<typeof stateOf>) => [s.hubble.state, s.hubble.relay],
      ['degraded', { ready: 0, desired: 0 }],
    ],
    [
      'relay endpoint not ready → hubble degraded, though the Deployment says ready',
      readyEndpoints(base, 'kube-system', 'hubble-relay', 0),
      (s: ReturnType<typeof stateOf>) => [s.hubble.state, s.hubble.relay],
      ['degraded', { ready: 0, desired: 1 }],
    ],
    [
      'hubble-ui Service deleted → tool missing',
      base.filter((o) => !(o.kind === 'Service' && o.metadata.name === 'hubble-ui')),
      (s: ReturnType<typeof stateOf>) => [s.tools['hubble-ui'].state, s.tools['hubble-ui'].service],
      ['missing', null],
    ],
    [
      'hubble-ui endpoints not ready → tool not-ready',
      readyEndpoints(base, 'kube-system', 'hubble-ui', 0),
      (s: ReturnType<typeof stateOf>) => [s.tools['hubble-ui'].state, s.hubble.state],
      ['not-ready', 'degraded'],
    ],
    [
      'hubble-ui Deployment not ready but its endpoint is → tool ready (the endpoints decide)',
      patch(base, 'Deployment', 'hubble-ui', (d) => (d.status = { replicas: 1 })),
      (s: ReturnType<typeof stateOf>) => [s.tools['hubble-ui'].state, s.hubble.ui],
      ['ready', { ready: 1, desired: 1 }],
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

  it('breaks ties between namespaces that are not well known by name, and lists the others', () => {
    const extra = ciliumObjects({ namespace: 'zzz', version: '1.16.0' });
    const s1 = stateOf([
      namespace('zzz'),
      namespace('aaa'),
      ...extra,
      ...ciliumObjects({ namespace: 'aaa' }),
    ]);
    expect([s1.cilium.namespace, s1.cilium.candidates]).toEqual(['aaa', ['zzz']]);
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

  it('a Grafana Service without a matching workload or slices is not-ready with zero counts', () => {
    const objs = [
      namespace('m'),
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

describe('team namespaces are never candidates', () => {
  it.each([
    [
      'app.kubernetes.io/managed-by=rainbond',
      'dev-team',
      { 'app.kubernetes.io/managed-by': 'rainbond' },
      true,
    ],
    ['creator=Rainbond (the older path)', 'shop', { creator: 'Rainbond' }, true],
    ['a 32-hex name (teams before Rainbond 5.2)', '0123456789abcdef0123456789abcdef', {}, true],
    ['default, adopted as a team', 'default', { 'app.kubernetes.io/managed-by': 'rainbond' }, true],
    ['default, plain', 'default', {}, false],
    ['managed-by Helm', 'monitoring', { 'app.kubernetes.io/managed-by': 'Helm' }, false],
    ['creator=rainbond in another case (not what Rainbond writes)', 'x', { creator: 'rainbond' }, false],
  ])('%s → team %s', (_n, name, labels, team) => {
    expect(isTeamNamespace(name, labels)).toBe(team);
  });

  const base = fixtures.cilium117();
  it.each([
    ['a team namespace sorting first (creator=Rainbond)', [teamNamespace('abc-team', 'creator')], 'abc-team'],
    ['a team namespace (managed-by=rainbond)', [teamNamespace('dev-team')], 'dev-team'],
    ['default adopted as a team', [], 'default'],
    [
      'a 32-hex team namespace',
      [namespace('0123456789abcdef0123456789abcdef')],
      '0123456789abcdef0123456789abcdef',
    ],
    ['a namespace the view does not know', [], 'ghost'],
  ])('decoys in %s change nothing', (_n, nsObjects, ns) => {
    let objs = [...base, ...nsObjects, ...withEndpointSlices(tenantDecoys(ns))];
    if (ns === 'default')
      objs = objs.map((o) =>
        o.kind === 'Namespace' && o.metadata.name === 'default' ? teamNamespace('default') : o,
      );
    expect(seen(stateOf(objs))).toEqual(seen(stateOf(base)));
  });

  it('with only decoys, everything stays missing', () => {
    const s = stateOf([teamNamespace('abc-team'), ...withEndpointSlices(tenantDecoys('abc-team'))]);
    expect([s.cilium.state, s.hubble.state, s.monitoring.state]).toEqual(['missing', 'missing', 'missing']);
    expect(Object.values(s.tools).map((t) => t.state)).toEqual(['missing', 'missing', 'missing']);
    expect(s.grafanaDashboards.uids).toEqual([]);
  });

  it('CILIUM_NAMESPACE / MONITORING_NAMESPACE pin even a namespace labelled as a team (the operator decides)', () => {
    const objs = [teamNamespace('abc-team'), ...withEndpointSlices(tenantDecoys('abc-team'))];
    const s = stateOf(objs, { ciliumNamespace: 'abc-team', monitoringNamespace: 'abc-team' });
    expect([s.cilium.namespace, s.monitoring.namespace]).toEqual(['abc-team', 'abc-team']);
  });
});

describe('which namespace when there are several', () => {
  it.each([
    [
      'Cilium in kube-system and in cilium',
      [namespace('cilium'), ...ciliumObjects({ namespace: 'cilium' }), ...fixtures.cilium117()],
      (s: ClusterState) => [s.cilium.namespace, s.cilium.candidates],
      ['kube-system', ['cilium']],
    ],
    [
      'Cilium in cilium and in aaa (well known first)',
      [
        namespace('cilium'),
        namespace('aaa'),
        ...ciliumObjects({ namespace: 'cilium' }),
        ...ciliumObjects({ namespace: 'aaa' }),
      ],
      (s: ClusterState) => [s.cilium.namespace, s.cilium.candidates],
      ['cilium', ['aaa']],
    ],
    [
      'the monitoring example and kube-prometheus-stack',
      [...fixtures.cilium117(), ...withEndpointSlices(kubePrometheusStackObjects())],
      (s: ClusterState) => [
        s.monitoring.namespace,
        s.monitoring.candidates,
        s.tools.prometheus.service?.name,
      ],
      ['cilium-monitoring', ['monitoring'], 'prometheus'],
    ],
    [
      'kube-prometheus-stack in "observability" and a Grafana in "grafana"',
      [
        ...fixtures.ciliumNamespaced(),
        namespace('grafana'),
        ...withEndpointSlices(kubePrometheusStackObjects({ namespace: 'observability' })),
        ...withEndpointSlices(monitoringExample().filter((o) => o.metadata.name === 'grafana')).map((o) =>
          o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace: 'grafana' } },
        ),
      ],
      (s: ClusterState) => [s.monitoring.namespace, s.monitoring.candidates, s.tools.grafana.service?.name],
      ['observability', ['grafana'], 'kps-grafana'],
    ],
    [
      'Prometheus only in the chosen namespace, Grafana only elsewhere: each taken where it is',
      [
        ...fixtures.ciliumNamespaced(),
        namespace('zzz'),
        ...withEndpointSlices(monitoringExample().filter((o) => !/grafana/.test(o.metadata.name))),
        ...withEndpointSlices(
          monitoringExample()
            .filter((o) => o.kind !== 'Namespace' && /grafana/.test(o.metadata.name))
            .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'zzz' } })),
        ),
      ],
      (s: ClusterState) => [
        s.monitoring.namespace,
        s.tools.prometheus.service?.namespace,
        s.tools.grafana.service?.namespace,
      ],
      ['cilium-monitoring', 'cilium-monitoring', 'zzz'],
    ],
  ])('%s', (_n, objs, read, expected) => {
    expect(read(stateOf(objs))).toEqual(expected);
  });
});

describe('readiness from the Service’s EndpointSlices', () => {
  const kps = fixtures.kubePrometheusStack();
  const prom = (s: ClusterState) => [
    s.tools.prometheus.state,
    s.tools.prometheus.workload,
    s.tools.prometheus.readiness,
  ];
  const svcOf = (objs: KubeObject[], name: string) =>
    objs.find((o) => o.kind === 'Service' && o.metadata.name === name) as KubeObject;
  const ep = (id: string, ready: boolean) => ({
    ip: `10.9.0.${id}`,
    ready,
    pod: `prom-${id}`,
    nodeName: 'n1',
  });
  const withSlices = (objs: KubeObject[], svc: string, slices: KubeObject[]) => [
    ...objs.filter(
      (o) => !(o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === svc),
    ),
    ...slices,
  ];
  const PROM = 'kps-kube-prometheus-stack-prometheus';
  const port = [{ name: 'http-web', port: 9090, protocol: 'TCP' }];

  it.each([
    ['its one endpoint ready', kps, ['ready', { ready: 1, desired: 1 }, 'endpoints']],
    [
      'its endpoint not ready',
      readyEndpoints(kps, 'monitoring', PROM, 0),
      ['not-ready', { ready: 0, desired: 1 }, 'endpoints'],
    ],
    [
      'an empty slice (scaled to 0)',
      withSlices(kps, PROM, [endpointSlice(svcOf(kps, PROM), [], port)]),
      ['not-ready', { ready: 0, desired: 0 }, 'endpoints'],
    ],
    [
      'one pod in an IPv4 and an IPv6 slice counts once',
      withSlices(kps, PROM, [
        endpointSlice(svcOf(kps, PROM), [ep('1', true), ep('2', false)], port, 0),
        { ...endpointSlice(svcOf(kps, PROM), [ep('1', true)], port, 1), addressType: 'IPv6' },
      ]),
      ['ready', { ready: 1, desired: 2 }, 'endpoints'],
    ],
    [
      'a ready condition left unset (unknown reads as ready)',
      withSlices(kps, PROM, [
        (() => {
          const sl = endpointSlice(svcOf(kps, PROM), [ep('1', true)], port);
          (sl.endpoints as { conditions: object }[])[0]!.conditions = {};
          return sl;
        })(),
      ]),
      ['ready', { ready: 1, desired: 1 }, 'endpoints'],
    ],
    [
      'no slice at all: the StatefulSet’s ready replicas',
      kps.filter((o) => o.kind !== 'EndpointSlice'),
      ['ready', { ready: 1, desired: 1 }, 'workload'],
    ],
    [
      'no slice and the StatefulSet not found: 0/0',
      kps.filter((o) => o.kind !== 'EndpointSlice' && o.kind !== 'StatefulSet'),
      ['not-ready', { ready: 0, desired: 0 }, 'none'],
    ],
    [
      'the StatefulSet says 0 ready, the endpoints say 1: ready',
      patch(kps, 'StatefulSet', `prometheus-${PROM}`, (o) => (o.status = { replicas: 1 })),
      ['ready', { ready: 1, desired: 1 }, 'endpoints'],
    ],
  ])('%s', (_n, objs, expected) => {
    expect(prom(stateOf(objs))).toEqual(expected);
  });

  it('monitoring follows: one of two Prometheus endpoints ready → degraded 1/2', () => {
    const objs = withSlices(kps, PROM, [
      endpointSlice(svcOf(kps, PROM), [ep('1', true), ep('2', false)], port),
    ]);
    expect(stateOf(objs).monitoring).toMatchObject({
      state: 'degraded',
      prometheus: { ready: 1, desired: 2 },
    });
  });
});

describe('dynamic Hubble metrics', () => {
  it('reads the list and context options from cilium-dynamic-metrics-config', () => {
    const s = stateOf(fixtures.dynamicMetrics());
    expect(s.hubble.metrics).toEqual({ enabled: true, list: ['dns', 'drop', 'tcp', 'flow', 'httpV2'] });
    expect(s.hubbleMetrics).toMatchObject({
      source: 'dynamic',
      serverAddress: ':9965',
      options: {
        flow: 'sourceContext=workload-name|reserved-identity;destinationContext=workload-name|reserved-identity',
        httpV2: 'exemplars=true;labelsContext=source_namespace,destination_namespace',
      },
    });
  });

  it.each([
    [
      'the ConfigMap is missing: metrics on, list unknown',
      fixtures.dynamicMetrics().filter((o) => o.metadata.name !== 'cilium-dynamic-metrics-config'),
      { enabled: true, list: [] },
    ],
    [
      'the ConfigMap lists no metrics',
      patch(fixtures.dynamicMetrics(), 'ConfigMap', 'cilium-dynamic-metrics-config', (cm) => {
        cm.data = { 'dynamic-metrics.yaml': 'metrics: []\n' };
      }),
      { enabled: true, list: [] },
    ],
    [
      'the older chart’s data key dyn-metrics.yaml',
      patch(fixtures.dynamicMetrics(), 'ConfigMap', 'cilium-dynamic-metrics-config', (cm) => {
        cm.data = { 'dyn-metrics.yaml': 'metrics:\n- name: drop\n' };
      }),
      { enabled: true, list: ['drop'] },
    ],
    [
      'not YAML of that shape',
      patch(fixtures.dynamicMetrics(), 'ConfigMap', 'cilium-dynamic-metrics-config', (cm) => {
        cm.data = { 'dynamic-metrics.yaml': 'metrics: {dns: true' };
      }),
      { enabled: true, list: [] },
    ],
    [
      'no metrics server address',
      patch(fixtures.dynamicMetrics(), 'ConfigMap', 'cilium-config', (cm) => {
        delete (cm.data as Record<string, string>)['hubble-metrics-server'];
      }),
      { enabled: false, list: ['dns', 'drop', 'tcp', 'flow', 'httpV2'] },
    ],
  ])('%s', (_n, objs, metrics) => {
    expect(stateOf(objs).hubble.metrics).toEqual(metrics);
  });

  it('a ConfigMap of that name outside the Cilium namespace is not read', () => {
    const objs = [
      ...fixtures.dynamicMetrics().filter((o) => o.metadata.name !== 'cilium-dynamic-metrics-config'),
      configMap(
        'monitoring',
        'cilium-dynamic-metrics-config',
        {},
        { 'dynamic-metrics.yaml': 'metrics:\n- name: dns\n' },
      ),
    ];
    expect(stateOf(objs).hubble.metrics.list).toEqual([]);
  });
});

describe('Grafana dashboards that exist', () => {
  const uids = (objs: KubeObject[]) => stateOf(objs).grafanaDashboards.uids;
  const ALL4 = ['1GC0TT4Wz', '3g264CZVz', '5HftnJAWz', 'vtuWtdumz'];
  const kpsWith = (
    o: Parameters<typeof kubePrometheusStackObjects>[0],
    dashboards: NonNullable<Parameters<typeof ciliumObjects>[0]>['dashboards'],
  ) => [...fixtures.noCilium(), ...ciliumObjects({ dashboards }), ...kubePrometheusStackObjects(o)];
  it.each([
    ['monitoring example (4 ConfigMaps mounted)', fixtures.cilium117(), ALL4],
    ['the older monitoring example (3)', fixtures.cilium111(), ['1GC0TT4Wz', '5HftnJAWz', 'vtuWtdumz']],
    ['kube-prometheus-stack alone (only its own dashboards)', fixtures.kubePrometheusStack(), []],
    [
      'kube-prometheus-stack, sidecar on ALL, Cilium chart dashboards in kube-system',
      fixtures.kubePrometheusStackDashboards(),
      ALL4,
    ],
    [
      'sidecar only on monitoring, dashboards in kube-system',
      kpsWith({ dashboardNamespaces: ['monitoring'] }, true),
      [],
    ],
    [
      'sidecar only on monitoring, dashboards.namespace=monitoring',
      kpsWith({ dashboardNamespaces: ['monitoring'] }, { namespace: 'monitoring' }),
      ALL4,
    ],
    [
      'a dashboard ConfigMap with another label value',
      [
        ...fixtures.kubePrometheusStack(),
        configMap(
          'kube-system',
          'hubble-dashboard',
          { grafana_dashboard: '0' },
          { 'hubble-dashboard.json': dashboardJson('Hubble', '5HftnJAWz') },
        ),
      ],
      [],
    ],
    [
      'a dashboard ConfigMap in a team namespace (sidecar watches ALL)',
      [
        ...fixtures.kubePrometheusStack(),
        teamNamespace('abc-team'),
        configMap(
          'abc-team',
          'hubble-dashboard',
          { grafana_dashboard: '1' },
          { 'hubble-dashboard.json': dashboardJson('Hubble', '5HftnJAWz') },
        ),
      ],
      [],
    ],
    [
      'monitoring example with a dashboard ConfigMap Grafana does not mount',
      [
        ...fixtures.cilium117().filter((o) => o.metadata.name !== 'grafana-hubble-dashboard'),
        configMap(
          'cilium-monitoring',
          'my-hubble',
          { app: 'grafana' },
          { 'h.json': dashboardJson('Hubble', '5HftnJAWz') },
        ),
      ],
      ['1GC0TT4Wz', '3g264CZVz', 'vtuWtdumz'],
    ],
  ])('%s', (_n, objs, expected) => {
    expect(uids(objs)).toEqual(expected);
  });

  it('reads the sidecar from the container env, not the datasource sidecar', () => {
    expect(stateOf(fixtures.kubePrometheusStack()).grafanaDashboards.sidecar).toEqual({
      label: 'grafana_dashboard',
      labelValue: '1',
      namespaces: 'ALL',
    });
  });
});

describe('slim ConfigMaps and EndpointSlices', () => {
  it('keeps the dashboard UIDs, not the dashboard JSON; skips values over 1 MiB', () => {
    const big = dashboardJson('Hubble', '5HftnJAWz').padEnd(1_100_000, ' ');
    const slim = toSlim(
      'ConfigMap',
      configMap(
        'm',
        'd',
        { grafana_dashboard: '1' },
        { 'a.json': dashboardJson('Cilium Metrics', 'vtuWtdumz'), 'b.json': big, 'x.txt': 'y' },
      ),
    );
    expect(slim).toEqual({
      type: 'configmap',
      value: {
        namespace: 'm',
        name: 'd',
        labels: { grafana_dashboard: '1' },
        data: {},
        dashboardUids: ['vtuWtdumz'],
      },
    });
  });

  it('keeps all of cilium-config, grafana.ini and the dynamic metrics file', () => {
    const slim = toSlim(
      'ConfigMap',
      configMap('kube-system', 'x', {}, { 'grafana.ini': 'a', 'dynamic-metrics.yaml': 'b', other: 'c' }),
    );
    expect(slim?.type === 'configmap' && slim.value.data).toEqual({
      'grafana.ini': 'a',
      'dynamic-metrics.yaml': 'b',
    });
  });

  it('an EndpointSlice without the service-name label is not kept', () => {
    const sl = endpointSlice(service('m', 's', {}, { a: 'b' }, [{ port: 1, targetPort: 1 }]), [], []);
    delete sl.metadata.labels?.['kubernetes.io/service-name'];
    expect(toSlim('EndpointSlice', sl)).toBeNull();
  });
});

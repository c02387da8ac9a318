/**
 * The cluster view against the loopback fake Kubernetes API over real HTTP: fixtures → states, watch updates,
 * API server outage (stale, recovery), first sync, and the fake's own wire format.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClusterView, type ClusterView } from '../../server/clients/cluster';
import type { ClusterState } from '../../server/clients/cluster/types';
import { createLogger, silentLogger } from '../../server/log';
import { createMetrics } from '../../server/metrics';
import { startFakeKubeApi, type FakeKubeApi, type KubeObject } from '../fakes/kube-api';
import {
  fixtures,
  kubePrometheusStackObjects,
  slicesOf,
  tenantDecoys,
  withEndpointSlices,
  withReadyEndpoints,
} from '../fixtures/cluster';
import { teamNamespace } from '../fixtures/cluster/builders';
import { eventually } from '../support/eventually';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(
  objects: KubeObject[],
  opts: { ciliumNamespace?: string; monitoringNamespace?: string } = {},
) {
  const api = await startFakeKubeApi({ objects });
  const view = createClusterView({
    kubeConfig: api.kubeConfig(),
    log: silentLogger,
    debounceMs: 20,
    initialBackoffMs: 50,
    maxBackoffMs: 200,
    syncTimeoutMs: 5_000,
    ...opts,
  });
  cleanups.push(async () => {
    await view.stop();
    await api.close();
  });
  return { api, view };
}

const brief = (s: ClusterState) => ({
  cilium: [s.cilium.state, s.cilium.namespace, s.cilium.version],
  hubble: s.hubble.state,
  monitoring: [s.monitoring.state, s.monitoring.namespace],
  tools: Object.values(s.tools).map((t) => [t.id, t.state, t.service?.port ?? null, t.version, t.risks]),
  relay: s.relay,
});

describe('cluster view: fixtures over real HTTP', () => {
  it.each([
    [
      'cilium117',
      {
        cilium: ['ready', 'kube-system', '1.17.5'],
        hubble: 'ready',
        monitoring: ['ready', 'cilium-monitoring'],
        tools: [
          ['hubble-ui', 'ready', 80, 'v0.13.2', ['NO_AUTH']],
          ['grafana', 'ready', 3000, '9.3.6', ['ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS']],
          ['prometheus', 'ready', 9090, 'v2.42.0', ['NO_AUTH']],
        ],
        relay: { namespace: 'kube-system', name: 'hubble-relay', port: 80, tls: false },
      },
    ],
    [
      'cilium111',
      {
        cilium: ['ready', 'kube-system', '1.11.20'],
        hubble: 'ready',
        monitoring: ['ready', 'cilium-monitoring'],
        tools: [
          ['hubble-ui', 'ready', 80, 'v0.8.5', ['NO_AUTH']],
          ['grafana', 'ready', 3000, '7.0.1', ['ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS']],
          ['prometheus', 'ready', 9090, 'v2.18.1', ['NO_AUTH']],
        ],
        relay: { namespace: 'kube-system', name: 'hubble-relay', port: 80, tls: false },
      },
    ],
    [
      'ciliumNamespaced',
      {
        cilium: ['ready', 'cilium', '1.17.5'],
        hubble: 'ready',
        monitoring: ['missing', null],
        tools: [
          ['hubble-ui', 'ready', 80, 'v0.13.2', ['NO_AUTH']],
          ['grafana', 'missing', null, null, []],
          ['prometheus', 'missing', null, null, []],
        ],
        relay: { namespace: 'cilium', name: 'hubble-relay', port: 80, tls: false },
      },
    ],
    [
      'kubePrometheusStack',
      {
        cilium: ['ready', 'kube-system', '1.17.5'],
        hubble: 'ready',
        monitoring: ['ready', 'monitoring'],
        tools: [
          ['hubble-ui', 'ready', 80, 'v0.13.2', ['NO_AUTH']],
          ['grafana', 'ready', 80, '12.1.0', []],
          ['prometheus', 'ready', 9090, 'v3.5.0', ['NO_AUTH']],
        ],
        relay: { namespace: 'kube-system', name: 'hubble-relay', port: 80, tls: false },
      },
    ],
    [
      'hubbleDisabled',
      {
        cilium: ['ready', 'kube-system', '1.17.5'],
        hubble: 'disabled',
        monitoring: ['missing', null],
        tools: [
          ['hubble-ui', 'missing', null, null, []],
          ['grafana', 'missing', null, null, []],
          ['prometheus', 'missing', null, null, []],
        ],
        relay: null,
      },
    ],
    [
      'noCilium',
      {
        cilium: ['missing', null, null],
        hubble: 'missing',
        monitoring: ['missing', null],
        tools: [
          ['hubble-ui', 'missing', null, null, []],
          ['grafana', 'missing', null, null, []],
          ['prometheus', 'missing', null, null, []],
        ],
        relay: null,
      },
    ],
  ] as const)('%s', async (name, expected) => {
    const { api, view } = await setup(fixtures[name]());
    await view.start();
    const snap = view.snapshot();
    expect(snap.synced).toBe(true);
    expect(snap.stale).toBe(false);
    expect(snap.lastSyncAt).not.toBeNull();
    expect(brief(snap.state)).toEqual(expected);
    expect(api.unknownRequests).toEqual([]);
    // Only the narrowed resources are read: no pods, nodes or endpoints.
    expect(api.requests.filter((r) => /\/(pods|nodes|endpoints)\b/.test(r.path))).toEqual([]);
  });

  it('honours CILIUM_NAMESPACE / MONITORING_NAMESPACE', async () => {
    const { view } = await setup([...fixtures.cilium117(), ...kubePrometheusStackObjects()], {
      ciliumNamespace: 'cilium',
      monitoringNamespace: 'monitoring',
    });
    await view.start();
    const s = view.snapshot().state;
    expect(s.cilium.state).toBe('missing');
    expect(s.tools.grafana.service?.name).toBe('kps-grafana');
  });

  it('snapshot() is the same precomputed object until something changes', async () => {
    const { api, view } = await setup(fixtures.cilium117());
    await view.start();
    const a = view.snapshot();
    expect(view.snapshot()).toBe(a);
    api.remove('Service', 'kube-system', 'hubble-ui');
    const b = await eventually(() => {
      const s = view.snapshot();
      return s.state !== a.state && s;
    }, 'a recomputed state');
    expect(b.state.tools['hubble-ui'].state).toBe('missing');
  });
});

describe('cluster view: watch updates', () => {
  it('sees relay scaled to 0 (degraded), hubble-ui Service deleted (missing) and restored, without restart', async () => {
    const { api, view } = await setup(fixtures.cilium117());
    await view.start();
    const listsBefore = api.requests.filter((r) => r.query.watch === undefined).length;

    // Scaled to 0: the Deployment's status and the Service's slice (the controller keeps it, empty).
    const relay = api.get('Deployment', 'kube-system', 'hubble-relay');
    if (!relay) throw new Error('fixture has no hubble-relay');
    (relay.spec as { replicas: number }).replicas = 0;
    relay.status = { observedGeneration: 2, replicas: 0 };
    api.apply(relay);
    const [relaySlice] = slicesOf(fixtures.cilium117(), 'kube-system', 'hubble-relay');
    if (!relaySlice) throw new Error('fixture has no hubble-relay EndpointSlice');
    api.apply({ ...relaySlice, endpoints: [] });
    await eventually(() => expect(view.snapshot().state.hubble.state).toBe('degraded'), 'hubble degraded');
    expect(view.snapshot().state.hubble.relay).toEqual({ ready: 0, desired: 0 });

    const uiSvc = api.get('Service', 'kube-system', 'hubble-ui');
    api.remove('Service', 'kube-system', 'hubble-ui');
    await eventually(
      () => expect(view.snapshot().state.tools['hubble-ui'].state).toBe('missing'),
      'hubble-ui missing',
    );
    expect(view.snapshot().state.tools['hubble-ui'].service).toBeNull();

    if (uiSvc) api.apply(uiSvc);
    await eventually(
      () => expect(view.snapshot().state.tools['hubble-ui'].state).toBe('ready'),
      'hubble-ui back',
    );
    // All of that came over the watches: no relist happened.
    expect(api.requests.filter((r) => r.query.watch === undefined).length).toBe(listsBefore);
    expect(view.snapshot().stale).toBe(false);
  });

  it('an object leaving a label selector is treated as deleted', async () => {
    const { api, view } = await setup(fixtures.cilium117());
    await view.start();
    const grafana = api.get('Service', 'cilium-monitoring', 'grafana');
    if (!grafana) throw new Error('fixture has no grafana Service');
    grafana.metadata.labels = { app: 'something-else' };
    api.apply(grafana);
    await eventually(
      () => expect(view.snapshot().state.tools.grafana.state).toBe('missing'),
      'grafana missing',
    );
  });

  it('relists after a 410 Expired watch and catches a change it missed', async () => {
    const { api, view } = await setup(fixtures.cilium117());
    await view.start();
    // Same tick: the watches end, a change happens, history is compacted; the clients resume from an old version.
    api.dropWatches();
    api.remove('Service', 'kube-system', 'hubble-ui');
    api.compactHistory();
    await eventually(
      () => expect(view.snapshot().state.tools['hubble-ui'].state).toBe('missing'),
      'hubble-ui missing',
    );
    expect(api.requests.some((r) => r.path === '/api/v1/services' && r.query.watch === undefined)).toBe(true);
    expect(view.snapshot().stale).toBe(false);
  });
});

describe('cluster view: readiness from EndpointSlices over watch', () => {
  it('follows the ready conditions of a Service’s slices: not ready, ready again, a second endpoint', async () => {
    const objs = fixtures.kubePrometheusStack();
    const { api, view } = await setup(objs);
    await view.start();
    const PROM = 'kps-kube-prometheus-stack-prometheus';
    const prom = () => {
      const s = view.snapshot().state;
      return [s.tools.prometheus.state, s.monitoring.prometheus, s.monitoring.state];
    };
    expect(prom()).toEqual(['ready', { ready: 1, desired: 1 }, 'ready']);
    const [slice] = slicesOf(objs, 'monitoring', PROM);
    if (!slice) throw new Error('fixture has no Prometheus EndpointSlice');

    api.apply(withReadyEndpoints(slice, 0));
    await eventually(
      () => expect(prom()).toEqual(['not-ready', { ready: 0, desired: 1 }, 'degraded']),
      'not ready',
    );

    api.apply(slice);
    await eventually(
      () => expect(prom()).toEqual(['ready', { ready: 1, desired: 1 }, 'ready']),
      'ready again',
    );

    const eps = slice.endpoints as { addresses: string[]; targetRef: { name: string } }[];
    const second = structuredClone(eps[0]!);
    second.addresses = ['10.0.9.9'];
    second.targetRef.name = `prometheus-${PROM}-1`;
    api.apply(withReadyEndpoints({ ...slice, endpoints: [...eps, second] }, 1));
    await eventually(() => expect(prom()).toEqual(['ready', { ready: 1, desired: 2 }, 'degraded']), '1/2');

    api.remove('EndpointSlice', 'monitoring', slice.metadata.name);
    // No slice left: the StatefulSet's own counts (1/1) stand in.
    await eventually(() => expect(prom()).toEqual(['ready', { ready: 1, desired: 1 }, 'ready']), 'fallback');
    expect(api.unknownRequests).toEqual([]);
  });

  it('reads only the slices of the Services it looks at (label selectors mirror the Services’)', async () => {
    const { api, view } = await setup(fixtures.cilium117());
    await view.start();
    const sliceLists = api.requests.filter(
      (r) => r.path === '/apis/discovery.k8s.io/v1/endpointslices' && r.query.watch === undefined,
    );
    expect(sliceLists.map((r) => r.query.labelSelector).sort()).toEqual(
      [
        'app in (grafana,prometheus,kube-prometheus-stack-prometheus)',
        'app.kubernetes.io/name in (grafana,prometheus)',
        'k8s-app in (hubble-relay,hubble-ui)',
        'kubernetes.io/service-name=prometheus-operated',
      ].sort(),
    );
  });

  it.each([
    ['not served (API server before discovery.k8s.io/v1)', { withoutKinds: ['EndpointSlice'] }, 404],
    ['not granted (a ClusterRole without endpointslices)', { forbiddenKinds: ['EndpointSlice'] }, 403],
  ])(
    'EndpointSlices %s: syncs, falls back to the workloads, warns once per watch',
    async (_n, apiOpts, status) => {
      const api = await startFakeKubeApi({ objects: fixtures.kubePrometheusStack(), ...apiOpts });
      const lines: string[] = [];
      const view = createClusterView({
        kubeConfig: api.kubeConfig(),
        log: createLogger('debug', (l) => lines.push(l)),
        debounceMs: 20,
        initialBackoffMs: 50,
        syncTimeoutMs: 5_000,
      });
      cleanups.push(async () => {
        await view.stop();
        await api.close();
      });
      await view.start();
      const snap = view.snapshot();
      expect({ synced: snap.synced, stale: snap.stale }).toEqual({ synced: true, stale: false });
      expect([snap.state.monitoring.state, snap.state.tools.prometheus.readiness]).toEqual([
        'ready',
        'workload',
      ]);
      const warnings = lines.filter((l) => l.includes('resource not readable'));
      expect(warnings).toHaveLength(4);
      expect(warnings[0]).toContain(`"status":${status}`);
      // Not retried in a loop: one list per selector, no watch.
      expect(api.requests.filter((r) => r.path.includes('endpointslices'))).toHaveLength(4);
    },
  );
});

describe('cluster view: team namespaces over watch', () => {
  it('decoys in a namespace are candidates until Rainbond labels it as a team’s, then nothing changed', async () => {
    const { api, view } = await setup(fixtures.cilium117());
    await view.start();
    const before = view.snapshot().state;
    api.apply({ ...teamNamespace('abc-team'), metadata: { name: 'abc-team', labels: {} } });
    api.applyMany(withEndpointSlices(tenantDecoys('abc-team')));
    await eventually(() => {
      const s = view.snapshot().state;
      expect([s.cilium.candidates, s.monitoring.candidates]).toEqual([['abc-team'], ['abc-team']]);
    }, 'decoys seen');
    api.apply(teamNamespace('abc-team', 'creator'));
    await eventually(
      () => expect({ ...view.snapshot().state, namespaces: null }).toEqual({ ...before, namespaces: null }),
      'as before',
    );
  });

  it('a namespace that becomes a team namespace stops counting', async () => {
    const { api, view } = await setup(fixtures.cilium117());
    await view.start();
    api.apply({ ...teamNamespace('cilium-monitoring') });
    await eventually(
      () => expect(view.snapshot().state.monitoring).toMatchObject({ state: 'missing', namespace: null }),
      'monitoring gone',
    );
  });
});

describe('cluster view: API server outage', () => {
  it('keeps the last state marked stale, then recovers by itself and sees changes made meanwhile and after', async () => {
    const metrics = createMetrics();
    const api = await startFakeKubeApi({ objects: fixtures.cilium117() });
    const lines: string[] = [];
    const view = createClusterView({
      kubeConfig: api.kubeConfig(),
      log: createLogger('debug', (l) => lines.push(l)),
      metrics,
      debounceMs: 20,
      initialBackoffMs: 50,
      maxBackoffMs: 200,
    });
    cleanups.push(async () => {
      await view.stop();
      await api.close();
    });
    await view.start();
    const before = view.snapshot();
    expect(metrics.render()).toContain('cilium_observability_cluster_view_stale 0');

    api.setDown(true);
    const down = await eventually(() => {
      const s = view.snapshot();
      return s.stale && s;
    }, 'stale');
    expect(down.synced).toBe(true);
    expect(down.lastSyncAt).toBe(before.lastSyncAt);
    expect(down.state).toEqual(before.state);
    expect(metrics.render()).toContain('cilium_observability_cluster_view_stale 1');
    expect(lines.some((l) => l.includes('kubernetes API unreachable'))).toBe(true);

    // Changed while the view cannot see it; it must show after recovery (relist).
    const retries = () =>
      lines.filter((l) => l.includes('"msg":"watch failed again"') && l.includes('hubble-ui')).length;
    const retriesBefore = retries();
    api.remove('Service', 'kube-system', 'hubble-ui');
    // Until then the view keeps the last state: wait for two more failed retries of the watch that holds
    // hubble-ui (≥ 40 ms apart, so the first one's 20 ms debounced recompute has run), then look.
    await eventually(() => retries() >= retriesBefore + 2, 'two failed retries of the hubble-ui watch');
    expect(view.snapshot().state.tools['hubble-ui'].state).toBe('ready');

    api.setDown(false);
    const up = await eventually(() => {
      const s = view.snapshot();
      expect({ stale: s.stale, hubbleUi: s.state.tools['hubble-ui'].state }).toEqual({
        stale: false,
        hubbleUi: 'missing',
      });
      return s;
    }, 'recovered with the missed deletion');
    expect(up.lastSyncAt).not.toBe(before.lastSyncAt);

    // And the watches work again.
    const [relaySlice] = slicesOf(fixtures.cilium117(), 'kube-system', 'hubble-relay');
    if (!relaySlice) throw new Error('fixture has no hubble-relay EndpointSlice');
    api.apply(withReadyEndpoints(relaySlice, 0));
    await eventually(
      () => expect(view.snapshot().state.hubble.state).toBe('degraded'),
      'degraded after recovery',
    );
    expect(lines.some((l) => l.includes('cluster view recovered'))).toBe(true);
    expect(api.unknownRequests).toEqual([]);
  });

  it('is not synced before the first list; start() resolves once the API server answers', async () => {
    const { api, view } = await setup(fixtures.cilium117());
    api.setDown(true);
    expect(view.snapshot().synced).toBe(false);
    const started = view.start();
    await eventually(() => view.snapshot().stale, 'stale while never listed');
    expect(view.snapshot()).toMatchObject({ synced: false, lastSyncAt: null });
    expect(view.snapshot().state.cilium.state).toBe('missing');
    api.setDown(false);
    await started;
    expect(view.snapshot()).toMatchObject({ synced: true, stale: false });
    expect(view.snapshot().state.cilium.state).toBe('ready');
  });

  it('start() rejects with UNAVAILABLE after syncTimeoutMs, and still syncs later', async () => {
    const api = await startFakeKubeApi({ objects: fixtures.cilium117() });
    const view: ClusterView = createClusterView({
      kubeConfig: api.kubeConfig(),
      log: silentLogger,
      syncTimeoutMs: 200,
      initialBackoffMs: 50,
      maxBackoffMs: 100,
    });
    cleanups.push(async () => {
      await view.stop();
      await api.close();
    });
    api.setDown(true);
    await expect(view.start()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    api.setDown(false);
    await eventually(() => view.snapshot().synced, 'synced after the timeout');
  });
});

describe('cluster view: periodic resync', () => {
  it('relists every resyncMs without going stale', async () => {
    const api = await startFakeKubeApi({ objects: fixtures.cilium117() });
    const view = createClusterView({
      kubeConfig: api.kubeConfig(),
      log: silentLogger,
      resyncMs: 150,
      debounceMs: 10,
    });
    cleanups.push(async () => {
      await view.stop();
      await api.close();
    });
    await view.start();
    const serviceLists = () =>
      api.requests.filter((r) => r.path === '/api/v1/services' && r.query.watch === undefined);
    // one list per watched Service selector makes a round; two more rounds than now = two resyncs
    const perRound = new Set(serviceLists().map((r) => r.query.labelSelector ?? '')).size;
    const first = serviceLists().length;
    await eventually(() => expect(serviceLists().length).toBeGreaterThanOrEqual(first + 2 * perRound), {
      what: 'two resyncs',
      timeoutMs: 15_000,
    });
    expect(view.snapshot()).toMatchObject({ synced: true, stale: false });
    expect(view.snapshot().state.hubble.state).toBe('ready');
  });
});

describe('fake kube-api wire format', () => {
  let api: FakeKubeApi;
  const get = async (path: string) => {
    const res = await fetch(api.url + path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lists with kind XList, resourceVersion and label / field selectors', async () => {
    api = await startFakeKubeApi({ objects: fixtures.cilium117() });
    cleanups.push(() => api.close());
    const all = await get('/apis/apps/v1/deployments');
    expect(all.body.kind).toBe('DeploymentList');
    expect((all.body.metadata as { resourceVersion: string }).resourceVersion).toMatch(/^\d+$/);
    const sel = await get(
      `/apis/apps/v1/deployments?labelSelector=${encodeURIComponent('k8s-app in (hubble-ui)')}`,
    );
    expect((sel.body.items as KubeObject[]).map((o) => o.metadata.name)).toEqual(['hubble-ui']);
    const notIn = await get(
      `/api/v1/services?labelSelector=${encodeURIComponent('app,app notin (grafana)')}`,
    );
    expect((notIn.body.items as KubeObject[]).map((o) => o.metadata.name)).toEqual(['prometheus']);
    const field = await get('/api/v1/configmaps?fieldSelector=metadata.name%3Dcilium-config');
    expect((field.body.items as KubeObject[]).map((o) => o.metadata.namespace)).toEqual(['kube-system']);
    const ns = await get('/api/v1/namespaces/cilium-monitoring/services');
    expect((ns.body.items as KubeObject[]).map((o) => o.metadata.name).sort()).toEqual([
      'grafana',
      'prometheus',
    ]);
    const one = await get('/api/v1/namespaces/kube-system/configmaps/cilium-config');
    expect(one.body.kind).toBe('ConfigMap');
    const nsObj = await get('/api/v1/namespaces/kube-system');
    expect(nsObj.body.kind).toBe('Namespace');
    expect(api.unknownRequests).toEqual([]);
  });

  it('answers 404 Status for unknown paths and records them; 400 for bad selectors', async () => {
    api = await startFakeKubeApi();
    cleanups.push(() => api.close());
    const r = await get('/apis/cilium.io/v2/ciliumendpoints');
    expect(r).toMatchObject({ status: 404, body: { kind: 'Status', code: 404, reason: 'NotFound' } });
    expect(api.unknownRequests.map((u) => u.path)).toEqual(['/apis/cilium.io/v2/ciliumendpoints']);
    const missing = await get('/api/v1/namespaces/x/services/nope');
    expect(missing.status).toBe(404);
    expect(api.unknownRequests).toHaveLength(1);
    expect((await get('/api/v1/services?fieldSelector=spec.type%3DNodePort')).status).toBe(400);
  });

  it('streams watch events as JSON lines and sends ERROR 410 for a compacted resourceVersion', async () => {
    api = await startFakeKubeApi({ objects: fixtures.noCilium() });
    cleanups.push(() => api.close());
    const list = await get('/api/v1/services');
    const rv = (list.body.metadata as { resourceVersion: string }).resourceVersion;
    const ctrl = new AbortController();
    const res = await fetch(
      `${api.url}/api/v1/services?watch=true&resourceVersion=${rv}&labelSelector=app%3Dweb`,
      {
        signal: ctrl.signal,
      },
    );
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    api.apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'other', namespace: 'shop' },
      spec: {},
    });
    api.apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {},
    });
    const chunk = await reader?.read();
    const event = JSON.parse(new TextDecoder().decode(chunk?.value).split('\n')[0] ?? '') as {
      type: string;
      object: KubeObject;
    };
    expect(event.type).toBe('ADDED');
    expect(event.object.metadata.name).toBe('web');
    ctrl.abort();

    api.compactHistory();
    const expired = await fetch(`${api.url}/api/v1/services?watch=true&resourceVersion=${rv}`);
    const text = await expired.text();
    expect(JSON.parse(text.trim())).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410 } });
  });

  it('holds a big cluster (1,000 nodes, 30,000 pods) without slowing the narrowed lists', async () => {
    const t0 = performance.now();
    api = await startFakeKubeApi({ objects: fixtures.bigCluster({ nodes: 1000, pods: 30000 }) });
    cleanups.push(() => api.close());
    const loadMs = performance.now() - t0;
    const view = createClusterView({ kubeConfig: api.kubeConfig(), log: silentLogger });
    cleanups.push(() => view.stop());
    const t1 = performance.now();
    await view.start();
    const syncMs = performance.now() - t1;
    expect(view.snapshot().state.cilium.agents).toEqual({ ready: 1000, desired: 1000 });
    const t2 = performance.now();
    for (let i = 0; i < 100_000; i++) view.snapshot();
    const snapMs = performance.now() - t2;
    expect(syncMs).toBeLessThan(2_000);
    expect(snapMs).toBeLessThan(50);
    console.log(
      `bigCluster: fake loaded in ${Math.round(loadMs)} ms, view synced in ${Math.round(syncMs)} ms, 100k snapshots in ${snapMs.toFixed(1)} ms`,
    );
  });
});

/**
 * Detection over real HTTP: the whole backend against the fake Kubernetes API and the fake console.
 * A team namespace full of decoys (a Cilium DaemonSet, Grafana, Prometheus, hubble-ui, dashboards) changes
 * nothing in status, in what a registration points at, or in the Prometheus the summary queries; a
 * kube-prometheus-stack install, shaped like the chart and prometheus-operator make it, is ready.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusSchema, SummarySchema, ToolSchema, type Status } from '../../contract';
import type { KubeObject } from '../fakes/kube-api';
import {
  fixtures,
  sandboxCluster,
  slicesOf,
  tenantDecoys,
  withEndpointSlices,
  withReadyEndpoints,
} from '../fixtures/cluster';
import { teamNamespace } from '../fixtures/cluster/builders';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

/** The enterprise admin of TEST_USERS: may register and see internal addresses. */
const ADMIN = 'root';

const get = async (s: Stack, path: string, team = 'dev-team') => {
  const res = await fetch(s.api(path, team), { headers: s.headers(ADMIN) });
  return { status: res.status, json: (await res.json()) as unknown };
};

const status = async (s: Stack) => {
  const r = await get(s, 'status');
  expect(r.status).toBe(200);
  return StatusSchema.parse(r.json);
};

/** What detection decides, without the sync times, the console's state of the tools and the plugin entry. */
const detected = (st: Status) => ({
  cluster: { cilium: st.cluster.cilium, hubble: st.cluster.hubble, monitoring: st.cluster.monitoring },
  tools: st.tools.map((t) => ({
    id: t.id,
    state: t.state,
    service: t.service,
    risks: t.risks,
    links: t.links,
  })),
  hints: st.hints,
});

async function registerAll(s: Stack) {
  for (const id of ['hubble-ui', 'grafana', 'prometheus']) {
    const res = await fetch(s.api(`tools/${id}/registration`), {
      method: 'POST',
      headers: s.headers(ADMIN),
      body: '{}',
    });
    expect(res.status, `register ${id}`).toBe(200);
    ToolSchema.parse(await res.json());
  }
  return s.console
    .state()
    .components.map((c) => [c.cname, c.kubernetes.namespace, c.kubernetes.serviceName])
    .sort();
}

const summaryPrometheus = async (s: Stack) => {
  const r = await get(s, 'insights/summary?window=5m');
  expect(r.status).toBe(200);
  return SummarySchema.parse(r.json).prometheus.url;
};

/** A cluster plus decoys in `abc-team` (sorts before kube-system) and in `default` adopted as a team namespace. */
const spoof = (objs: KubeObject[]): KubeObject[] => [
  ...objs.map((o) =>
    o.kind === 'Namespace' && o.metadata.name === 'default' ? teamNamespace('default') : o,
  ),
  teamNamespace('abc-team', 'creator'),
  ...withEndpointSlices([...tenantDecoys('abc-team'), ...tenantDecoys('default')]),
];

describe.each([
  {
    cluster: 'the sandbox (monitoring example)',
    objects: sandboxCluster,
    services: [
      ['Grafana', 'cilium-monitoring', 'grafana'],
      ['Hubble UI', 'kube-system', 'hubble-ui'],
      ['Prometheus', 'cilium-monitoring', 'prometheus'],
    ],
    prometheus: 'http://prometheus.cilium-monitoring.svc:9090',
  },
  {
    cluster: 'kube-prometheus-stack (its Grafana Service has no `app` label, the decoy’s has)',
    objects: fixtures.kubePrometheusStack,
    services: [
      ['Grafana', 'monitoring', 'kps-grafana'],
      ['Hubble UI', 'kube-system', 'hubble-ui'],
      ['Prometheus', 'monitoring', 'kps-kube-prometheus-stack-prometheus'],
    ],
    prometheus: 'http://kps-kube-prometheus-stack-prometheus.monitoring.svc:9090',
  },
])('$cluster + a team namespace holding a Grafana, a Cilium DaemonSet and a Prometheus', (c) => {
  let clean: Stack;
  let spoofed: Stack;
  beforeAll(async () => {
    [clean, spoofed] = await Promise.all([
      startStack({ objects: c.objects() }),
      startStack({ objects: spoof(c.objects()) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([clean?.close(), spoofed?.close()]);
  });

  it('status is the same as without them', async () => {
    const [a, b] = await Promise.all([status(clean), status(spoofed)]);
    expect(detected(b)).toEqual(detected(a));
    expect(b.cluster.cilium).toMatchObject({ namespace: 'kube-system', version: '1.17.5', candidates: [] });
    expect(b.cluster.monitoring.candidates).toEqual([]);
    expect(b.tools.map((t) => [t.service?.namespace, t.service?.name])).toEqual(
      [c.services[1], c.services[0], c.services[2]].map((x) => [x?.[1], x?.[2]]),
    );
  });

  it('registrations point at the cluster’s Services, not the tenant’s', async () => {
    expect(await registerAll(spoofed)).toEqual(c.services);
  });

  it('the summary queries the cluster’s Prometheus', async () => {
    expect(await summaryPrometheus(spoofed)).toBe(c.prometheus);
    expect(await summaryPrometheus(clean)).toBe(c.prometheus);
  });

  it('decoys seen in a plain namespace stop counting once Rainbond labels it as a team’s', async () => {
    const before = detected(await status(clean));
    clean.kube.apply({ ...teamNamespace('abc-team'), metadata: { name: 'abc-team', labels: {} } });
    clean.kube.applyMany(withEndpointSlices(tenantDecoys('abc-team')));
    // Not a team namespace yet: the decoys are seen, as other candidates (the well-known namespaces still win).
    await eventually(async () => {
      const st = await status(clean);
      expect([st.cluster.cilium.candidates, st.cluster.monitoring.candidates]).toEqual([
        ['abc-team'],
        ['abc-team'],
      ]);
    }, 'decoys listed as candidates');
    clean.kube.apply(teamNamespace('abc-team', 'creator'));
    await eventually(async () => expect(detected(await status(clean))).toEqual(before), 'back to before');
  });
});

describe('kube-prometheus-stack (chart 76, prometheus-operator v0.84 StatefulSet labels)', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ objects: fixtures.kubePrometheusStack() });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('reports monitoring ready, Prometheus 1/1 and the tool ready', async () => {
    const st = await status(s);
    expect(st.cluster.monitoring).toEqual({
      state: 'ready',
      namespace: 'monitoring',
      prometheus: { ready: 1, desired: 1 },
      grafana: { ready: 1, desired: 1 },
      candidates: [],
    });
    const prom = st.tools.find((t) => t.id === 'prometheus');
    expect(prom).toMatchObject({
      state: 'ready',
      service: { namespace: 'monitoring', name: 'kps-kube-prometheus-stack-prometheus', port: 9090 },
    });
  });

  it('registers the chart’s Prometheus Service, and the summary queries it', async () => {
    expect(await registerAll(s)).toEqual([
      ['Grafana', 'monitoring', 'kps-grafana'],
      ['Hubble UI', 'kube-system', 'hubble-ui'],
      ['Prometheus', 'monitoring', 'kps-kube-prometheus-stack-prometheus'],
    ]);
    expect(await summaryPrometheus(s)).toBe(
      'http://kps-kube-prometheus-stack-prometheus.monitoring.svc:9090',
    );
  });

  it('Grafana shows no dashboard links and a hint to load them (the sidecar watches grafana_dashboard)', async () => {
    const st = await status(s);
    const hint = st.hints.find((h) => h.code === 'GRAFANA_DASHBOARDS_MISSING');
    expect(hint?.commands.join('\n')).toContain('--set hubble.metrics.dashboards.enabled=true');
  });

  it('follows the Prometheus endpoint going unready and back over the watch', async () => {
    const [slice] = slicesOf(
      fixtures.kubePrometheusStack(),
      'monitoring',
      'kps-kube-prometheus-stack-prometheus',
    );
    if (!slice) throw new Error('fixture has no Prometheus EndpointSlice');
    s.kube.apply(withReadyEndpoints(slice, 0));
    await eventually(async () => {
      const st = await status(s);
      expect([st.cluster.monitoring.state, st.cluster.monitoring.prometheus, st.tools[2]?.state]).toEqual([
        'degraded',
        { ready: 0, desired: 1 },
        'not-ready',
      ]);
    }, 'Prometheus not ready');
    s.kube.apply(slice);
    await eventually(
      async () => expect((await status(s)).cluster.monitoring.state).toBe('ready'),
      'ready again',
    );
  });
});

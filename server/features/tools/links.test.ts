import { describe, expect, it } from 'vitest';
import { computeClusterState, EMPTY_STATE } from '../../clients/cluster/detect';
import type { ClusterState } from '../../clients/cluster/types';
import { buildInventory } from '../../clients/cluster/objects';
import { fixtures } from '../../../test/fixtures/cluster';
import { buildToolLinks } from './links';

const withUiVersion = (version: string | null): ClusterState => ({
  ...EMPTY_STATE,
  tools: { ...EMPTY_STATE.tools, 'hubble-ui': { ...EMPTY_STATE.tools['hubble-ui'], version } },
});

describe('buildToolLinks', () => {
  it('returns no links while access is closed (no gateway URL)', () => {
    const s = computeClusterState(buildInventory(fixtures.cilium117()));
    for (const tool of ['hubble-ui', 'grafana', 'prometheus'] as const) {
      expect(buildToolLinks(tool, s, { teamNamespace: 'shop', baseUrl: null, locale: 'en' })).toEqual([]);
    }
  });

  const grafanaLinks = (state: ClusterState) =>
    buildToolLinks('grafana', state, {
      teamNamespace: 'shop',
      baseUrl: 'http://grafana.example.com/',
      locale: 'en',
    });

  it('links the Cilium / Hubble dashboards this Grafana has loaded, by UID', () => {
    expect(grafanaLinks(computeClusterState(buildInventory(fixtures.cilium111())))).toEqual([
      { id: 'cilium-metrics', title: 'Cilium Metrics', url: 'http://grafana.example.com/d/vtuWtdumz' },
      { id: 'cilium-operator', title: 'Cilium Operator', url: 'http://grafana.example.com/d/1GC0TT4Wz' },
      { id: 'hubble', title: 'Hubble', url: 'http://grafana.example.com/d/5HftnJAWz' },
    ]);
    expect(grafanaLinks(computeClusterState(buildInventory(fixtures.cilium117()))).map((l) => l.id)).toEqual([
      'cilium-metrics',
      'cilium-operator',
      'hubble',
      'hubble-l7-http',
    ]);
  });

  it.each([
    ['no dashboards loaded (kube-prometheus-stack alone)', fixtures.kubePrometheusStack(), []],
    ['only Hubble loaded', null, ['hubble']],
  ])('%s', (_n, objs, ids) => {
    const state = objs
      ? computeClusterState(buildInventory(objs))
      : { ...EMPTY_STATE, grafanaDashboards: { uids: ['5HftnJAWz'], sidecar: null } };
    expect(grafanaLinks(state).map((l) => l.id)).toEqual(ids);
  });

  it.each([
    ['v0.8.5', 'http://ui.example/dev-team', 'http://ui.example/dev-team?verdict=2'],
    ['v0.9.2', 'http://ui.example/dev-team', 'http://ui.example/dev-team?verdict=2'],
    ['v0.11.0', 'http://ui.example/?namespace=dev-team', 'http://ui.example/?namespace=dev-team&verdict=2'],
    ['v0.13.2', 'http://ui.example/?namespace=dev-team', 'http://ui.example/?namespace=dev-team&verdicts=2'],
    [null, 'http://ui.example/?namespace=dev-team', 'http://ui.example/?namespace=dev-team&verdicts=2'],
  ])('hubble-ui %j → %s', (version, flows, dropped) => {
    const links = buildToolLinks('hubble-ui', withUiVersion(version), {
      teamNamespace: 'dev-team',
      baseUrl: 'http://ui.example',
      locale: 'en',
    });
    expect(links.map((l) => [l.id, l.url])).toEqual([
      ['namespace-flows', flows],
      ['namespace-dropped', dropped],
    ]);
  });

  it('titles follow the locale', () => {
    const links = buildToolLinks('hubble-ui', withUiVersion('v0.13.2'), {
      teamNamespace: 'shop',
      baseUrl: 'http://ui',
      locale: 'zh-CN',
    });
    expect(links[0]?.title).toBe('shop 的服务拓扑');
  });

  it('links Prometheus targets and a hubble_flows_processed_total graph', () => {
    const links = buildToolLinks('prometheus', EMPTY_STATE, {
      teamNamespace: 'shop',
      baseUrl: 'https://prom.example.com',
      locale: 'en',
    });
    expect(links[0]).toEqual({
      id: 'targets',
      title: 'Scrape targets',
      url: 'https://prom.example.com/targets',
    });
    const graph = new URL(links[1]?.url ?? '');
    expect(graph.pathname).toBe('/graph');
    expect(graph.searchParams.get('g0.expr')).toBe(
      'sum by (verdict) (rate(hubble_flows_processed_total[5m]))',
    );
  });
});

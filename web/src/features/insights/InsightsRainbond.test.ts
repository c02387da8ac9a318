/**
 * The Insights tab in Rainbond's words: the service map (names, console links, a click filtering the table, a drop
 * line's explanation), filter tags and hide toggles as the query the backend gets, the column chooser remembered in
 * localStorage, a flow's details and its drop explanation. Every catalog key the views build at run time exists.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlowView, Summary } from '../../../../contract/insights';
import type { ServiceMap } from '../../../../contract/map';
import { TAG_DIRECTIONS, TAG_KINDS, HIDE_TOGGLES } from '../../../../contract/flow-tags';
import { FakeEventSource } from '../../../test/fake-event-source';
import { endpoint, flowView } from '../../../test/flows';
import { createFakeBackend, makeTool, mountWithServices, ok, settle } from '../../../test/harness';
import { en } from '../../locales/en';
import { zhCN } from '../../locales/zh-CN';
import { COLUMNS_STORAGE_KEY } from './flow-format';
import InsightsTab from './InsightsTab.vue';
import { MAP_REFRESH_MS } from './useMap';

const summary: Summary = {
  scope: 'namespace',
  namespace: 'dev-team',
  window: '5m',
  generatedAt: '2026-01-01T00:00:00Z',
  prometheus: { url: null, found: true, reachable: true },
  cards: [],
  topDropReasons: [],
  diagnoses: [],
};
const api = { alias: 'gr8b2c4d', name: '订单服务', appId: 101, appName: '在线商城' };
const db = { alias: 'gr2d9e07', name: '订单数据库', appId: 101, appName: '在线商城' };

const map: ServiceMap = {
  namespace: 'dev-team',
  since: '2026-01-01T00:00:00Z',
  window: '5m',
  generatedAt: '2026-01-01T00:05:00Z',
  flowsSeen: 12,
  truncated: false,
  namesResolved: true,
  nodes: [
    {
      id: 'component:gr8b2c4d',
      kind: 'component',
      name: api.name,
      namespace: 'dev-team',
      component: api,
      filter: 'label=k8s:service_alias=gr8b2c4d',
      flows: 8,
      folded: 0,
    },
    {
      id: 'component:gr2d9e07',
      kind: 'component',
      name: db.name,
      namespace: 'dev-team',
      component: db,
      filter: 'label=k8s:service_alias=gr2d9e07',
      flows: 7,
      folded: 0,
    },
    {
      id: 'workload:other-team/report-reporter',
      kind: 'workload',
      name: 'report-reporter',
      namespace: 'other-team',
      filter: 'pod=other-team/report-reporter-',
      flows: 3,
      folded: 0,
    },
  ],
  edges: [
    {
      source: 'component:gr8b2c4d',
      target: 'component:gr2d9e07',
      protocol: 'tcp',
      port: 5432,
      flows: 4,
      forwarded: 4,
      dropped: 0,
      audited: 0,
      dropReasons: {},
      dropReasonTexts: {},
      policy: null,
      nextSteps: [],
    },
    {
      source: 'workload:other-team/report-reporter',
      target: 'component:gr2d9e07',
      protocol: 'tcp',
      port: 5432,
      flows: 3,
      forwarded: 0,
      dropped: 3,
      audited: 0,
      dropReasons: { POLICY_DENIED: 3 },
      dropReasonTexts: { POLICY_DENIED: 'No network policy allows this traffic.' },
      policy: {
        effect: 'deny',
        attribution: 'likely',
        direction: 'ingress',
        policies: [
          {
            kind: 'CiliumNetworkPolicy',
            name: 'orders-db-ingress',
            namespace: 'dev-team',
            ingress: true,
            egress: false,
          },
        ],
      },
      nextSteps: ['kubectl -n dev-team get cnp orders-db-ingress -o yaml'],
    },
  ],
};

const dropped: FlowView = flowView({
  verdict: 'DROPPED',
  dropReason: 'POLICY_DENIED',
  direction: 'ingress',
  source: endpoint({
    namespace: 'other-team',
    pod: 'report-reporter-6b7c8d9e5-r3p0r',
    workload: 'report-reporter',
    labels: ['k8s:service_alias=gr9a8b7c'],
  }),
  destination: endpoint({
    namespace: 'dev-team',
    pod: 'mall-orders-db-0',
    workload: 'mall-orders-db',
    component: db,
  }),
  policy: map.edges[1]!.policy,
  explanation: {
    reason: 'POLICY_DENIED',
    text: 'No network policy allows this traffic.',
    wouldDrop: false,
    direction: 'ingress',
    enforcedAt: 'destination',
    enforcedInTeam: true,
    nextSteps: [
      'kubectl -n dev-team get cnp orders-db-ingress -o yaml',
      'hubble observe --namespace dev-team --verdict DROPPED --to-pod dev-team/mall-orders-db-0',
    ],
  },
});
const forwarded = flowView({
  time: '2026-01-01T00:00:00Z',
  source: endpoint({
    namespace: 'dev-team',
    pod: 'mall-order-api-7d9f8b6c4-x7k2p',
    workload: 'mall-order-api',
    component: api,
  }),
  destination: endpoint({ namespace: 'dev-team', pod: 'mall-orders-db-0', component: db, ip: '10.0.1.5' }),
});

function mountTab(locale: 'en' | 'zh-CN' = 'en') {
  const backend = createFakeBackend({
    'GET /api/v1/insights/summary': ok(summary),
    'GET /api/v1/insights/relay': ok({
      address: null,
      found: true,
      reachable: true,
      version: '1.17.5',
      connectedNodes: 3,
      unavailableNodes: [],
      numFlows: 1,
      maxFlows: 1,
      flowsRate: 1,
      nodes: [],
      diagnoses: [],
    }),
    'GET /api/v1/insights/flows': ok({
      namespace: 'dev-team',
      flows: [dropped, forwarded],
      lostEvents: 0,
      unavailableNodes: [],
    }),
    'GET /api/v1/insights/map': ok(map),
    'GET /api/v1/tools/hubble-ui': ok(makeTool()),
  });
  const wrapper = mountWithServices(
    InsightsTab,
    { scope: { team: 'dev-team', region: 'rainbond' } },
    { fetch: backend.fetch, locale },
  );
  const flowsQueries = () =>
    backend.requests.filter((r) => r.path === '/api/v1/insights/flows').map((r) => r.query);
  return { wrapper, backend, flowsQueries };
}

beforeEach(() => {
  vi.stubGlobal('EventSource', FakeEventSource);
  localStorage.clear();
});
afterEach(() => {
  vi.unstubAllGlobals();
  FakeEventSource.instances = [];
  document.body.innerHTML = '';
});

describe('service map', () => {
  it('draws the components by name with console links, and another namespace by namespace/workload', async () => {
    const { wrapper } = mountTab();
    await settle();
    const nodes = wrapper.findAll('.cobs-map__node');
    expect(nodes.map((n) => n.attributes('data-node'))).toEqual(map.nodes.map((n) => n.id));
    expect(wrapper.find('[data-node="component:gr8b2c4d"] .cobs-map__name').text()).toBe('订单服务');
    expect(wrapper.find('[data-node="component:gr8b2c4d"] .cobs-map__sub').text()).toBe('在线商城');
    expect(wrapper.find('[data-node="component:gr8b2c4d"] a').attributes('href')).toBe(
      '#/team/dev-team/region/rainbond/apps/101/overview?type=components&componentID=gr8b2c4d&tab=overview',
    );
    expect(wrapper.find('[data-node="workload:other-team/report-reporter"] .cobs-map__sub').text()).toBe(
      'other-team',
    );
    expect(wrapper.findAll('.cobs-map__edge--dropped')).toHaveLength(1);
    expect(wrapper.find('.cobs-map__edge--forwarded .cobs-map__label').text()).toBe('tcp/5432');
  });

  it('a click on a node filters the table to it; a drop line also explains itself', async () => {
    const { wrapper, flowsQueries } = mountTab();
    await settle();
    await wrapper.find('[data-node="component:gr8b2c4d"]').trigger('click');
    await settle();
    expect(flowsQueries().at(-1)?.filters).toBe('either:label=k8s:service_alias=gr8b2c4d');
    await wrapper.find('.cobs-map__edge--dropped').trigger('click');
    await settle();
    expect(flowsQueries().at(-1)?.filters).toBe(
      'from:pod=other-team/report-reporter-,to:label=k8s:service_alias=gr2d9e07,to:port=5432',
    );
    const why = wrapper.find('[data-testid="edge-explanation"]');
    expect(why.text()).toContain('No network policy allows this traffic.');
    expect(why.text()).toContain('orders-db-ingress');
    expect(why.text()).toContain('kubectl -n dev-team get cnp orders-db-ingress -o yaml');
  });

  it('refreshes while on screen, stops when scrolled away or hidden, resumes when back', async () => {
    let report: (e: { isIntersecting: boolean }[]) => void = () => undefined;
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(cb: typeof report) {
          report = cb;
        }
        observe() {}
        disconnect() {}
      },
    );
    vi.useFakeTimers();
    try {
      const { backend } = mountTab();
      const maps = () => backend.requests.filter((r) => r.path === '/api/v1/insights/map').length;
      await vi.advanceTimersByTimeAsync(50);
      expect(maps()).toBe(1);
      await vi.advanceTimersByTimeAsync(MAP_REFRESH_MS);
      expect(maps()).toBe(2);
      report([{ isIntersecting: false }]);
      await vi.advanceTimersByTimeAsync(MAP_REFRESH_MS * 3);
      expect(maps()).toBe(2);
      report([{ isIntersecting: true }]);
      await vi.advanceTimersByTimeAsync(MAP_REFRESH_MS + 50);
      expect(maps()).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hover shows the counts and the drop reasons in words', async () => {
    const { wrapper } = mountTab();
    await settle();
    await wrapper.find('.cobs-map__edge--dropped').trigger('mousemove', { clientX: 10, clientY: 10 });
    expect(wrapper.find('.cobs-map__tip').text()).toMatch(
      /3 flows.*Dropped 3.*POLICY_DENIED ×3: No network policy/s,
    );
  });
});

describe('flow table', () => {
  it('names endpoints like the map and links components to the console', async () => {
    const { wrapper } = mountTab();
    await settle();
    const row = wrapper.findAll('.cobs-table tbody tr')[1]!;
    expect(row.findAll('.cobs-ep').map((e) => e.text())).toEqual(['订单服务', '订单数据库']);
    expect(row.find('a.cobs-ep').attributes('href')).toContain('componentID=gr8b2c4d');
    const drop = wrapper.findAll('.cobs-table tbody tr')[0]!;
    expect(drop.findAll('.cobs-ep').map((e) => e.text())).toEqual([
      'other-team/report-reporter',
      '订单数据库',
    ]);
  });

  it('a tag and a hide toggle become the query the backend gets', async () => {
    const { wrapper, flowsQueries, backend } = mountTab();
    await settle();
    await wrapper.find('.cobs-filters__direction').setValue('to');
    await wrapper.find('.cobs-filters__kind').setValue('port');
    await wrapper.find('.cobs-filters__value').setValue('5432');
    await wrapper.find('.cobs-filters__add').trigger('submit');
    await settle();
    expect(flowsQueries().at(-1)?.filters).toBe('to:port=5432');
    await wrapper.find('[data-hide="kube-dns"]').setValue(true);
    await settle();
    expect(flowsQueries().at(-1)).toMatchObject({ filters: 'to:port=5432', hide: 'kube-dns' });
    // the map leaves the same special flows out
    const mapQueries = backend.requests.filter((r) => r.path === '/api/v1/insights/map');
    expect(mapQueries.at(-1)?.query.hide).toBe('kube-dns');
    await wrapper.find('.cobs-filters__value').setValue('not a port');
    await wrapper.find('.cobs-filters__add').trigger('submit');
    expect(wrapper.find('.cobs-filters__invalid').exists()).toBe(true);
  });

  it('columns can be chosen and are remembered', async () => {
    const { wrapper } = mountTab();
    await settle();
    await wrapper.find('[data-column="sourceIp"][type="checkbox"]').setValue(true);
    await wrapper.find('[data-column="l7"][type="checkbox"]').setValue(false);
    expect(wrapper.findAll('.cobs-table th').map((th) => th.attributes('data-column'))).toEqual([
      'time',
      'source',
      'sourceIp',
      'destination',
      'port',
      'verdict',
    ]);
    expect(JSON.parse(localStorage.getItem(COLUMNS_STORAGE_KEY) ?? '[]')).toContain('sourceIp');
    wrapper.unmount();
    const again = mountTab();
    await settle();
    expect(again.wrapper.findAll('.cobs-table th').map((th) => th.attributes('data-column'))).toContain(
      'sourceIp',
    );
  });

  it('a row opens its details; "Why?" on a drop opens its explanation', async () => {
    const { wrapper } = mountTab();
    await settle();
    await wrapper.findAll('.cobs-table tbody tr')[1]!.trigger('click');
    const details = wrapper.find('[data-testid="flow-details"]');
    expect(details.text()).toContain('mall-order-api-7d9f8b6c4-x7k2p');
    expect(details.text()).toContain('10.0.1.5');
    expect(details.find('[data-testid="drop-explanation"]').exists()).toBe(false);
    await wrapper.find('.cobs-why').trigger('click');
    const why = wrapper.find('[data-testid="drop-explanation"]');
    expect(why.text()).toContain('POLICY_DENIED');
    expect(why.text()).toContain('Decided by the ingress policy of the destination (订单数据库).');
    expect(why.text()).toContain('Likely');
    expect(why.text()).toContain(
      'hubble observe --namespace dev-team --verdict DROPPED --to-pod dev-team/mall-orders-db-0',
    );
  });
});

describe('catalog keys built at run time', () => {
  const keys = [
    ...TAG_KINDS.map((k) => `insights.filters.kind.${k}`),
    ...TAG_DIRECTIONS.map((d) => `insights.filters.dir.${d}`),
    ...HIDE_TOGGLES.map((h) => `insights.filters.hide.${h}`),
    ...['forwarded', 'mixed', 'dropped', 'audit'].map((s) => `insights.map.legend.${s}`),
    ...['title', 'direction', 'kind', 'value', 'exclude', 'not', 'add', 'clear', 'hide'].map(
      (s) => `insights.filters.${s}`,
    ),
  ];
  it.each(keys)('%s exists in zh-CN and en', (k) => {
    expect(zhCN).toHaveProperty([k]);
    expect(en).toHaveProperty([k]);
  });
});

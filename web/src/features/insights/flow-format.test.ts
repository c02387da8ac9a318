import { describe, expect, it } from 'vitest';
import { formatTag } from '../../../../contract/flow-tags';
import {
  DEFAULT_COLUMNS,
  edgeTags,
  endpointView,
  loadColumns,
  nodeTags,
  endpointLabel,
  formatCardValue,
  hubbleLinkFor,
  l7Summary,
  mergeFlows,
  protocolLabel,
} from './flow-format';
import { endpoint, flowView } from '../../../test/flows';

const ep = endpoint;
const flow = flowView;

describe('flow formatting', () => {
  it.each([
    [ep({ namespace: 'dev', pod: 'web-1' }), 'dev/web-1'],
    [ep({ names: ['api.example.com'], ip: '1.1.1.1' }), 'api.example.com'],
    [ep({ ip: '10.0.0.2' }), '10.0.0.2'],
    [ep({ labels: ['reserved:world'] }), 'world'],
  ])('endpoint %#', (e, label) => expect(endpointLabel(e)).toBe(label));

  it.each([
    [flow(), 'TCP :443'],
    [flow({ l4: null, l7: { type: 'dns', query: 'a.', rcode: 3, ips: [] } }), 'DNS'],
  ])('protocol %#', (f, label) => expect(protocolLabel(f)).toBe(label));

  it.each([
    [
      flow({ l7: { type: 'dns', query: 'api.example.com.', rcode: 3, ips: [] } }),
      'DNS api.example.com. NXDOMAIN',
    ],
    [
      flow({ l7: { type: 'http', method: 'GET', url: '/cart', code: 503, latencyMs: 12.4 } }),
      'GET /cart → 503 (12 ms)',
    ],
    [flow(), ''],
  ])('l7 %#', (f, text) => expect(l7Summary(f)).toBe(text));

  it.each([
    [{ value: 12.5, unit: 'per_second' as const }, '12.5/s'],
    [{ value: 0.012, unit: 'ratio' as const }, '1.20%'],
    [{ value: 0.25, unit: 'seconds' as const }, '250 ms'],
    [{ value: null, unit: 'ratio' as const }, null],
  ])('card value %#', (c, text) => expect(formatCardValue(c)).toBe(text));

  const links = [
    { id: 'namespace-flows', title: 'Service map of dev', url: 'http://h.example/?namespace=dev' },
    { id: 'namespace-dropped', title: 'Dropped in dev', url: 'http://h.example/?namespace=dev&verdicts=2' },
  ];
  it.each([
    ['no filter → the namespace view', links, undefined, 'http://h.example/?namespace=dev'],
    ['DROPPED → the dropped view', links, 'DROPPED' as const, 'http://h.example/?namespace=dev&verdicts=2'],
    ['another verdict → the namespace view', links, 'FORWARDED' as const, 'http://h.example/?namespace=dev'],
    [
      'DROPPED without a dropped link → the namespace view',
      links.slice(0, 1),
      'DROPPED' as const,
      links[0]!.url,
    ],
    ['no links (access closed) → none', [], undefined, null],
  ])('hubble link: %s', (_name, given, verdict, url) => expect(hubbleLinkFor(given, verdict)).toBe(url));

  it('merges newest first, drops duplicates, caps', () => {
    const a = flow({ time: '2026-01-01T00:00:01Z', summary: 'a' });
    const b = flow({ time: '2026-01-01T00:00:02Z', summary: 'b' });
    const c = flow({ time: '2026-01-01T00:00:03Z', summary: 'c' });
    expect(mergeFlows([a, b], [c, b], 2).map((f) => f.summary)).toEqual(['c', 'b']);
  });
});

describe('Rainbond names and map tags', () => {
  const comp = { alias: 'gr1', name: '订单服务', appId: 7, appName: '商城' };
  it.each([
    [
      ep({ namespace: 'dev', pod: 'x-1', workload: 'x', component: comp }),
      { name: '订单服务', detail: '商城', kind: 'component' },
    ],
    [
      ep({ namespace: 'dev', pod: 'job-abc', workload: 'job' }),
      { name: 'job', detail: '', kind: 'workload' },
    ],
    [
      ep({ namespace: 'billing', pod: 'r-1', workload: 'reporter' }),
      { name: 'billing/reporter', detail: '', kind: 'workload' },
    ],
    [
      ep({ labels: ['reserved:world'], ip: '1.1.1.1', names: ['one.one'] }),
      { name: 'one.one', detail: '1.1.1.1', kind: 'world' },
    ],
    [ep({ labels: ['reserved:host'] }), { name: 'host', detail: '', kind: 'host' }],
    [
      ep({ namespace: 'kube-system', labels: ['k8s:k8s-app=kube-dns'] }),
      { name: 'kube-dns', detail: 'kube-system', kind: 'dns' },
    ],
    [
      ep({ labels: ['reserved:kube-apiserver', 'reserved:world'] }),
      { name: 'kube-apiserver', detail: '', kind: 'apiserver' },
    ],
  ])('endpointView(%j)', (e, want) => expect(endpointView(e, 'dev')).toEqual(want));

  it('map clicks become tags: a node on either side, an edge from → to with the server port', () => {
    expect(nodeTags({ filter: 'label=k8s:service_alias=gr1' }).map(formatTag)).toEqual([
      'either:label=k8s:service_alias=gr1',
    ]);
    expect(nodeTags({ filter: null })).toEqual([]);
    const nodes = new Map([
      ['a', { filter: 'workload=web' }],
      ['b', { filter: 'pod=billing/reporter-' }],
    ]);
    expect(edgeTags({ source: 'a', target: 'b', port: 8080 }, nodes).map(formatTag)).toEqual([
      'from:workload=web',
      'to:pod=billing/reporter-',
      'to:port=8080',
    ]);
  });

  it('columns: stored choice in table order, defaults for nothing or junk', () => {
    const store = (v: string | null) => ({ getItem: () => v });
    expect(loadColumns(store(null))).toEqual([...DEFAULT_COLUMNS]);
    expect(loadColumns(store('{broken'))).toEqual([...DEFAULT_COLUMNS]);
    expect(loadColumns(store('["node","time","nope"]'))).toEqual(['time', 'node']);
    expect(loadColumns(null)).toEqual([...DEFAULT_COLUMNS]);
  });
});

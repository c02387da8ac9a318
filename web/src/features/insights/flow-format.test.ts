import { describe, expect, it } from 'vitest';
import type { FlowView } from '../../../../contract/insights';
import {
  endpointLabel,
  formatCardValue,
  hubbleLinkFor,
  l7Summary,
  mergeFlows,
  protocolLabel,
} from './flow-format';

const ep = (over: Partial<FlowView['source']> = {}): FlowView['source'] => ({
  namespace: '',
  pod: '',
  workload: '',
  labels: [],
  ip: '',
  names: [],
  identity: 0,
  ...over,
});
const flow = (over: Partial<FlowView> = {}): FlowView => ({
  time: '2026-01-01T00:00:01Z',
  node: 'n1',
  verdict: 'FORWARDED',
  dropReason: null,
  direction: 'egress',
  isReply: false,
  source: ep({ namespace: 'dev', pod: 'web-1' }),
  destination: ep({ ip: '1.1.1.1' }),
  l4: { protocol: 'TCP', sourcePort: 4000, destinationPort: 443, flags: [] },
  l7: null,
  summary: 's',
  ...over,
});

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

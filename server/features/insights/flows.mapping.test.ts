import { describe, expect, it } from 'vitest';
import { roundTripGetFlowsResponse } from '../../clients/hubble/proto';
import { FlowSchema, GetFlowsResponseSchema, type HubbleFlow } from '../../clients/hubble/schemas';
import {
  COREDNS,
  WORLD_ENDPOINT,
  dnsRequestFlow,
  dnsResponseFlow,
  httpFlow,
  icmpFlow,
  podEndpoint,
  policyDropFlow,
  tcpFlow,
  udpFlow,
  type FlowFixture,
} from '../../../test/fakes/hubble-relay';
import { FlowViewSchema } from '../../../contract/insights';
import {
  buildTeamFilters,
  dropReasonName,
  isTeamFlow,
  matchesQuery,
  toFlowView,
  verdictName,
} from './flows.mapping';

const T = Date.UTC(2025, 4, 6, 10, 20, 30, 123);
const checkout = podEndpoint({ namespace: 'shop', app: 'checkout', suffix: 'x7k2p' });
const frontend = podEndpoint({ namespace: 'shop', app: 'frontend', suffix: 'q2w3e' });
const postgres = podEndpoint({ namespace: 'shop', app: 'postgres', suffix: 'p0stg' });
const reporter = podEndpoint({ namespace: 'billing', app: 'reporter', suffix: 'r3p0r' });

/** Through the real protobuf codec, so the mapping sees exactly what a client receives. */
function wire(f: FlowFixture): HubbleFlow {
  const decoded = GetFlowsResponseSchema.parse(
    roundTripGetFlowsResponse({ flow: f, node_name: 'kind-worker' }),
  );
  if (!decoded.flow) throw new Error('no flow');
  return decoded.flow;
}

describe('toFlowView', () => {
  it.each([
    {
      name: 'DNS query to CoreDNS',
      flow: dnsRequestFlow({ timeMs: T, source: checkout, query: 'api.stripe.com.' }),
      expected: {
        verdict: 'FORWARDED',
        direction: 'egress',
        dropReason: null,
        l4: { protocol: 'UDP', destinationPort: 53 },
        l7: { type: 'dns', query: 'api.stripe.com.', rcode: 0, ips: [] },
        summary: 'DNS Query api.stripe.com. A',
        source: { namespace: 'shop', pod: 'checkout-7d9f8b6c4-x7k2p', workload: 'checkout' },
        destination: {
          namespace: 'kube-system',
          pod: COREDNS.pod_name,
          workload: 'coredns',
          ip: '10.96.0.10',
        },
      },
    },
    {
      name: 'DNS NXDOMAIN answer',
      flow: dnsResponseFlow({ timeMs: T, destination: frontend, query: 'missing.internal.', rcode: 3 }),
      expected: {
        isReply: true,
        direction: 'ingress',
        l7: { type: 'dns', query: 'missing.internal.', rcode: 3, ips: [] },
        summary: 'DNS Answer RCode: NXDOMAIN missing.internal. A',
      },
    },
    {
      name: 'DNS answer with IPs',
      flow: dnsResponseFlow({ timeMs: T, destination: checkout, query: 'api.stripe.com.', ips: ['1.2.3.4'] }),
      expected: {
        l7: { type: 'dns', query: 'api.stripe.com.', rcode: 0, ips: ['1.2.3.4'] },
        summary: 'DNS Answer api.stripe.com. A → 1.2.3.4',
      },
    },
    {
      name: 'HTTP 503 with latency',
      flow: httpFlow({
        timeMs: T,
        source: checkout,
        destination: frontend,
        code: 503,
        latencyMs: 120.5,
        method: 'POST',
        url: 'http://checkout.shop.svc.cluster.local:8080/api/pay',
      }),
      expected: {
        l4: { protocol: 'TCP', sourcePort: 8080 },
        l7: {
          type: 'http',
          method: 'POST',
          url: 'http://checkout.shop.svc.cluster.local:8080/api/pay',
          code: 503,
          latencyMs: 120.5,
        },
        summary: 'HTTP/1.1 503 121ms (POST http://checkout.shop.svc.cluster.local:8080/api/pay)',
      },
    },
    {
      name: 'TCP SYN+ACK',
      flow: tcpFlow({ timeMs: T, source: checkout, destination: postgres, flags: { SYN: true, ACK: true } }),
      expected: {
        l4: { protocol: 'TCP', destinationPort: 5432, flags: ['SYN', 'ACK'] },
        l7: null,
        summary: 'TCP Flags: SYN, ACK',
      },
    },
    {
      name: 'policy drop from another namespace',
      flow: policyDropFlow({ timeMs: T, source: reporter, destination: postgres }),
      expected: {
        verdict: 'DROPPED',
        dropReason: 'POLICY_DENIED',
        direction: 'ingress',
        source: { namespace: 'billing', workload: 'reporter' },
        destination: { namespace: 'shop', workload: 'postgres' },
        l4: { protocol: 'TCP', flags: ['SYN'] },
      },
    },
    {
      name: 'ICMP echo to the world',
      flow: icmpFlow({ timeMs: T, source: frontend, destination: WORLD_ENDPOINT, destinationIp: '1.1.1.1' }),
      expected: {
        l4: { protocol: 'ICMPv4', sourcePort: null, destinationPort: null, flags: [] },
        summary: 'ICMPv4 EchoRequest',
        destination: {
          namespace: '',
          pod: '',
          workload: '',
          labels: ['reserved:world'],
          ip: '1.1.1.1',
          identity: 2,
        },
      },
    },
    {
      name: 'plain UDP',
      flow: udpFlow({ timeMs: T, source: checkout, destination: frontend, port: 8125 }),
      expected: { l4: { protocol: 'UDP', destinationPort: 8125, flags: [] }, summary: 'UDP', l7: null },
    },
  ])('maps $name', ({ flow, expected }) => {
    const view = toFlowView(wire(flow));
    expect(FlowViewSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject(expected);
    expect(view.time).toBe('2025-05-06T10:20:30.123Z');
    expect(view.node).toBe('kind-worker');
  });

  it('keeps the labels, IPs and identity of both ends', () => {
    const view = toFlowView(wire(tcpFlow({ timeMs: T, source: checkout, destination: postgres })));
    expect(view.source.labels).toContain('k8s:app=checkout');
    expect(view.source.labels).toContain('k8s:io.kubernetes.pod.namespace=shop');
    expect(view.source.ip).toMatch(/^10\.0\./);
    expect(view.source.identity).toBeGreaterThan(0);
  });

  it('falls back to the envelope node and time and to null is_reply', () => {
    const flow = FlowSchema.parse({ verdict: 'FORWARDED' });
    const view = toFlowView(flow, { nodeName: 'node-a', time: { seconds: 1_700_000_000, nanos: 5_000_000 } });
    expect(view).toMatchObject({ node: 'node-a', time: '2023-11-14T22:13:20.005Z', isReply: null, l4: null });
  });
});

describe('enum names', () => {
  it.each([
    ['FORWARDED', 'FORWARDED'],
    ['9', 'VERDICT_9'],
  ])('verdict %s → %s', (v, out) => expect(verdictName(v)).toBe(out));

  it.each([
    ['POLICY_DENIED', 0, 'POLICY_DENIED'],
    ['DROP_REASON_UNKNOWN', 133, 'DROP_REASON_133'],
    ['DROP_REASON_UNKNOWN', 0, null],
    ['206', 206, 'DROP_REASON_206'],
  ] as const)('drop reason %s/%i → %s', (desc, legacy, out) =>
    expect(dropReasonName(desc, legacy)).toBe(out),
  );
});

describe('team filters', () => {
  it.each([
    [{ namespace: 'shop' }, [{ source_pod: ['shop/'] }, { destination_pod: ['shop/'] }]],
    [
      { namespace: 'shop', verdict: 'DROPPED', protocol: 'tcp' },
      [
        { source_pod: ['shop/'], verdict: ['DROPPED'], protocol: ['tcp'] },
        { destination_pod: ['shop/'], verdict: ['DROPPED'], protocol: ['tcp'] },
      ],
    ],
  ])('%j → two OR-ed filters', (q, filters) => expect(buildTeamFilters(q)).toEqual(filters));

  it.each([
    ['shop', true],
    ['billing', true],
    ['analytics', false],
  ])('a billing → shop flow is visible to %s: %s', (ns, visible) => {
    const view = toFlowView(wire(policyDropFlow({ timeMs: T, source: reporter, destination: postgres })));
    expect(isTeamFlow(view, ns)).toBe(visible);
  });

  it.each([
    [{ protocol: 'dns' }, true],
    [{ protocol: 'udp' }, true],
    [{ protocol: 'tcp' }, false],
    [{ protocol: 'http' }, false],
    [{ verdict: 'FORWARDED' }, true],
    [{ verdict: 'DROPPED' }, false],
  ])('a DNS query matches %j: %s', (q, ok) => {
    const view = toFlowView(wire(dnsRequestFlow({ timeMs: T, source: checkout, query: 'a.b.' })));
    expect(matchesQuery(view, q)).toBe(ok);
  });

  it('icmp matches ICMPv4 flows', () => {
    const view = toFlowView(wire(icmpFlow({ timeMs: T, source: frontend, destination: WORLD_ENDPOINT })));
    expect(matchesQuery(view, { protocol: 'icmp' })).toBe(true);
  });
});

/** Pure mapping: Hubble Relay messages → the panel's FlowView, plus the team filters we send to Relay. */
import type {
  FlowFilter,
  HubbleEndpoint,
  HubbleFlow,
  LostEvent,
  NodeStatusEvent,
  Timestamp,
} from '../../clients/hubble/schemas';
import type { FlowStreamLost, FlowStreamNodes, FlowView } from '../../../contract/insights';
import { flowPolicyOf } from './drop-explain';
import { buildRelayFilters, type RelayFilters, type TeamFilterInput } from './flows.filters';

/** What one team asks of its flows: the Relay filters (flows.filters.ts) and how kept flows are decorated. */
export interface TeamFlowQuery extends TeamFilterInput {
  /** Adds component names, policies and drop explanations for the team; applied to every flow that is kept. */
  decorate?: (view: FlowView) => FlowView;
  /** Key of what decorate depends on besides the namespace (e.g. the locale), for sharing live streams. */
  decorateKey?: string;
}

const relayFilterCache = new WeakMap<TeamFlowQuery, RelayFilters>();

/** The Relay whitelist + blacklist of a query, built once per query object. */
export function relayFiltersOf(q: TeamFlowQuery): RelayFilters {
  let f = relayFilterCache.get(q);
  if (!f) {
    f = buildRelayFilters(q);
    relayFilterCache.set(q, f);
  }
  return f;
}

/**
 * Whitelist for one namespace: Relay has no namespace field, so (like `hubble observe -n shop`) two filters
 * OR'ed: {source_pod:["shop/"]} and {destination_pod:["shop/"]}; verdict/protocol and the tags AND inside each.
 */
export function buildTeamFilters(q: TeamFlowQuery): FlowFilter[] {
  return relayFiltersOf(q).whitelist;
}

/** Milliseconds since the epoch of a protobuf Timestamp; 0 when absent. */
export function timestampMs(t: Timestamp | null | undefined): number {
  return t ? t.seconds * 1000 + Math.floor(t.nanos / 1_000_000) : 0;
}

export function timestampIso(t: Timestamp | null | undefined): string {
  return t ? new Date(timestampMs(t)).toISOString() : '';
}

const numeric = /^\d+$/;

/** "FORWARDED"; an enum number unknown to our .proto becomes e.g. "VERDICT_9". */
export function verdictName(v: string): string {
  return numeric.test(v) ? `VERDICT_${v}` : v;
}

/** drop_reason_desc name, else the deprecated numeric drop_reason, else null, e.g. "POLICY_DENIED". */
export function dropReasonName(desc: string, legacy: number): string | null {
  if (desc && desc !== 'DROP_REASON_UNKNOWN') return numeric.test(desc) ? `DROP_REASON_${desc}` : desc;
  if (legacy > 0) return `DROP_REASON_${legacy}`;
  return null;
}

export function directionOf(d: string): FlowView['direction'] {
  if (d === 'INGRESS') return 'ingress';
  if (d === 'EGRESS') return 'egress';
  return 'unknown';
}

const TCP_FLAG_ORDER = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR', 'NS'] as const;

/** The flags a TCP header has set, in Hubble's order, e.g. ["SYN", "ACK"]. */
const tcpFlags = (f: Record<(typeof TCP_FLAG_ORDER)[number], boolean> | null): string[] =>
  f ? TCP_FLAG_ORDER.filter((k) => f[k]) : [];

/** A port-carrying L4 header (TCP, UDP, SCTP) as the FlowView's l4. */
const withPorts = (
  protocol: string,
  p: { source_port: number; destination_port: number },
  flags: string[] = [],
): FlowView['l4'] => ({ protocol, sourcePort: p.source_port, destinationPort: p.destination_port, flags });

/** e.g. { protocol: "TCP", sourcePort: 51234, destinationPort: 5432, flags: ["SYN"] }. */
export function l4Of(flow: HubbleFlow): FlowView['l4'] {
  const l4 = flow.l4;
  if (!l4) return null;
  if (l4.TCP) return withPorts('TCP', l4.TCP, tcpFlags(l4.TCP.flags));
  if (l4.UDP) return withPorts('UDP', l4.UDP);
  if (l4.SCTP) return withPorts('SCTP', l4.SCTP);
  if (l4.ICMPv4) return { protocol: 'ICMPv4', sourcePort: null, destinationPort: null, flags: [] };
  if (l4.ICMPv6) return { protocol: 'ICMPv6', sourcePort: null, destinationPort: null, flags: [] };
  return null;
}

export function l7Of(flow: HubbleFlow): FlowView['l7'] {
  const l7 = flow.l7;
  if (!l7) return null;
  if (l7.dns) return { type: 'dns', query: l7.dns.query, rcode: l7.dns.rcode, ips: l7.dns.ips };
  if (l7.http)
    return {
      type: 'http',
      method: l7.http.method,
      url: l7.http.url,
      code: l7.http.code,
      latencyMs: l7.latency_ns > 0 ? Math.round(l7.latency_ns / 1000) / 1000 : null,
    };
  if (l7.kafka) return { type: 'other', summary: `Kafka ${l7.kafka.api_key} ${l7.kafka.topic}`.trim() };
  return null;
}

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
};
const ICMPV4: Record<number, string> = {
  0: 'EchoReply',
  3: 'DestinationUnreachable',
  5: 'Redirect',
  8: 'EchoRequest',
  11: 'TimeExceeded',
};
const ICMPV6: Record<number, string> = {
  1: 'DestinationUnreachable',
  2: 'PacketTooBig',
  3: 'TimeExceeded',
  128: 'EchoRequest',
  129: 'EchoReply',
  135: 'NeighborSolicitation',
  136: 'NeighborAdvertisement',
};

/** One line like Hubble's, e.g. "DNS Answer api.stripe.com. A → 93.184.216.34" or "HTTP/1.1 503 120ms (POST …)". */
export function summaryOf(flow: HubbleFlow): string {
  const l7 = flow.l7;
  if (l7?.dns) {
    const d = l7.dns;
    const qtype = d.qtypes.join(',');
    const q = `${d.query}${qtype ? ` ${qtype}` : ''}`;
    if (l7.type === 'RESPONSE') {
      if (d.rcode !== 0) return `DNS Answer RCode: ${RCODES[d.rcode] ?? d.rcode} ${q}`;
      return `DNS Answer ${q}${d.ips.length ? ` → ${d.ips.join(', ')}` : ''}`;
    }
    return `DNS Query ${q}`;
  }
  if (l7?.http) {
    const h = l7.http;
    const proto = h.protocol || 'HTTP';
    if (l7.type === 'RESPONSE') {
      const ms = l7.latency_ns > 0 ? ` ${Math.round(l7.latency_ns / 1_000_000)}ms` : '';
      return `${proto} ${h.code}${ms} (${h.method} ${h.url})`;
    }
    return `${proto} ${h.method} ${h.url}`;
  }
  if (l7?.kafka) return `Kafka ${l7.kafka.api_key} ${l7.kafka.topic}`.trim();
  const l4 = flow.l4;
  if (l4?.TCP) {
    const flags = tcpFlags(l4.TCP.flags);
    return flags.length ? `TCP Flags: ${flags.join(', ')}` : 'TCP';
  }
  if (l4?.ICMPv4)
    return `ICMPv4 ${ICMPV4[l4.ICMPv4.type] ?? `type ${l4.ICMPv4.type} code ${l4.ICMPv4.code}`}`;
  if (l4?.ICMPv6)
    return `ICMPv6 ${ICMPV6[l4.ICMPv6.type] ?? `type ${l4.ICMPv6.type} code ${l4.ICMPv6.code}`}`;
  if (l4?.UDP) return 'UDP';
  if (l4?.SCTP) return 'SCTP';
  return flow.Summary;
}

function endpointOf(
  ep: HubbleEndpoint | null,
  ip: string,
  names: string[],
  service: { name: string; namespace: string } | null,
): FlowView['source'] {
  return {
    namespace: ep?.namespace ?? '',
    pod: ep?.pod_name ?? '',
    workload: ep?.workloads[0]?.name ?? '',
    labels: ep?.labels ?? [],
    ip,
    names,
    identity: ep?.identity ?? 0,
    component: null,
    workloadKind: ep?.workloads[0]?.kind ?? '',
    service: service?.name ? `${service.namespace ? `${service.namespace}/` : ''}${service.name}` : '',
  };
}

/** A Relay lost-events notice as the stream's `lost` payload, e.g. { count: 12, source: "HUBBLE_RING_BUFFER", node: "n1" }. */
export const lostOf = (e: LostEvent, node: string): FlowStreamLost => ({
  count: e.num_events_lost,
  source: e.source,
  node,
});

/** A Relay node status change as the stream's `nodes` payload. */
export const nodeStatusOf = (e: NodeStatusEvent): FlowStreamNodes => ({
  state: e.state_change,
  nodes: e.node_names,
  message: e.message,
});

/** Flow → FlowView; `nodeName`/`time` of the enclosing GetFlowsResponse fill gaps. */
export function toFlowView(
  flow: HubbleFlow,
  envelope: { nodeName?: string; time?: Timestamp | null } = {},
): FlowView {
  return {
    time: timestampIso(flow.time ?? envelope.time),
    node: flow.node_name || envelope.nodeName || '',
    verdict: verdictName(flow.verdict),
    dropReason: dropReasonName(flow.drop_reason_desc, flow.drop_reason),
    direction: directionOf(flow.traffic_direction),
    isReply: flow.is_reply ? flow.is_reply.value : null,
    source: endpointOf(flow.source, flow.IP?.source ?? '', flow.source_names, flow.source_service),
    destination: endpointOf(
      flow.destination,
      flow.IP?.destination ?? '',
      flow.destination_names,
      flow.destination_service,
    ),
    l4: l4Of(flow),
    l7: l7Of(flow),
    summary: summaryOf(flow),
    uuid: flow.uuid,
    traceObservationPoint:
      flow.trace_observation_point === 'UNKNOWN_POINT' ? '' : flow.trace_observation_point,
    type: flow.Type,
    policy: flowPolicyOf(flow),
    explanation: null,
  };
}

/** Defence in depth: a flow belongs to the team only if one end is in its namespace. */
export function isTeamFlow(view: Pick<FlowView, 'source' | 'destination'>, namespace: string): boolean {
  return view.source.namespace === namespace || view.destination.namespace === namespace;
}

/** Re-checks the verdict/protocol the client asked for (a relay that ignored filters must not change the answer). */
export function matchesQuery(view: FlowView, q: Pick<TeamFlowQuery, 'verdict' | 'protocol'>): boolean {
  if (q.verdict && view.verdict !== q.verdict) return false;
  if (!q.protocol) return true;
  switch (q.protocol) {
    case 'dns':
      return view.l7?.type === 'dns';
    case 'http':
      return view.l7?.type === 'http';
    case 'icmp':
      return view.l4?.protocol === 'ICMPv4' || view.l4?.protocol === 'ICMPv6';
    default:
      return view.l4?.protocol.toLowerCase() === q.protocol;
  }
}

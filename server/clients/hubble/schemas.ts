/**
 * zod schemas of what the relay sends, in @grpc/proto-loader's shape (keepCase, enums as names, longs as
 * numbers, defaults filled). Lenient on absent fields so fixtures can be partial; an unknown enum number
 * (newer relay) arrives as a number and is kept as its decimal string.
 */
import { z } from 'zod';

const str = z.string().default('');
const num = z.number().default(0);
const bool = z.boolean().default(false);
const strs = z.array(z.string()).default([]);
/** Enum value name, e.g. "FORWARDED"; a number when the relay is newer than our .proto. */
const enumName = (zero: string) =>
  z
    .union([z.string(), z.number()])
    .default(zero)
    .transform((v) => String(v));
const message = <T extends z.ZodType>(s: T) => s.nullable().default(null);
/** google.protobuf.(U)Int32Value and BoolValue: wrapped so that "unset" differs from 0 and false. */
const numberValue = message(z.object({ value: num }));
const boolValue = message(z.object({ value: bool }));

export const TimestampSchema = z.object({ seconds: num, nanos: num });
export type Timestamp = z.infer<typeof TimestampSchema>;

export const WorkloadSchema = z.object({ name: str, kind: str });

export const EndpointSchema = z.object({
  ID: num,
  identity: num,
  namespace: str,
  labels: strs,
  pod_name: str,
  workloads: z.array(WorkloadSchema).default([]),
  cluster_name: str,
});
export type HubbleEndpoint = z.infer<typeof EndpointSchema>;

const PortsSchema = z.object({ source_port: num, destination_port: num });
export const TcpFlagsSchema = z.object({
  FIN: bool,
  SYN: bool,
  RST: bool,
  PSH: bool,
  ACK: bool,
  URG: bool,
  ECE: bool,
  CWR: bool,
  NS: bool,
});
const IcmpSchema = z.object({ type: num, code: num });

export const Layer4Schema = z.object({
  TCP: message(PortsSchema.extend({ flags: message(TcpFlagsSchema) })).optional(),
  UDP: message(PortsSchema).optional(),
  ICMPv4: message(IcmpSchema).optional(),
  ICMPv6: message(IcmpSchema).optional(),
  SCTP: message(PortsSchema).optional(),
});

export const Layer7Schema = z.object({
  type: enumName('UNKNOWN_L7_TYPE'),
  latency_ns: num,
  dns: message(
    z.object({
      query: str,
      ips: strs,
      ttl: num,
      cnames: strs,
      rcode: num,
      qtypes: strs,
      rrtypes: strs,
    }),
  ).optional(),
  http: message(
    z.object({ code: num, method: str, url: str, protocol: str, headers: z.array(z.unknown()).default([]) }),
  ).optional(),
  kafka: message(z.object({ api_key: str, topic: str, error_code: num })).optional(),
});

/** A policy named by a flow (`*_allowed_by` / `*_denied_by`); `kind` is "" before Cilium 1.17. */
export const PolicySchema = z.object({ name: str, namespace: str, labels: strs, kind: str });
export type HubblePolicy = z.infer<typeof PolicySchema>;
const policies = z.array(PolicySchema).default([]);

const ServiceSchema = z.object({ name: str, namespace: str });

export const FlowSchema = z.object({
  time: message(TimestampSchema),
  verdict: enumName('VERDICT_UNKNOWN'),
  drop_reason: num,
  IP: message(
    z.object({ source: str, destination: str, ipVersion: enumName('IP_NOT_USED'), encrypted: bool }),
  ),
  l4: message(Layer4Schema),
  source: message(EndpointSchema),
  destination: message(EndpointSchema),
  Type: enumName('UNKNOWN_TYPE'),
  node_name: str,
  source_names: strs,
  destination_names: strs,
  l7: message(Layer7Schema),
  traffic_direction: enumName('TRAFFIC_DIRECTION_UNKNOWN'),
  drop_reason_desc: enumName('DROP_REASON_UNKNOWN'),
  is_reply: boolValue,
  uuid: str,
  Summary: str,
  trace_observation_point: enumName('UNKNOWN_POINT'),
  source_service: message(ServiceSchema),
  destination_service: message(ServiceSchema),
  egress_allowed_by: policies,
  ingress_allowed_by: policies,
  egress_denied_by: policies,
  ingress_denied_by: policies,
});
export type HubbleFlow = z.infer<typeof FlowSchema>;

export const NodeStatusEventSchema = z.object({
  state_change: enumName('UNKNOWN_NODE_STATE'),
  node_names: strs,
  message: str,
});
export type NodeStatusEvent = z.infer<typeof NodeStatusEventSchema>;

export const LostEventSchema = z.object({
  source: enumName('UNKNOWN_LOST_EVENT_SOURCE'),
  num_events_lost: num,
  cpu: numberValue,
});
export type LostEvent = z.infer<typeof LostEventSchema>;

export const GetFlowsResponseSchema = z.object({
  flow: message(FlowSchema).optional(),
  node_status: message(NodeStatusEventSchema).optional(),
  lost_events: message(LostEventSchema).optional(),
  node_name: str,
  time: message(TimestampSchema),
});
export type GetFlowsResponse = z.infer<typeof GetFlowsResponseSchema>;

/** A Hubble flow buffer's counters, as the relay reports them for itself and for each node. */
const flowBufferStats = { num_flows: num, max_flows: num, seen_flows: num, uptime_ns: num };

export const ServerStatusResponseSchema = z.object({
  ...flowBufferStats,
  num_connected_nodes: numberValue,
  num_unavailable_nodes: numberValue,
  unavailable_nodes: strs,
  version: str,
  flows_rate: num,
});
export type ServerStatusResponse = z.infer<typeof ServerStatusResponseSchema>;

export const NodeSchema = z.object({
  name: str,
  version: str,
  address: str,
  state: enumName('UNKNOWN_NODE_STATE'),
  tls: message(z.object({ enabled: bool, server_name: str })),
  ...flowBufferStats,
});
export type HubbleNode = z.infer<typeof NodeSchema>;

export const GetNodesResponseSchema = z.object({ nodes: z.array(NodeSchema).default([]) });
export type GetNodesResponse = z.infer<typeof GetNodesResponseSchema>;

/** The FlowFilter fields we send (a subset of flow.FlowFilter in flow.proto); all repeated. */
export interface FlowFilter {
  source_pod?: string[];
  destination_pod?: string[];
  source_ip?: string[];
  destination_ip?: string[];
  source_label?: string[];
  destination_label?: string[];
  source_fqdn?: string[];
  destination_fqdn?: string[];
  source_port?: string[];
  destination_port?: string[];
  /** Since Cilium 1.13. */
  source_workload?: { name: string; kind: string }[];
  destination_workload?: { name: string; kind: string }[];
  http_status_code?: string[];
  verdict?: string[];
  protocol?: string[];
  node_name?: string[];
  traffic_direction?: string[];
}

export interface GetFlowsRequest {
  /** Last N flows (or first N with `first`); 0 with follow = only new flows. */
  number?: number;
  follow?: boolean;
  first?: boolean;
  whitelist?: FlowFilter[];
  blacklist?: FlowFilter[];
  since?: Timestamp;
  until?: Timestamp;
}

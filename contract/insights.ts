/**
 * Team-scoped network insight: summary, relay status, flows and the live flow stream's events. Every route
 * takes the common context query and answers errors with the common error body. The panel imports types only.
 */
import { z } from 'zod';
import { ERROR_CODES } from './common';
import { FLOW_PROTOCOLS, FLOW_VERDICTS } from './flow-filters';

export const DiagnosisSchema = z.object({
  /** Stable code, e.g. "HUBBLE_METRICS_DISABLED", "NO_CONTEXT_LABELS", "NOT_SCRAPED", "SCRAPE_TOO_SLOW". */
  code: z.string(),
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  /** Commands or steps that fix it. */
  fix: z.array(z.string()),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

/** [unix seconds, value] points of a short series for a sparkline. */
export const SeriesSchema = z.array(z.tuple([z.number(), z.number()]));

export const SUMMARY_CARD_IDS = [
  'flows',
  'dropRatio',
  'dnsErrorRatio',
  'dnsMissing',
  'tcpResets',
  'http5xxRatio',
  'httpP95',
  'lostEvents',
] as const;

export const SummaryCardSchema = z.object({
  id: z.enum(SUMMARY_CARD_IDS),
  /** null = no data (the diagnoses say why). */
  value: z.number().nullable(),
  unit: z.enum(['per_second', 'ratio', 'seconds']),
  series: SeriesSchema,
  /** Per-second rates by a label, whatever the card's unit, e.g. flows/s by verdict: [{ label: "FORWARDED", value: 12.5 }]. */
  breakdown: z.array(z.object({ label: z.string(), value: z.number() })),
  /** Whether the metric behind the card is enabled in hubble-metrics. */
  available: z.boolean(),
});
export type SummaryCard = z.infer<typeof SummaryCardSchema>;

export const SummarySchema = z.object({
  /** "namespace" when Hubble metrics carry namespace context labels, else "cluster". */
  scope: z.enum(['namespace', 'cluster']),
  namespace: z.string(),
  window: z.string(),
  generatedAt: z.string(),
  prometheus: z.object({ url: z.string().nullable(), reachable: z.boolean() }),
  cards: z.array(SummaryCardSchema),
  topDropReasons: z.array(z.object({ reason: z.string(), rate: z.number() })),
  diagnoses: z.array(DiagnosisSchema),
});
export type Summary = z.infer<typeof SummarySchema>;

export const SummaryQuerySchema = z.object({
  window: z
    .string()
    .regex(/^[1-9][0-9]{0,2}[mh]$/, 'a duration like 5m or 1h')
    .default('5m'),
});

export const RelayNodeSchema = z.object({
  name: z.string(),
  state: z.string(),
  version: z.string(),
  address: z.string(),
  tls: z.boolean(),
});

export const RelayStatusSchema = z.object({
  /** host:port the backend dialled, or null when no relay was found. */
  address: z.string().nullable(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  connectedNodes: z.number().int(),
  unavailableNodes: z.array(z.string()),
  numFlows: z.number(),
  maxFlows: z.number(),
  flowsRate: z.number().nullable(),
  nodes: z.array(RelayNodeSchema),
  diagnoses: z.array(DiagnosisSchema),
});
export type RelayStatus = z.infer<typeof RelayStatusSchema>;

export const FlowEndpointSchema = z.object({
  namespace: z.string(),
  pod: z.string(),
  workload: z.string(),
  labels: z.array(z.string()),
  ip: z.string(),
  /** DNS names of the peer, e.g. ["api.example.com"]. */
  names: z.array(z.string()),
  identity: z.number().int(),
});

export const FlowViewSchema = z.object({
  time: z.string(),
  node: z.string(),
  verdict: z.string(),
  dropReason: z.string().nullable(),
  direction: z.enum(['ingress', 'egress', 'unknown']),
  isReply: z.boolean().nullable(),
  source: FlowEndpointSchema,
  destination: FlowEndpointSchema,
  l4: z
    .object({
      protocol: z.string(),
      sourcePort: z.number().int().nullable(),
      destinationPort: z.number().int().nullable(),
      flags: z.array(z.string()),
    })
    .nullable(),
  l7: z
    .discriminatedUnion('type', [
      z.object({
        type: z.literal('dns'),
        query: z.string(),
        rcode: z.number().int(),
        ips: z.array(z.string()),
      }),
      z.object({
        type: z.literal('http'),
        method: z.string(),
        url: z.string(),
        code: z.number().int(),
        latencyMs: z.number().nullable(),
      }),
      z.object({ type: z.literal('other'), summary: z.string() }),
    ])
    .nullable(),
  summary: z.string(),
});
export type FlowView = z.infer<typeof FlowViewSchema>;

export { FLOW_VERDICTS, FLOW_PROTOCOLS } from './flow-filters';

export const FlowsQuerySchema = z.object({
  verdict: z.enum(FLOW_VERDICTS).optional(),
  /** L4/L7 protocol filter as Hubble understands it, e.g. "tcp", "udp", "dns", "http", "icmp". */
  protocol: z.enum(FLOW_PROTOCOLS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  follow: z.enum(['true', 'false']).default('false'),
});

export const FlowsSchema = z.object({
  namespace: z.string(),
  flows: z.array(FlowViewSchema),
  /** Events the relay reported lost while answering. */
  lostEvents: z.number(),
  /** Nodes the relay could not reach while answering. */
  unavailableNodes: z.array(z.string()),
});
export type Flows = z.infer<typeof FlowsSchema>;

/** Event names of GET /flows?follow=true (Server-Sent Events: `event: <name>`, then one JSON `data:` line). */
export const FLOW_STREAM_EVENTS = ['flow', 'lost', 'dropped', 'nodes', 'error', 'end'] as const;
export type FlowStreamEventName = (typeof FLOW_STREAM_EVENTS)[number];

/** `lost`: Relay or an agent lost events, e.g. { count: 12, source: "HUBBLE_RING_BUFFER", node: "kind-worker" }. */
export const FlowStreamLostSchema = z.object({ count: z.number(), source: z.string(), node: z.string() });
export type FlowStreamLost = z.infer<typeof FlowStreamLostSchema>;

/** `dropped`: events this backend discarded for a slow client since its previous write, e.g. { count: 340 }. */
export const FlowStreamDroppedSchema = z.object({ count: z.number().int() });
export type FlowStreamDropped = z.infer<typeof FlowStreamDroppedSchema>;

/** `nodes`: a node status change, e.g. { state: "NODE_UNAVAILABLE", nodes: ["kind-worker2"], message: "" }. */
export const FlowStreamNodesSchema = z.object({
  state: z.string(),
  nodes: z.array(z.string()),
  message: z.string(),
});
export type FlowStreamNodes = z.infer<typeof FlowStreamNodesSchema>;

/** `error`: the stream failed and ends, e.g. { code: "UPSTREAM_ERROR", message: "relay: 14 UNAVAILABLE: …" }. */
export const FlowStreamErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type FlowStreamError = z.infer<typeof FlowStreamErrorSchema>;

/** `end`: Relay closed the stream, e.g. { reason: "relay closed the stream" }. */
export const FlowStreamEndSchema = z.object({ reason: z.string() });
export type FlowStreamEnd = z.infer<typeof FlowStreamEndSchema>;

/** The `data` schema of each event; `flow` carries one FlowView. */
export const FlowStreamPayloadSchemas = {
  flow: FlowViewSchema,
  lost: FlowStreamLostSchema,
  dropped: FlowStreamDroppedSchema,
  nodes: FlowStreamNodesSchema,
  error: FlowStreamErrorSchema,
  end: FlowStreamEndSchema,
} as const satisfies Record<FlowStreamEventName, z.ZodType>;

/** The payload of one event, e.g. `FlowStreamPayload<'lost'>`. */
export type FlowStreamPayload<E extends FlowStreamEventName = FlowStreamEventName> = z.infer<
  (typeof FlowStreamPayloadSchemas)[E]
>;

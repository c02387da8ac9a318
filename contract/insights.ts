/**
 * Team-scoped network insight: summary, relay status, flows and the live flow stream's events. Every route
 * takes the common context query and answers errors with the common error body. The panel imports types only.
 */
import { z } from 'zod';
import { ERROR_CODES, LOCALES } from './common';
import { FLOW_PROTOCOLS, FLOW_VERDICTS } from './flow-filters';
import { MAX_TAGS, parseHide, parseTags } from './flow-tags';

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
  /** `url`: null when none was found, and in replies to anyone but enterprise admins; `found` says which. */
  prometheus: z.object({ url: z.string().nullable(), found: z.boolean(), reachable: z.boolean() }),
  cards: z.array(SummaryCardSchema),
  topDropReasons: z.array(z.object({ reason: z.string(), rate: z.number() })),
  diagnoses: z.array(DiagnosisSchema),
});
export type Summary = z.infer<typeof SummarySchema>;

/** Summary windows from 1m to 24h: each summary reads this much history from Prometheus. */
export const SUMMARY_WINDOW_MAX_MINUTES = 24 * 60;

export const SummaryQuerySchema = z.object({
  window: z
    .string()
    .regex(/^[1-9][0-9]{0,3}[mh]$/, 'a duration like 5m or 1h')
    .refine(
      (w) => Number(w.slice(0, -1)) * (w.endsWith('h') ? 60 : 1) <= SUMMARY_WINDOW_MAX_MINUTES,
      'at most 24h (1440m)',
    )
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
  /** host:port the backend dialled; null when no relay was found, and in replies to anyone but enterprise admins. */
  address: z.string().nullable(),
  /** Whether a Relay was found (configured or in the cluster). */
  found: z.boolean(),
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

/** Hubble's traffic direction of a flow, lower-cased; "unknown" when Hubble does not say. */
export const FlowDirectionSchema = z.enum(['ingress', 'egress', 'unknown']);
export type FlowDirection = z.infer<typeof FlowDirectionSchema>;

/** A Rainbond component of the team's namespace, e.g. { alias: "gr1a2b3c", name: "订单服务", appId: 12, appName: "商城" }. */
export const FlowComponentSchema = z.object({
  /** service_alias, the pods' `k8s:service_alias` label. */
  alias: z.string(),
  /** The component's display name (service_cname). */
  name: z.string(),
  /** The console's app (group) id, for the console link. */
  appId: z.number().int(),
  appName: z.string(),
});
export type FlowComponent = z.infer<typeof FlowComponentSchema>;

export const FlowEndpointSchema = z.object({
  namespace: z.string(),
  pod: z.string(),
  workload: z.string(),
  labels: z.array(z.string()),
  ip: z.string(),
  /** DNS names of the peer, e.g. ["api.example.com"]. */
  names: z.array(z.string()),
  identity: z.number().int(),
  /** Set only for a component of the team's own namespace; null otherwise (other namespaces are never named). */
  component: FlowComponentSchema.nullable(),
  /** Workload kind when Hubble knows it, e.g. "Deployment"; "" otherwise. */
  workloadKind: z.string(),
  /** The Kubernetes Service the flow addressed on this side, e.g. "shop/checkout"; "" when none. */
  service: z.string(),
});
export type FlowEndpoint = z.infer<typeof FlowEndpointSchema>;

/** A network policy as a flow or the cluster names it, e.g. { kind: "CiliumNetworkPolicy", name: "db-ingress", … }. */
export const PolicyRefSchema = z.object({
  /** "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy" | "NetworkPolicy" (or what the flow says). */
  kind: z.string(),
  name: z.string(),
  /** null for cluster-wide policies. */
  namespace: z.string().nullable(),
  /** Whether it has ingress / egress rules; null when the policy is not in the cluster view. */
  ingress: z.boolean().nullable(),
  egress: z.boolean().nullable(),
});
export type PolicyRef = z.infer<typeof PolicyRefSchema>;

/**
 * The policy behind a flow's verdict: `flow` = named by the flow itself (`*_denied_by` / `*_allowed_by`, Cilium ≥ 1.15/1.16),
 * `likely` = the policies that select the deciding pod in that direction (no attribution in the flow).
 */
export const FlowPolicySchema = z.object({
  effect: z.enum(['deny', 'allow']),
  attribution: z.enum(['flow', 'likely']),
  direction: FlowDirectionSchema,
  policies: z.array(PolicyRefSchema),
});
export type FlowPolicy = z.infer<typeof FlowPolicySchema>;

/** "Why was this dropped?" for a DROPPED flow or an AUDIT one (which would have been dropped). */
export const DropExplanationSchema = z.object({
  /** DropReason name, e.g. "POLICY_DENIED"; AUDIT flows: the policy verdict they would get. */
  reason: z.string(),
  /** The reason in words, in the request's language. */
  text: z.string(),
  /** true for AUDIT: policy audit mode let it through; enforcing would drop it. */
  wouldDrop: z.boolean(),
  direction: FlowDirectionSchema,
  /** The side whose policy decided: ingress → destination, egress → source; null when unknown. */
  enforcedAt: z.enum(['source', 'destination']).nullable(),
  /** Whether the deciding side is in the team's namespace (only then are its policies listed). */
  enforcedInTeam: z.boolean(),
  /** Copyable commands, only ever naming the team's namespace, e.g. "kubectl -n shop get cnp db-ingress -o yaml". */
  nextSteps: z.array(z.string()),
});
export type DropExplanation = z.infer<typeof DropExplanationSchema>;

export const FlowViewSchema = z.object({
  time: z.string(),
  node: z.string(),
  verdict: z.string(),
  dropReason: z.string().nullable(),
  direction: FlowDirectionSchema,
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
  /** Flow id on Cilium ≥ 1.14, e.g. "a6f4…"; "" before. */
  uuid: z.string(),
  /** Hubble's observation point, e.g. "TO_ENDPOINT"; "" when not a trace event. */
  traceObservationPoint: z.string(),
  /** e.g. "L3_L4", "L7". */
  type: z.string(),
  /** Set for dropped / audited flows and for flows a policy allowed by name; null otherwise. */
  policy: FlowPolicySchema.nullable(),
  explanation: DropExplanationSchema.nullable(),
});
export type FlowView = z.infer<typeof FlowViewSchema>;

export { FLOW_VERDICTS, FLOW_PROTOCOLS } from './flow-filters';

/**
 * A query value listing items by commas, e.g. `filters=` or `hide=`, → the items `parse` read (its field `key`);
 * the parts it could not read are one INVALID_INPUT naming them after `invalid`, e.g. "invalid filter tag(s): x".
 */
function commaListQuery<K extends string, R extends Record<K, readonly unknown[]> & { invalid: string[] }>(
  maxLength: number,
  parse: (s: string) => R,
  key: K,
  invalid: string,
  maxItems?: { max: number; message: string },
) {
  return z
    .string()
    .max(maxLength)
    .transform((s, ctx) => {
      const parsed = parse(s);
      if (parsed.invalid.length)
        ctx.addIssue({ code: 'custom', message: `${invalid}: ${parsed.invalid.join(', ')}` });
      if (maxItems && parsed[key].length > maxItems.max)
        ctx.addIssue({ code: 'custom', message: maxItems.message });
      return parsed[key] as R[K];
    });
}

/** `filters=` → FlowTag[]. */
export const TagsQuerySchema = commaListQuery(2000, parseTags, 'tags', 'invalid filter tag(s)', {
  max: MAX_TAGS,
  message: `at most ${MAX_TAGS} filter tags`,
});

/** `hide=` → HideToggle[]. */
export const HideQuerySchema = commaListQuery(200, parseHide, 'hide', 'unknown hide toggle(s)');

export const FlowsQuerySchema = z.object({
  verdict: z.enum(FLOW_VERDICTS).optional(),
  /** L4/L7 protocol filter as Hubble understands it, e.g. "tcp", "udp", "dns", "http", "icmp". */
  protocol: z.enum(FLOW_PROTOCOLS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  follow: z.enum(['true', 'false']).default('false'),
  /** Filter tags, comma-separated, e.g. "from:pod=shop/checkout-,!to:port=53" (contract/flow-tags.ts). */
  filters: TagsQuerySchema.optional(),
  /** Special flows to hide, e.g. "kube-dns,host,remote-node,prometheus". */
  hide: HideQuerySchema.optional(),
  /** Language of explanations when Accept-Language cannot be set (EventSource), e.g. "en". */
  lang: z.enum(LOCALES).optional(),
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

/**
 * Why a live stream ended: `relay-closed` Relay ended it; `membership` the user left the team (or the team the
 * region); `session` the console no longer accepts the user's login; `max-duration` it reached SSE_MAX_MINUTES
 * (open a new one: the panel reconnects at once).
 */
export const FLOW_STREAM_END_REASONS = ['relay-closed', 'membership', 'session', 'max-duration'] as const;
export type FlowStreamEndReason = (typeof FLOW_STREAM_END_REASONS)[number];

/** `end`: the stream is over, e.g. { reason: "max-duration" }. */
export const FlowStreamEndSchema = z.object({ reason: z.enum(FLOW_STREAM_END_REASONS) });
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

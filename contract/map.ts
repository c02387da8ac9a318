/**
 * GET /api/v1/insights/map: the team's service map, aggregated by workload from Relay's flows of the team's
 * namespace. Nodes are named as in the flow table (components by their Rainbond name); edges run client → server.
 */
import { z } from 'zod';
import { FLOW_VERDICTS } from './flow-filters';
import { NODE_KINDS } from './endpoints';
import { FlowComponentSchema, FlowPolicySchema, HideQuerySchema } from './insights';

/** The most nodes / edges a map carries; the rest is folded (see `folded`) and `truncated` is set. */
export const MAP_MAX_NODES = 150;
export const MAP_MAX_EDGES = 600;
/** Id of the node the least busy nodes are folded into. */
export const MAP_OTHER_NODE = 'other';

export const MapQuerySchema = z.object({
  /** How far back, e.g. "5m"; at most 1h (Relay's ring buffers hold minutes anyway). */
  since: z
    .string()
    .regex(/^[1-9][0-9]{0,3}[smh]$/, 'a duration like 30s, 5m or 1h')
    .refine((s) => durationMs(s) <= 3_600_000, 'at most 1h')
    .default('5m'),
  verdict: z.enum(FLOW_VERDICTS).optional(),
  hide: HideQuerySchema.optional(),
});
export type MapQuery = z.infer<typeof MapQuerySchema>;

/** "30s" | "5m" | "1h" → milliseconds. */
export function durationMs(s: string): number {
  const n = Number(s.slice(0, -1));
  const unit = s.slice(-1);
  return n * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : 1000);
}

export const MapNodeSchema = z.object({
  /** e.g. "component:gr1a2b3c", "workload:billing/reporter", "namespace:billing", "world", "dns", "other". */
  id: z.string(),
  kind: z.enum(NODE_KINDS),
  name: z.string(),
  namespace: z.string().nullable(),
  /** Only for Rainbond components of the team's namespace. */
  component: FlowComponentSchema.optional(),
  /** The flow filter tag (without direction) that selects this node's flows, e.g. "label=k8s:service_alias=gr1a2b3c". */
  filter: z.string().nullable(),
  /** Flows in and out of the node. */
  flows: z.number().int(),
  /** Nodes folded into this one (namespace or "other" nodes after the cap). */
  folded: z.number().int(),
});
export type MapNode = z.infer<typeof MapNodeSchema>;

export const MapEdgeSchema = z.object({
  source: z.string(),
  target: z.string(),
  /** e.g. "tcp", "udp", "http", "dns", "icmp". */
  protocol: z.string(),
  /** Server port; null for ICMP or folded edges. */
  port: z.number().int().nullable(),
  flows: z.number().int(),
  forwarded: z.number().int(),
  dropped: z.number().int(),
  /** AUDIT flows: would be dropped once policy enforcement is on. */
  audited: z.number().int(),
  dropReasons: z.record(z.string(), z.number().int()),
  /** Each drop reason in words, in the request's language, e.g. { POLICY_DENIED: "No network policy allows …" }. */
  dropReasonTexts: z.record(z.string(), z.string()),
  http: z
    .object({
      '2xx': z.number().int(),
      '3xx': z.number().int(),
      '4xx': z.number().int(),
      '5xx': z.number().int(),
      p95Ms: z.number().optional(),
    })
    .optional(),
  /** For edges with drops: the deciding policy (from the flows, else the likely ones). */
  policy: FlowPolicySchema.nullable(),
  /** For edges with drops: the drops' copyable next steps (only ever naming the team's namespace), at most 8. */
  nextSteps: z.array(z.string()),
});
export type MapEdge = z.infer<typeof MapEdgeSchema>;

export const MapSchema = z.object({
  namespace: z.string(),
  /** Start of the window, RFC 3339. */
  since: z.string(),
  /** The window asked for, e.g. "5m". */
  window: z.string(),
  generatedAt: z.string(),
  /** Flows of the namespace read from Relay for this map. */
  flowsSeen: z.number().int(),
  /** Nodes or edges were folded, or Relay had more flows than the read cap. */
  truncated: z.boolean(),
  /** Whether component names could be read from the console (false: workload names only). */
  namesResolved: z.boolean(),
  nodes: z.array(MapNodeSchema),
  edges: z.array(MapEdgeSchema),
});
export type ServiceMap = z.infer<typeof MapSchema>;

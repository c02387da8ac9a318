/** GET /api/v1/status: the cluster overview (Cilium, Hubble, monitoring), the tools and the fix hints. */
import { z } from 'zod';
import { ReadyCountSchema } from './common';
import { GatewayStatusSchema, ToolSchema } from './tools';

export const CiliumStatusSchema = z.object({
  state: z.enum(['ready', 'degraded', 'missing']),
  namespace: z.string().nullable(),
  version: z.string().nullable(),
  agents: ReadyCountSchema,
  operator: ReadyCountSchema,
  /** Added field: other namespaces that also hold a Cilium agent (never a team's), e.g. ["cilium"]; CILIUM_NAMESPACE picks one. */
  candidates: z.array(z.string()).optional(),
});
export type CiliumStatus = z.infer<typeof CiliumStatusSchema>;

export const HubbleStatusSchema = z.object({
  state: z.enum(['ready', 'degraded', 'disabled', 'missing']),
  relay: ReadyCountSchema,
  ui: ReadyCountSchema,
  metrics: z.object({ enabled: z.boolean(), list: z.array(z.string()) }),
});
export type HubbleStatus = z.infer<typeof HubbleStatusSchema>;

export const MonitoringStatusSchema = z.object({
  state: z.enum(['ready', 'degraded', 'missing']),
  namespace: z.string().nullable(),
  /** Ready / all endpoints of the Prometheus Service, e.g. { ready: 1, desired: 1 }. */
  prometheus: ReadyCountSchema,
  grafana: ReadyCountSchema,
  /** Added field: other namespaces that also hold Grafana or Prometheus (never a team's); MONITORING_NAMESPACE picks one. */
  candidates: z.array(z.string()).optional(),
});
export type MonitoringStatus = z.infer<typeof MonitoringStatusSchema>;

export const HintSchema = z.object({ code: z.string(), message: z.string(), commands: z.array(z.string()) });
export type Hint = z.infer<typeof HintSchema>;

/**
 * Added field: the console's plugin entry (RBDPlugin named PLUGIN_ID) as this backend reads it. "missing": no
 * RBDPlugin (or no CRD); "disabled": label plugin.rainbond.io/enable is not "true"; "elsewhere": frontend_service
 * or backend_service is empty or names another backend; "unknown": not readable (e.g. RBAC) or not read yet.
 */
export const PluginEntrySchema = z.object({
  state: z.enum(['ok', 'missing', 'disabled', 'elsewhere', 'unknown']),
  /** RBDPlugin name = PLUGIN_ID, e.g. "cilium-observability". */
  id: z.string(),
  /** What is wrong (or right), in the request's language. */
  message: z.string(),
  /** Commands or steps that fix it, one per line; empty when state is "ok". */
  fix: z.array(z.string()),
  /** spec.frontend_service / spec.backend_service as found, null without an RBDPlugin. */
  frontendService: z.string().nullable(),
  backendService: z.string().nullable(),
  /** RFC 3339 time of the last read, null before the first. */
  checkedAt: z.string().nullable(),
});
export type PluginEntry = z.infer<typeof PluginEntrySchema>;

export const StatusSchema = z.object({
  cluster: z.object({
    cilium: CiliumStatusSchema,
    hubble: HubbleStatusSchema,
    monitoring: MonitoringStatusSchema,
    /** Added field: whether the view is stale (API server unreachable) and when it last synced. */
    view: z.object({ stale: z.boolean(), lastSyncAt: z.string().nullable() }).optional(),
  }),
  tools: z.array(ToolSchema),
  hints: z.array(HintSchema),
  plugin: PluginEntrySchema.optional(),
  /** Added field: the authenticating gateway listener and the plugin Service protected entries point to. */
  gateway: GatewayStatusSchema.optional(),
});
export type Status = z.infer<typeof StatusSchema>;

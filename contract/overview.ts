/** GET /api/v1/status: the cluster overview (Cilium, Hubble, monitoring), the tools and the fix hints. */
import { z } from 'zod';
import { ReadyCountSchema } from './common';
import { ToolSchema } from './tools';

export const CiliumStatusSchema = z.object({
  state: z.enum(['ready', 'degraded', 'missing']),
  namespace: z.string().nullable(),
  version: z.string().nullable(),
  agents: ReadyCountSchema,
  operator: ReadyCountSchema,
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
  prometheus: ReadyCountSchema,
  grafana: ReadyCountSchema,
});
export type MonitoringStatus = z.infer<typeof MonitoringStatusSchema>;

export const HintSchema = z.object({ code: z.string(), message: z.string(), commands: z.array(z.string()) });
export type Hint = z.infer<typeof HintSchema>;

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
});
export type Status = z.infer<typeof StatusSchema>;

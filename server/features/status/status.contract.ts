/**
 * The backend's public shapes (plugin-api.md). Both the server and the panel import these;
 * the panel imports types only (`import type`), so zod never lands in the bundle.
 */
import { z } from 'zod';

export const TOOL_IDS = ['hubble-ui', 'grafana', 'prometheus'] as const;
export const ToolIdSchema = z.enum(TOOL_IDS);
export type ToolId = z.infer<typeof ToolIdSchema>;

export const RISK_CODES = ['NO_AUTH', 'ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS'] as const;
export const RiskCodeSchema = z.enum(RISK_CODES);
export type RiskCode = z.infer<typeof RiskCodeSchema>;

/** Ready vs desired replicas, e.g. `{ ready: 3, desired: 3 }`. */
export const ReadyCountSchema = z.object({ ready: z.number().int(), desired: z.number().int() });
export type ReadyCount = z.infer<typeof ReadyCountSchema>;

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

export const ServiceRefSchema = z.object({ namespace: z.string(), name: z.string(), port: z.number().int() });
export type ServiceRef = z.infer<typeof ServiceRefSchema>;

export const RegistrationSchema = z.object({
  appId: z.number().int(),
  /** Rainbond app name, e.g. "Cilium Observability" (added field). */
  appName: z.string().optional(),
  componentAlias: z.string(),
  componentStatus: z.string(),
  endpoints: z.object({ healthy: z.number().int(), total: z.number().int() }),
});
export type Registration = z.infer<typeof RegistrationSchema>;

export const LinkSchema = z.object({ id: z.string(), title: z.string(), url: z.string() });
export type Link = z.infer<typeof LinkSchema>;

export const RiskSchema = z.object({ code: RiskCodeSchema, message: z.string() });
export type Risk = z.infer<typeof RiskSchema>;

export const ToolSchema = z.object({
  id: ToolIdSchema,
  title: z.string(),
  state: z.enum(['missing', 'not-ready', 'ready']),
  service: ServiceRefSchema.nullable(),
  registration: RegistrationSchema.nullable(),
  access: z.object({ external: z.boolean(), urls: z.array(z.string()) }),
  links: z.array(LinkSchema),
  risks: z.array(RiskSchema),
});
export type Tool = z.infer<typeof ToolSchema>;

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

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UNKNOWN_TOOL',
  'NOT_FOUND',
  'TOOL_NOT_FOUND',
  'NOT_REGISTERED',
  'RISKS_NOT_ACKNOWLEDGED',
  'UPSTREAM_ERROR',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Body of PUT /api/v1/tools/{id}/access. */
export const AccessInputSchema = z.strictObject({
  external: z.boolean(),
  acknowledgedRisks: z.array(RiskCodeSchema).max(10).optional(),
});
/** Body of POST /api/v1/tools/{id}/registration. */
export const RegistrationInputSchema = z.strictObject({
  appName: z.string().trim().min(1).max(64).optional(),
});

/** Query context of every /api/v1 call: Rainbond team and region names. */
export const ContextQuerySchema = z.object({
  team: z.string().regex(/^[a-z0-9]([-a-z0-9_]{0,62})$/i, 'a Rainbond team name'),
  region: z.string().regex(/^[a-z0-9]([-a-z0-9_]{0,62})$/i, 'a Rainbond region name'),
});
export type ContextQuery = z.infer<typeof ContextQuerySchema>;

/** GET /api/v1/teams (added): the teams and regions the user may pick in the Platform view. */
export const TeamsSchema = z.object({
  teams: z.array(
    z.object({
      name: z.string(),
      alias: z.string(),
      namespace: z.string(),
      regions: z.array(z.object({ name: z.string(), alias: z.string() })),
    }),
  ),
});
export type Teams = z.infer<typeof TeamsSchema>;

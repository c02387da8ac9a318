/** The three tools: ids, registration, access, deep links and exposure risks. */
import { z } from 'zod';
import { ServiceRefSchema } from './common';

export const TOOL_IDS = ['hubble-ui', 'grafana', 'prometheus'] as const;

export const ToolIdSchema = z.enum(TOOL_IDS);
export type ToolId = z.infer<typeof ToolIdSchema>;

/** Display names, e.g. "Hubble UI": the Tool's title and the registered component's service_cname. */
export const TOOL_TITLES: Record<ToolId, string> = {
  'hubble-ui': 'Hubble UI',
  grafana: 'Grafana',
  prometheus: 'Prometheus',
};

export const RISK_CODES = ['NO_AUTH', 'ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS'] as const;

export const RiskCodeSchema = z.enum(RISK_CODES);
export type RiskCode = z.infer<typeof RiskCodeSchema>;

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

/** The role TOOL_MANAGERS asks for: "enterprise-admin" (default) or "team-admin" (owner or admin of the team). */
export const TOOL_ROLES = ['enterprise-admin', 'team-admin'] as const;
export const ToolRoleSchema = z.enum(TOOL_ROLES);
export type ToolRole = z.infer<typeof ToolRoleSchema>;

export const ToolPermissionsSchema = z.object({
  /** May register, remove, open and close the tool. */
  manage: z.boolean(),
  /** Who may, e.g. "enterprise-admin"; also `details.required` of the 403. */
  required: ToolRoleSchema,
  /** Why not, in the request's language, e.g. "Only enterprise admins can …"; only when manage is false. */
  reason: z.string().optional(),
});
export type ToolPermissions = z.infer<typeof ToolPermissionsSchema>;

/** Who last opened or closed a tool's external access, e.g. `{ external: true, user: "admin", at: "2025-05-01T08:00:00.000Z", source: "console" }`. */
export const AccessChangeRecordSchema = z.object({
  external: z.boolean(),
  /** Rainbond user name (nick_name). */
  user: z.string(),
  /** RFC 3339. */
  at: z.string(),
  /** console = the component's events in Rainbond (any replica, any client); plugin = this backend's own audit. */
  source: z.enum(['console', 'plugin']),
});
export type AccessChangeRecord = z.infer<typeof AccessChangeRecordSchema>;

export const ToolSchema = z.object({
  id: ToolIdSchema,
  title: z.string(),
  state: z.enum(['missing', 'not-ready', 'ready']),
  service: ServiceRefSchema.nullable(),
  registration: RegistrationSchema.nullable(),
  access: z.object({ external: z.boolean(), urls: z.array(z.string()) }),
  links: z.array(LinkSchema),
  risks: z.array(RiskSchema),
  /** Added field: what the caller may do with the tool (absent from older backends: assume allowed). */
  permissions: ToolPermissionsSchema.optional(),
  /** Added field: the last change of the tool's external access, null when none is known. */
  lastAccessChange: AccessChangeRecordSchema.nullable().optional(),
});
export type Tool = z.infer<typeof ToolSchema>;

/** Body of PUT /api/v1/tools/{id}/access. */
export const ACCESS_MODES = ['protected', 'open'] as const;
export const AccessModeSchema = z.enum(ACCESS_MODES);
export type AccessMode = z.infer<typeof AccessModeSchema>;

export const AccessInputSchema = z.strictObject({
  external: z.boolean(),
  /** protected = behind the plugin's authenticating gateway; open = public after acknowledging the risks. */
  mode: AccessModeSchema.optional(),
  acknowledgedRisks: z.array(RiskCodeSchema).max(10).optional(),
});

/** The console's rule for app names (check_app_name): letters, digits, CJK, "_", "." and "-". */
export const APP_NAME_RULE = /^[a-zA-Z0-9_.\-\u4e00-\u9fa5]+$/;
export const APP_NAME_MAX = 128;

/** Body of POST /api/v1/tools/{id}/registration. */
export const RegistrationInputSchema = z.strictObject({
  appName: z
    .string()
    .min(1, 'the app name may not be empty')
    .max(APP_NAME_MAX, `at most ${APP_NAME_MAX} characters`)
    .regex(
      APP_NAME_RULE,
      'only letters, digits, Chinese characters, "_", "." and "-" (the console\'s app name rule)',
    )
    .optional(),
});

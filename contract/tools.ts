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

export const LinkSchema = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string(),
  /** Added field: the path on the tool, e.g. "/d/vtuWtdumz"; a protected tool is opened through a launch with it. */
  path: z.string().optional(),
});
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

/** How a tool is reached from outside: protected = behind the plugin's authenticating gateway; open = public. */
export const ACCESS_MODES = ['protected', 'open'] as const;
export const AccessModeSchema = z.enum(ACCESS_MODES);
export type AccessMode = z.infer<typeof AccessModeSchema>;

export const ToolSchema = z.object({
  id: ToolIdSchema,
  title: z.string(),
  state: z.enum(['missing', 'not-ready', 'ready']),
  service: ServiceRefSchema.nullable(),
  registration: RegistrationSchema.nullable(),
  access: z.object({
    external: z.boolean(),
    /** protected = behind the plugin's authenticating gateway listener; open = public; null when not external. */
    mode: AccessModeSchema.nullable(),
    /** The gateway URLs when external, e.g. ["http://gr1a2b3c-8081-dev.apps.example.com"]. */
    urls: z.array(z.string()),
  }),
  links: z.array(LinkSchema),
  risks: z.array(RiskSchema),
  /** Added field: what the caller may do with the tool (absent from older backends: assume allowed). */
  permissions: ToolPermissionsSchema.optional(),
  /** Added field: the last change of the tool's external access, null when none is known. */
  lastAccessChange: AccessChangeRecordSchema.nullable().optional(),
});
export type Tool = z.infer<typeof ToolSchema>;

/** Body of PUT /api/v1/tools/{id}/access. */
export const AccessInputSchema = z.strictObject({
  external: z.boolean(),
  /** protected = behind the plugin's authenticating gateway; open = public after acknowledging the risks. */
  mode: AccessModeSchema.optional(),
  acknowledgedRisks: z.array(RiskCodeSchema).max(10).optional(),
});
export type AccessInput = z.infer<typeof AccessInputSchema>;

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
export type RegistrationInput = z.infer<typeof RegistrationInputSchema>;

/** Backslash, whitespace or a control character (C0, DEL). */
const hasUnsafeChar = (s: string) => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x5c) return true;
  }
  return false;
};

/**
 * A path on a tool for a launch: origin-relative, e.g. "/d/vtuWtdumz?orgId=1". Refused: absolute URLs, "//host",
 * backslashes, control characters, dot segments (also percent-encoded) and the gateway's own "/__cobs/" paths.
 */
export function isToolPath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.length > 2048) return false;
  if (hasUnsafeChar(path)) return false;
  const pathname = path.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (decoded.startsWith('//') || hasUnsafeChar(decoded.replace(/ /g, '_'))) return false;
  if (decoded.split('/').some((seg) => seg === '.' || seg === '..')) return false;
  return !/^\/__cobs(\/|$)/i.test(decoded);
}

/** Body of POST /api/v1/tools/{id}/launch. */
export const LaunchInputSchema = z.strictObject({
  path: z
    .string()
    .refine(isToolPath, 'a path on the tool starting with "/", e.g. "/d/vtuWtdumz" (no URL, no "//")')
    .optional(),
});
export type LaunchInput = z.infer<typeof LaunchInputSchema>;

/** Reply of POST /api/v1/tools/{id}/launch: a single-use URL on the tool's protected gateway host. */
export const LaunchResultSchema = z.object({
  /** e.g. "http://gr1a2b3c-8081-dev.apps.example.com/__cobs/launch?ticket=v1.…" */
  url: z.string(),
  /** RFC 3339; the ticket is refused after this (at most 60 s after issue). */
  expiresAt: z.string(),
});
export type LaunchResult = z.infer<typeof LaunchResultSchema>;

/** Added field Status.gateway: the authenticating gateway listener and the Service protected entries point to. */
export const GatewayStatusSchema = z.object({
  /** GATEWAY_PORT, e.g. 8081. */
  port: z.number().int(),
  /** The plugin's own Service the protected entries point at, e.g. { namespace: "rbd-plugins", name: "gr1a2b3c", port: 8081 }. */
  selfService: ServiceRefSchema.nullable(),
  /** config = SELF_SERVICE; discovered = from the pod's namespace and labels; unresolved = neither worked. */
  source: z.enum(['config', 'discovered', 'unresolved']),
  /** What was found or what is missing, in the request's language. */
  message: z.string(),
  /** true when SESSION_SECRET is unset: sessions do not survive a restart nor span replicas. */
  ephemeralSecret: z.boolean(),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

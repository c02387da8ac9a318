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

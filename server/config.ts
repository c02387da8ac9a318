/** Environment → zod → Config. The only reader of env is main.ts, which passes process.env here. */
import { z } from 'zod';
import { DNS1123_LABEL } from '../contract/names';
import { TOOL_IDS, ToolIdSchema, type ToolId } from '../contract/tools';
import { RELAY_TLS_MODES, type RelayTlsMode } from './cilium/relay';

/**
 * What the RAM template puts into SESSION_SECRET: the console (v6.9.4+) replaces `**None:<group>**` at install with one
 * random 32-character value per group (rainbond-console console/services/market_app/new_components.py
 * `_resolve_none_placeholder`, www/utils/crypt.py `make_uuid`), so a distributed package carries no secret.
 */
export const SESSION_SECRET_PLACEHOLDER = '**None:cilium_observability_session**';
/** `**None**` or `**None:<group>**`, as an older console leaves it. */
const CONSOLE_SECRET_PLACEHOLDER = /^\*\*None(:[^*]*)?\*\*$/;

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const urlString = (example: string) =>
  optionalString.refine((s) => s === undefined || /^https?:\/\/[^\s/]+/.test(s), {
    message: `an http(s) URL, e.g. ${example}`,
  });

const k8sName = optionalString.refine((s) => s === undefined || DNS1123_LABEL.test(s), {
  message: 'a Kubernetes namespace name, e.g. kube-system',
});

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** Rainbond console base URL, e.g. http://rbd-app-ui.rbd-system:7070; unset → sandbox. */
  RAINBOND_CONSOLE_URL: urlString('http://rbd-app-ui.rbd-system:7070'),
  KUBECONFIG: optionalString,
  CILIUM_NAMESPACE: k8sName,
  MONITORING_NAMESPACE: k8sName,
  PLUGIN_ID: z
    .string()
    .regex(DNS1123_LABEL, 'a DNS-1123 name, e.g. cilium-observability')
    .default('cilium-observability'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Prometheus base URL override, e.g. http://prometheus.cilium-monitoring:9090. */
  PROMETHEUS_URL: urlString('http://prometheus.cilium-monitoring:9090'),
  /** Hubble Relay address override, host:port, e.g. hubble-relay.kube-system:80. */
  HUBBLE_RELAY_ADDR: optionalString.refine((s) => s === undefined || /^[^\s:/]+:\d{1,5}$/.test(s), {
    message: 'host:port, e.g. hubble-relay.kube-system:80',
  }),
  /**
   * Dial Relay with TLS: "auto" when its port is 443, "on" always, "off" never (CA/cert/key files below are
   * optional). The old values stay accepted with their old meaning: "true" = on, "false" = auto.
   */
  HUBBLE_RELAY_TLS: z
    .enum([...RELAY_TLS_MODES, 'true', 'false'])
    .default('auto')
    .transform((v): RelayTlsMode => (v === 'true' ? 'on' : v === 'false' ? 'auto' : v)),
  HUBBLE_RELAY_TLS_CA_FILE: optionalString,
  HUBBLE_RELAY_TLS_CERT_FILE: optionalString,
  HUBBLE_RELAY_TLS_KEY_FILE: optionalString,
  HUBBLE_RELAY_TLS_SERVER_NAME: optionalString,
  /** Timeout of one console call in ms. */
  CONSOLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Seconds a verified identity is cached (keyed by a hash of the JWT). */
  AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** A live flow stream ends (event `end`, reason "max-duration") this many minutes after it opened; the panel reconnects. */
  SSE_MAX_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  /** How often a live stream's user is checked again against the console; a removed member's stream ends. */
  SSE_RECHECK_SECONDS: z.coerce.number().int().min(1).max(300).default(240),
  /** Live flow streams one user may hold at once. */
  SSE_MAX_PER_USER: z.coerce.number().int().min(1).max(100).default(3),
  /** Live flow streams the members of one team may hold at once. */
  SSE_MAX_PER_TEAM: z.coerce.number().int().min(1).max(1000).default(10),
  /** Live flow streams this process serves at once. */
  SSE_MAX_TOTAL: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Summary, flows and relay-status requests one user may have in flight on each of them. */
  INSIGHTS_USER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(2),
  /** Seconds an answer of GET /insights/flows is shared per (namespace, filters); 0 = never. */
  FLOWS_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(3),
  /**
   * The region (console name of this cluster) this backend serves, e.g. "rainbond"; `region=` naming another one
   * is 400. Unset: any region of the caller's team is accepted (single-region installs), with a warning at start.
   */
  RAINBOND_REGION: optionalString.refine((s) => s === undefined || /^[A-Za-z0-9_-]{1,64}$/.test(s), {
    message: 'a Rainbond region name, e.g. rainbond',
  }),
  /** Who may register, remove and open or close the tools: "enterprise-admins" or "team-admins" (owners and admins). */
  TOOL_MANAGERS: z.enum(['enterprise-admins', 'team-admins']).default('enterprise-admins'),
  /** Who may launch a protected tool: "enterprise-admins" or "team-members" of the team holding the tools. */
  TOOL_VIEWERS: z.enum(['enterprise-admins', 'team-members']).default('enterprise-admins'),
  /** Max seconds to wait in-flight requests on SIGTERM. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** The authenticating gateway listener: only proxied tools and its own /__cobs/… paths (0 = any free port). */
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  /** Where the gateway sends a tool's traffic instead of its in-cluster Service, e.g. "prometheus=http://127.0.0.1:9090". */
  TOOL_UPSTREAMS: optionalString.transform((s, ctx) => {
    const r = parseToolUpstreams(s);
    if (typeof r === 'string') {
      ctx.addIssue({ code: 'custom', message: r });
      return z.NEVER;
    }
    return r;
  }),
  /**
   * ≥ 32 bytes; signs and encrypts launch tickets and sessions; the same on every replica. Unset → random per
   * process. What an app-market install leaves when it drew none counts as unset (see consoleLeftNoSecret).
   */
  SESSION_SECRET: optionalString.refine((s) => s === undefined || Buffer.byteLength(s) >= 32, {
    message: 'at least 32 bytes, e.g. the output of `openssl rand -base64 48`',
  }),
  /** namespace/name of the plugin's own Service the protected entries point to, e.g. "rbd-plugins/cilium-observability". */
  SELF_SERVICE: optionalString.refine(
    (s) => s === undefined || (s.split('/').length === 2 && s.split('/').every((p) => DNS1123_LABEL.test(p))),
    { message: 'namespace/name of a Service, e.g. rbd-plugins/cilium-observability' },
  ),
  /** The console's address for people, linked from the gateway's "open it from the console" page. */
  CONSOLE_PUBLIC_URL: urlString('https://rainbond.example.com'),
  /** A session ends after this many minutes without a request. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** A session ends this many hours after the launch, active or not. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(8),
  /** How often a session's user is checked again against the console (≤ 300: revocation ends access within 5 min). */
  SESSION_RECHECK_SECONDS: z.coerce.number().int().min(5).max(300).default(240),
  /** Grafana auth.proxy header_name, e.g. "X-WEBAUTH-USER": set to the Rainbond user name; unset → never set. */
  GRAFANA_AUTH_PROXY_HEADER: optionalString.refine(
    (s) => s === undefined || /^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(s),
    { message: 'an HTTP header name, e.g. X-WEBAUTH-USER' },
  ),
  /** This replica's gateway address for the other replicas, e.g. http://10.0.3.7:8081; default from POD_IP. */
  GATEWAY_PEER_URL: urlString('http://10.0.3.7:8081'),
  // Rainbond sets _POD_IP (fieldRef status.podIP), _NAMESPACE and _SERVICE_ALIAS in every component's pod: goodrain/rainbond worker/appm/conversion/version.go
  /** Downward API status.podIP (Rainbond sets _POD_IP itself): the gateway's address for the other replicas. */
  POD_IP: optionalString,
  _POD_IP: optionalString,
  /** Downward API metadata.namespace (Rainbond sets _NAMESPACE): where the plugin's own Service is looked for. */
  POD_NAMESPACE: k8sName,
  _NAMESPACE: k8sName,
  /** Rainbond's component alias of this pod (its label `name`): selects the plugin's own Service when SELF_SERVICE is unset. */
  _SERVICE_ALIAS: optionalString,
  /** Rainbond's component id (set in every component's pod). */
  _SERVICE_ID: optionalString,
});
export type Config = z.infer<typeof ConfigSchema>;

/** "hubble-ui=http://127.0.0.1:1234,prometheus=http://127.0.0.1:9090" → map by tool id, or the problem. */
export function parseToolUpstreams(
  s: string | undefined,
): Partial<Record<ToolId, string>> | undefined | string {
  if (s === undefined) return undefined;
  const out: Partial<Record<ToolId, string>> = {};
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const id = ToolIdSchema.safeParse(part.slice(0, eq).trim());
    const url = part.slice(eq + 1).trim();
    if (eq < 1 || !id.success)
      return `tool=url pairs with tool in ${TOOL_IDS.join(', ')}, e.g. prometheus=http://127.0.0.1:9090`;
    if (!/^https?:\/\/[^\s/]+\/?$/.test(url))
      return `an http(s) origin for ${id.data}, e.g. http://127.0.0.1:9090`;
    out[id.data] = url.replace(/\/$/, '');
  }
  return out;
}

export class ConfigError extends Error {}

/** Parses env; throws ConfigError with one line naming the variable and what it expected. */
/**
 * What an app-market install leaves in SESSION_SECRET when it did not draw one: the template's placeholder as written
 * (consoles before v6.9.4), or, when an upgrade adds the variable to an older install, the first 8 characters of
 * the component's service id (rainbond-console market_app/component.py `_update_envs`; Rainbond puts the id into
 * the pod as `_SERVICE_ID`). Both count as unset: a random key per process, with the start-up warning.
 */
function consoleLeftNoSecret(env: Record<string, string | undefined>): boolean {
  const s = env.SESSION_SECRET?.trim();
  if (!s) return false;
  return CONSOLE_SECRET_PLACEHOLDER.test(s) || (!!env._SERVICE_ID && s === env._SERVICE_ID.slice(0, 8));
}

/** Variables whose values never appear in an error message (they reach the logs). */
const SECRET_VARIABLES = new Set(['SESSION_SECRET']);

export function loadConfig(env: Record<string, string | undefined>): Config {
  if (consoleLeftNoSecret(env)) env = { ...env, SESSION_SECRET: undefined };
  const r = ConfigSchema.safeParse(env);
  if (r.success) {
    if (r.data.GATEWAY_PORT !== 0 && r.data.GATEWAY_PORT === r.data.PORT)
      throw new ConfigError(
        `invalid GATEWAY_PORT=${JSON.stringify(env.GATEWAY_PORT ?? '')}: expected a port other than PORT (${r.data.PORT}), e.g. 8081`,
      );
    // a removed member's live stream ends within one re-check plus one identity-cache lifetime: keep it ≤ 5 min
    if (r.data.SSE_RECHECK_SECONDS + r.data.AUTH_CACHE_SECONDS > 300)
      throw new ConfigError(
        `invalid SSE_RECHECK_SECONDS=${JSON.stringify(env.SSE_RECHECK_SECONDS ?? '')}: expected at most ${300 - r.data.AUTH_CACHE_SECONDS} (300 − AUTH_CACHE_SECONDS), so a removed member's live stream ends within 5 minutes`,
      );
    return r.data;
  }
  const issue = r.error.issues[0];
  const name = String(issue?.path[0] ?? '?');
  const shown = SECRET_VARIABLES.has(name)
    ? `(${Buffer.byteLength(env[name] ?? '')} bytes, not shown)`
    : `=${JSON.stringify(env[name] ?? '')}`;
  throw new ConfigError(`invalid ${name}${shown}: expected ${issue?.message ?? 'a valid value'}`);
}

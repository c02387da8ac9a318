/** Environment → zod → Config. The only reader of env is main.ts, which passes process.env here. */
import { z } from 'zod';
import { DNS1123_LABEL } from '../contract/names';
import { RELAY_TLS_MODES, type RelayTlsMode } from './cilium/relay';

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
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses env; throws ConfigError with one line naming the variable and what it expected. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const r = ConfigSchema.safeParse(env);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const name = String(issue?.path[0] ?? '?');
  throw new ConfigError(
    `invalid ${name}=${JSON.stringify(env[name] ?? '')}: expected ${issue?.message ?? 'a valid value'}`,
  );
}

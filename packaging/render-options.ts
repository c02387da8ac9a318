/**
 * What every renderer shares: the options (namespace, image, locale, session secret, region), the labels on every
 * object, the in-cluster host of the plugin Service, the ports and env the process gets, and YAML output. Pure apart
 * from drawing a random session secret when none is given; cli.ts does the I/O.
 */
import { createHash, randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { DNS1123_LABEL } from '../contract/names';
import { ConfigSchema } from '../server/config';
import { invalidInput } from '../server/errors';
import type { PluginManifest } from './plugin-manifest';

export interface RenderOptions {
  /** Namespace the plugin runs in, e.g. "cilium-observability" (RAM: only names the ClusterRoleBinding). */
  namespace: string;
  /** Image reference, e.g. "registry.example.com/ns/cilium-observability:0.1.0". */
  image: string;
  /** Which displayName goes into spec.display_name / plugin_name. */
  locale: 'zh-CN' | 'en';
  /** Emit a Namespace object in `manifests`. */
  createNamespace: boolean;
  /**
   * SESSION_SECRET (≥ 32 bytes): the Secret of `manifests` (the RAM template carries the console's placeholder
   * instead). Drawn at random (newSessionSecret) when not given, so every render without one carries a new secret.
   */
  sessionSecret: string;
  /** RAINBOND_REGION, e.g. "rainbond": set in the ConfigMap and the RAM env when given, else left unset. */
  region?: string;
}

/** A fresh SESSION_SECRET: 48 random bytes, base64url (64 characters), like `openssl rand -base64 48`. */
export const newSessionSecret = (): string => randomBytes(48).toString('base64url');

/** The zod check server/config.ts applies to `name`, as one line for a render option, or null when it passes. */
function configProblem(name: 'SESSION_SECRET' | 'RAINBOND_REGION', value: string): string | null {
  const r = ConfigSchema.shape[name].safeParse(value);
  return r.success && r.data !== undefined ? null : (r.error?.issues[0]?.message ?? 'a non-empty value');
}

/** A Kubernetes object as rendered (plain data, serialised to YAML). */
export type K8sObject = { apiVersion: string; kind: string; metadata: Record<string, unknown> } & Record<
  string,
  unknown
>;

export function defaultRenderOptions(
  m: PluginManifest,
  overrides: Partial<RenderOptions> = {},
): RenderOptions {
  const opts: RenderOptions = {
    namespace: m.deploy.namespace,
    image: m.image,
    locale: m.displayLocale,
    createNamespace: true,
    ...overrides,
    sessionSecret: overrides.sessionSecret ?? newSessionSecret(),
  };
  if (!DNS1123_LABEL.test(opts.namespace))
    throw invalidInput(`--namespace: expected a DNS-1123 name, got "${opts.namespace}"`);
  const secretProblem = configProblem('SESSION_SECRET', opts.sessionSecret);
  if (secretProblem) throw invalidInput(`session secret: expected ${secretProblem}`);
  const regionProblem = opts.region === undefined ? null : configProblem('RAINBOND_REGION', opts.region);
  if (regionProblem) throw invalidInput(`--region: expected ${regionProblem}, got "${opts.region}"`);
  return opts;
}

/** In-cluster host of the plugin Service, e.g. "cilium-observability.cilium-observability.svc.cluster.local". */
export function serviceHost(m: PluginManifest, namespace: string): string {
  return `${m.frontend.component}.${namespace}.svc.cluster.local`;
}

/** Labels on every rendered object. */
export function commonLabels(m: PluginManifest): Record<string, string> {
  return {
    'app.kubernetes.io/name': m.id,
    'app.kubernetes.io/instance': m.id,
    'app.kubernetes.io/version': m.version,
    'app.kubernetes.io/part-of': 'rainbond-plugins',
    'app.kubernetes.io/managed-by': 'cilium-observability-render',
  };
}

/**
 * The gateway listener's port: `deploy.env.GATEWAY_PORT`, else server/config.ts's default (8081). The plugin's
 * Service carries it as its SECOND port: the console takes the first as the plugin's frontend and backend.
 */
export function gatewayPort(m: PluginManifest): number {
  return ConfigSchema.shape.GATEWAY_PORT.parse(m.deploy.env.GATEWAY_PORT);
}

/** Env the plugin process gets: PORT, GATEWAY_PORT and PLUGIN_ID from the manifest, then deploy.env defaults. */
export function pluginEnv(m: PluginManifest): Record<string, string> {
  return {
    PORT: String(m.backend.port),
    GATEWAY_PORT: String(gatewayPort(m)),
    PLUGIN_ID: m.id,
    ...m.deploy.env,
  };
}

/** The plugin's own Service as SELF_SERVICE names it, e.g. "cilium-observability/cilium-observability". */
export const selfService = (m: PluginManifest, namespace: string): string =>
  `${namespace}/${m.frontend.component}`;

/** One object as one YAML document (no `---`). */
export const toYaml = (o: object): string => stringify(o, { lineWidth: 0 });

/** Multi-document YAML, one object per document, with a header comment. */
export function toYamlStream(objects: readonly object[], header?: string): string {
  return `${header ? `# ${header}\n` : ''}---\n${objects.map(toYaml).join('---\n')}`;
}

export const md5Hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/**
 * What every renderer shares: the options (namespace, image, locale), the labels on every object, the in-cluster
 * host of the plugin Service, the env the process gets, and YAML output. Pure; cli.ts does the I/O.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { DNS1123_LABEL } from '../contract/names';
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
  };
  if (!DNS1123_LABEL.test(opts.namespace))
    throw invalidInput(`--namespace: expected a DNS-1123 name, got "${opts.namespace}"`);
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

/** Env the plugin process gets: PORT and PLUGIN_ID from the manifest, then deploy.env defaults. */
export function pluginEnv(m: PluginManifest): Record<string, string> {
  return { PORT: String(m.backend.port), PLUGIN_ID: m.id, ...m.deploy.env };
}

/** One object as one YAML document (no `---`). */
export const toYaml = (o: object): string => stringify(o, { lineWidth: 0 });

/** Multi-document YAML, one object per document, with a header comment. */
export function toYamlStream(objects: readonly object[], header?: string): string {
  return `${header ? `# ${header}\n` : ''}---\n${objects.map(toYaml).join('---\n')}`;
}

export const md5Hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/**
 * plugin.yaml → zod → PluginManifest: the single source every rendered artefact (RBDPlugin, Kubernetes manifests,
 * RAM template) is computed from. Invalid files are rejected naming the file and the path of the bad field.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigSchema } from '../server/config';
import { DNS1123_LABEL } from '../contract/names';
import { invalidInput } from '../server/errors';

const dnsLabel = z
  .string()
  .regex(DNS1123_LABEL, { message: 'expected a DNS-1123 name, e.g. cilium-observability' });
const port = z
  .number({ message: 'expected an integer 1–65535' })
  .int({ message: 'expected an integer 1–65535' })
  .min(1, { message: 'expected an integer 1–65535' })
  .max(65535, { message: 'expected an integer 1–65535' });
/** Kubernetes quantities as written in resources, e.g. "50m", "0.5", "96Mi". */
const cpuQuantity = z
  .string()
  .regex(/^\d+(\.\d+)?m?$/, { message: 'expected a CPU quantity, e.g. 50m or 0.5' });
const memQuantity = z
  .string()
  .regex(/^\d+(Ki|Mi|Gi)$/, { message: 'expected a memory quantity in Ki/Mi/Gi, e.g. 96Mi' });
const nonEmpty = z.string().trim().min(1, { message: 'expected a non-empty string' });

/** Views of the RBDPlugin CRD enum (goodrain/rainbond:config/crd/rainbond.io_rbdplugins.yaml). */
export const PLUGIN_VIEWS = ['Platform', 'Team', 'Application', 'Component'] as const;
export const DISPLAY_LOCALES = ['zh-CN', 'en'] as const;

/** Variables the render or the platform sets, with where they come from instead of plugin.yaml. */
const RENDERED_ENV: Record<string, string> = {
  SESSION_SECRET: 'it comes from a Secret (render --session-secret-file) or the RAM template',
  SELF_SERVICE: 'the render sets it from --namespace',
  POD_IP: 'the downward API sets it',
  POD_NAMESPACE: 'the downward API sets it',
  _POD_IP: 'Rainbond sets it',
  _NAMESPACE: 'Rainbond sets it',
  _SERVICE_ALIAS: 'Rainbond sets it',
};

export const PluginManifestSchema = z
  .strictObject({
    /** RBDPlugin metadata.name and RAM platform_plugin.plugin_id, e.g. "cilium-observability". */
    id: dnsLabel,
    /** English name, RAM group_name, e.g. "Cilium Observability". */
    name: nonEmpty,
    /** Menu label per locale; `displayLocale` picks the one rendered into spec.display_name (one string only). */
    displayName: z.strictObject({ 'zh-CN': nonEmpty, en: nonEmpty }),
    displayLocale: z.enum(DISPLAY_LOCALES).default('zh-CN'),
    description: z.string().default(''),
    /** Semver, must equal package.json "version", e.g. "0.1.0". */
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, { message: 'expected a semver, e.g. 0.1.0' }),
    /** spec.plugin_type; Iframe is broken on v6.6+ (fields it needs were removed). */
    type: z.literal('JSInject', {
      message: 'expected "JSInject" (the only type that works on Rainbond v6.6+)',
    }),
    /** spec.plugin_views, e.g. [Platform, Team]. */
    views: z
      .array(z.enum(PLUGIN_VIEWS, { message: `expected one of ${PLUGIN_VIEWS.join(', ')}` }))
      .min(1, { message: 'expected at least one view' })
      .refine((v) => new Set(v).size === v.length, { message: 'expected no duplicate views' }),
    menuTitle: nonEmpty,
    /** Informational route, e.g. "/plugins/cilium-observability". */
    routePath: z.string().regex(/^\/[^\s]*$/, { message: 'expected a path starting with /' }),
    /** Oldest Rainbond release supported, e.g. "v6.6.0". */
    minRainbond: z.string().regex(/^v\d+\.\d+\.\d+$/, { message: 'expected a release tag, e.g. v6.6.0' }),
    /** Image reference with an explicit tag, e.g. "registry.example.com/ns/cilium-observability:0.1.0". */
    image: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+:[\w][\w.-]{0,127}$/, {
      message:
        'expected an image reference with a tag, e.g. registry.example.com/ns/cilium-observability:0.1.0',
    }),
    frontend: z.strictObject({
      /** Rainbond component name (service_cname + k8s_component_name) serving the bundle. */
      component: dnsLabel,
      port,
      /** Path of the AMD bundle on that port, e.g. "/static/main.js". */
      entryPath: z
        .string()
        .regex(/^\/[\w./-]+\.js$/, { message: 'expected a path to a .js file, e.g. /static/main.js' }),
      format: z.literal('amd', { message: 'expected "amd" (SystemJS 0.20 loads AMD, not ES modules)' }),
      /** Modules the host provides, e.g. [react]. */
      externals: z.array(nonEmpty).default([]),
    }),
    backend: z.strictObject({ component: dnsLabel, port }),
    deploy: z.strictObject({
      /** Namespace of the plain-Kubernetes install, e.g. "cilium-observability". */
      namespace: dnsLabel,
      replicas: z.number().int().min(1).max(10).default(1),
      /** Environment defaults; names as server/config.ts reads them, values as strings. */
      env: z
        .record(
          z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'expected an env var name, e.g. LOG_LEVEL' }),
          z.string(),
        )
        .default({}),
      resources: z.strictObject({
        requests: z.strictObject({ cpu: cpuQuantity, memory: memQuantity }),
        limits: z.strictObject({ cpu: cpuQuantity, memory: memQuantity }),
      }),
    }),
    rbac: z.strictObject({ serviceAccount: dnsLabel, clusterRole: dnsLabel }),
  })
  .superRefine((m, ctx) => {
    // One component serves both: the console derives backend_service from the FIRST port of the frontend component.
    if (m.backend.component !== m.frontend.component || m.backend.port !== m.frontend.port) {
      ctx.addIssue({
        code: 'custom',
        path: ['backend'],
        message: 'expected the same component and port as frontend (one component serves bundle and API)',
      });
    }
    // The gateway listener is the Service's second port: a fixed port, not the first one.
    const gw = m.deploy.env.GATEWAY_PORT;
    if (gw !== undefined && (Number(gw) === 0 || Number(gw) === m.backend.port)) {
      ctx.addIssue({
        code: 'custom',
        path: ['deploy', 'env', 'GATEWAY_PORT'],
        message: `expected a fixed port other than backend.port (${m.backend.port}), e.g. 8081`,
      });
    }
    // Env defaults must be variables server/config.ts reads, with values it accepts, and not ones the render or
    // the platform sets (a secret in plugin.yaml would land in a ConfigMap and in git).
    const known = new Set(Object.keys(ConfigSchema.shape));
    for (const [name, value] of Object.entries(m.deploy.env)) {
      const owner = RENDERED_ENV[name];
      if (owner) {
        ctx.addIssue({
          code: 'custom',
          path: ['deploy', 'env', name],
          message: `not settable here: ${owner}`,
        });
        continue;
      }
      if (!known.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['deploy', 'env', name],
          message: 'unknown variable (not in server/config.ts)',
        });
        continue;
      }
      const r = ConfigSchema.shape[name as keyof typeof ConfigSchema.shape].safeParse(value);
      if (!r.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['deploy', 'env', name],
          message: r.error.issues[0]?.message ?? 'invalid',
        });
      }
    }
  });
export type PluginManifest = z.infer<typeof PluginManifestSchema>;

/** Formats a zod issue path, e.g. ["views", 0] → "views[0]", ["frontend","port"] → "frontend.port". */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc === '' ? String(key) : `${acc}.${String(key)}`;
  }, '');
}

/** Parses plugin.yaml text; `label` names the file in errors, e.g. "plugin.yaml: frontend.port: expected …". */
export function parsePluginManifest(text: string, label = 'plugin.yaml'): PluginManifest {
  const doc = parseDocument(text, { uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line;
    throw invalidInput(
      `${label}: invalid YAML${line ? ` at line ${line}` : ''}: ${yamlError.message.split('\n')[0]}`,
    );
  }
  const r = PluginManifestSchema.safeParse(doc.toJS());
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue ? formatIssuePath(issue.path) : '';
  const message = issue?.message ?? 'invalid';
  throw invalidInput(`${label}: ${where ? `${where}: ` : ''}${message}`, {
    issues: r.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })),
  });
}

/** Reads and validates a plugin.yaml; errors are prefixed with `path` as given, e.g. "plugin.yaml: …". */
export async function loadPluginManifest(path: string): Promise<PluginManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw invalidInput(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parsePluginManifest(text, path);
}

/** Display name rendered into spec.display_name, e.g. "Cilium 网络观测" for zh-CN. */
export function displayNameOf(
  m: PluginManifest,
  locale: (typeof DISPLAY_LOCALES)[number] = m.displayLocale,
): string {
  return m.displayName[locale];
}

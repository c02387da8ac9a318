/**
 * Pure renderers: PluginManifest (+ WATCHED_RESOURCES) → RBDPlugin, Kubernetes objects, RAM template.
 * No I/O here; cli.ts writes the results. Every output is checked by tests against schemas/ (CRD and RAM field names).
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { WatchedResource } from '../server/clients/cluster/resources';
import { DNS1123_LABEL } from '../contract/names';
import { invalidInput } from '../server/errors';
import { displayNameOf, type PluginManifest } from './plugin-manifest';
import { RBDPLUGIN_LABEL_ENABLE, RBDPLUGIN_LABEL_NAME, type RBDPlugin } from './schemas/rbdplugin.schema';
import type { RainbondApplicationConfig, RamComponent } from './schemas/ram.schema';

export interface RenderOptions {
  /** Namespace the plugin runs in, e.g. "cilium-observability" (for RAM: the team namespace it will be installed in). */
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

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

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

function labels(m: PluginManifest): Record<string, string> {
  return {
    'app.kubernetes.io/name': m.id,
    'app.kubernetes.io/instance': m.id,
    'app.kubernetes.io/version': m.version,
    'app.kubernetes.io/part-of': 'rainbond-plugins',
    'app.kubernetes.io/managed-by': 'cilium-observability-render',
  };
}

/** The cluster-scoped RBDPlugin, with the values the console computes for a market install. */
export function renderRBDPlugin(m: PluginManifest, opts: RenderOptions): RBDPlugin {
  const host = serviceHost(m, opts.namespace);
  return {
    apiVersion: 'rainbond.io/v1alpha1',
    kind: 'RBDPlugin',
    metadata: {
      name: m.id,
      labels: { ...labels(m), [RBDPLUGIN_LABEL_ENABLE]: 'true', [RBDPLUGIN_LABEL_NAME]: m.id },
    },
    spec: {
      display_name: displayNameOf(m, opts.locale),
      plugin_type: m.type,
      plugin_views: [...m.views],
      frontend_component: m.frontend.component,
      entry_path: m.frontend.entryPath,
      menu_title: m.menuTitle,
      route_path: m.routePath,
      namespace: opts.namespace,
      frontend_service: `${host}:${m.frontend.port}${m.frontend.entryPath}`,
      backend_service: `${host}:${m.backend.port}`,
    },
  };
}

/**
 * ClusterRole rules derived from WATCHED_RESOURCES: entries with the same API group and verbs share one rule.
 * Nothing is added beyond what the list names, so RBAC is exactly what the cluster view calls.
 */
export function clusterRoleRules(resources: readonly WatchedResource[]): PolicyRule[] {
  const byKey = new Map<string, PolicyRule>();
  for (const r of resources) {
    const verbs = [...new Set(r.verbs)].sort();
    const key = `${r.group}|${verbs.join(',')}`;
    const rule = byKey.get(key) ?? { apiGroups: [r.group], resources: [], verbs };
    if (!rule.resources.includes(r.resource)) rule.resources.push(r.resource);
    byKey.set(key, rule);
  }
  return [...byKey.values()]
    .map((rule) => ({ ...rule, resources: [...rule.resources].sort() }))
    .sort(
      (a, b) =>
        (a.apiGroups[0] ?? '').localeCompare(b.apiGroups[0] ?? '') ||
        a.verbs.join().localeCompare(b.verbs.join()),
    );
}

/** ServiceAccount (namespaced; omit namespace for RAM k8s_resources), ClusterRole, ClusterRoleBinding. */
export function renderRbac(
  m: PluginManifest,
  opts: RenderOptions,
  resources: readonly WatchedResource[],
  { namespacedMetadata = true }: { namespacedMetadata?: boolean } = {},
): K8sObject[] {
  const ns = namespacedMetadata ? { namespace: opts.namespace } : {};
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: m.rbac.serviceAccount, ...ns, labels: labels(m) },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: m.rbac.clusterRole, labels: labels(m) },
      rules: clusterRoleRules(resources),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      // Named after the namespace so installs in two namespaces do not overwrite each other's binding.
      metadata: { name: `${m.rbac.clusterRole}-${opts.namespace}`, labels: labels(m) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: m.rbac.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: m.rbac.serviceAccount, namespace: opts.namespace }],
    },
  ];
}

/** Env the plugin process gets: PORT and PLUGIN_ID from the manifest, then deploy.env defaults. */
export function pluginEnv(m: PluginManifest): Record<string, string> {
  return { PORT: String(m.backend.port), PLUGIN_ID: m.id, ...m.deploy.env };
}

/** Everything for `kubectl apply`: [Namespace], RBAC, ConfigMap, Deployment, Service, RBDPlugin. */
export function renderManifests(
  m: PluginManifest,
  opts: RenderOptions,
  resources: readonly WatchedResource[],
): K8sObject[] {
  const meta = (name: string) => ({ name, namespace: opts.namespace, labels: labels(m) });
  const selector = { 'app.kubernetes.io/name': m.id, 'app.kubernetes.io/instance': m.id };
  const configMapName = `${m.id}-env`;
  const env = pluginEnv(m);
  const configChecksum = createHash('sha256').update(JSON.stringify(env)).digest('hex');
  const probe = (path: string, periodSeconds: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold: 3,
  });
  const objects: K8sObject[] = [];
  if (opts.createNamespace) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: opts.namespace, labels: labels(m) },
    });
  }
  objects.push(...renderRbac(m, opts, resources));
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(configMapName), data: env });
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(m.frontend.component),
    spec: {
      replicas: m.deploy.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: { ...labels(m), ...selector },
          annotations: { 'checksum/config': configChecksum },
        },
        spec: {
          serviceAccountName: m.rbac.serviceAccount,
          automountServiceAccountToken: true,
          // uid 1000 = user "node" of node:20-slim; numeric so the kubelet can verify runAsNonRoot.
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: m.frontend.component,
              image: opts.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: m.backend.port, protocol: 'TCP' }],
              envFrom: [{ configMapRef: { name: configMapName } }],
              livenessProbe: { ...probe('/healthz', 10), initialDelaySeconds: 5 },
              readinessProbe: probe('/readyz', 5),
              resources: m.deploy.resources,
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              // tsx keeps its transpile cache in os.tmpdir(); the root filesystem is read-only.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  });
  objects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(m.frontend.component),
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: m.frontend.port, targetPort: 'http', protocol: 'TCP' }],
    },
  });
  objects.push(renderRBDPlugin(m, opts));
  return objects;
}

/** Multi-document YAML, one object per document, with a header comment. */
export function toYamlStream(objects: readonly object[], header?: string): string {
  const docs = objects.map((o) => stringify(o, { lineWidth: 0 }));
  return `${header ? `# ${header}\n` : ''}---\n${docs.join('---\n')}`;
}

export const md5Hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** "500m" → 500, "0.5" → 500, "2" → 2000 millicores. */
export function cpuMillis(q: string): number {
  return q.endsWith('m') ? Math.round(Number(q.slice(0, -1))) : Math.round(Number(q) * 1000);
}

/** "384Mi" → 384, "1Gi" → 1024, "512Ki" → 1 (MB, rounded up). */
export function memoryMiB(q: string): number {
  const n = Number(q.slice(0, -2));
  if (q.endsWith('Gi')) return n * 1024;
  if (q.endsWith('Ki')) return Math.ceil(n / 1024);
  return n;
}

/** Splits an image reference into RAM ImageInfo parts, e.g. "reg.io/ns/app:1" → {hub_url:"reg.io", namespace:"ns", tag:"1"}. */
export function splitImage(image: string): { hubUrl: string; namespace: string; tag: string } {
  const slash = image.indexOf('/');
  const first = slash === -1 ? '' : image.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const rest = hasRegistry ? image.slice(slash + 1) : image;
  const colon = rest.lastIndexOf(':');
  const repo = colon === -1 ? rest : rest.slice(0, colon);
  const tag = colon === -1 ? 'latest' : rest.slice(colon + 1);
  const parts = repo.split('/');
  return {
    hubUrl: hasRegistry ? first : 'docker.io',
    namespace: parts.slice(0, -1).join('/'),
    tag,
  };
}

/** Deterministic 32-hex id so re-imports of the same version update one app model, e.g. rid("group_key", id). */
const rid = (...parts: string[]) => md5Hex(parts.join(':'));

/** The app-market template (metadata.json). RBAC goes to k8s_resources, created in the team namespace at install. */
export function renderRamTemplate(
  m: PluginManifest,
  opts: RenderOptions,
  resources: readonly WatchedResource[],
): RainbondApplicationConfig {
  const cname = m.frontend.component;
  const serviceId = rid('service_id', m.id, cname);
  const image = splitImage(opts.image);
  const probe = (mode: 'liveness' | 'readiness', path: string, period: number) => ({
    ID: 0,
    initial_delay_second: mode === 'liveness' ? 5 : 2,
    failure_threshold: 3,
    service_id: serviceId,
    http_header: '',
    cmd: '',
    probe_id: rid('probe', m.id, cname, mode),
    scheme: 'http' as const,
    success_threshold: 1,
    timeout_second: 3,
    is_used: true,
    period_second: period,
    port: m.backend.port,
    mode,
    path,
  });
  const memory = memoryMiB(m.deploy.resources.limits.memory);
  const component: RamComponent = {
    memory,
    cpu: cpuMillis(m.deploy.resources.limits.cpu),
    probes: [probe('liveness', '/healthz', 10), probe('readiness', '/readyz', 5)],
    service_image: {
      hub_password: '',
      namespace: image.namespace,
      hub_url: image.hubUrl,
      hub_user: '',
      is_trust: true,
    },
    service_id: serviceId,
    extend_method: 'stateless_multiple',
    service_key: rid('service_key', m.id, cname),
    // share_services.py: platform-plugin publishes get md5(plugin_id + ":" + service_cname).
    service_share_uuid: md5Hex(`${m.id}:${cname}`),
    share_type: 'image',
    mnt_relation_list: [],
    service_source: 'docker_image',
    dep_service_map_list: [],
    service_connect_info_map_list: [],
    service_volume_map_list: [],
    version: image.tag,
    k8s_component_name: cname,
    port_map_list: [
      {
        port_alias: `${cname.replace(/-/g, '_').toUpperCase()}${m.frontend.port}`,
        protocol: 'http',
        tenant_id: '',
        container_port: m.frontend.port,
        is_outer_service: false,
        is_inner_service: true,
        name: 'http',
        k8s_service_name: cname,
      },
    ],
    service_name: '',
    category: 'app_publish',
    service_env_map_list: Object.entries(pluginEnv(m)).map(([k, v]) => ({
      attr_name: k,
      name: k,
      is_change: true,
      attr_value: v,
      container_port: 0,
    })),
    service_alias: `gr${serviceId.slice(0, 6)}`,
    deploy_version: '',
    extend_method_map: {
      min_node: 1,
      step_memory: 64,
      is_restart: 0,
      step_node: 1,
      max_memory: 65536,
      max_node: 10,
      min_memory: 64,
      init_memory: memory,
    },
    service_type: 'application',
    arch: 'amd64',
    report: [],
    service_cname: cname,
    share_image: opts.image,
    image: opts.image,
    cmd: '',
    language: '',
    component_monitors: [],
    component_graphs: [],
    labels: {},
    component_k8s_attributes: [
      {
        component_id: serviceId,
        name: 'serviceAccountName',
        save_type: 'string',
        attribute_value: m.rbac.serviceAccount,
      },
    ],
  };
  return {
    group_key: rid('group_key', m.id),
    group_name: m.name,
    group_version: m.version,
    template_version: 'v2',
    apps: [component],
    plugins: [],
    app_config_groups: [],
    ingress_http_routes: [],
    k8s_resources: renderRbac(m, opts, resources, { namespacedMetadata: false }).map((o) => ({
      name: String(o.metadata.name),
      kind: o.kind,
      content: stringify(o, { lineWidth: 0 }),
    })),
    governance_mode: 'KUBERNETES_NATIVE_SERVICE',
    group_dev_status: '',
    platform_plugin: {
      is_platform_plugin: true,
      plugin_id: m.id,
      plugin_name: displayNameOf(m, opts.locale),
      plugin_type: m.type,
      frontend_component: cname,
      entry_path: m.frontend.entryPath,
      inject_position: [...m.views],
      menu_title: m.menuTitle,
      route_path: m.routePath,
    },
  };
}

export interface RamPackageFile {
  /** Path inside the package, e.g. "cilium-observability-0.1.0-ram/metadata.json". */
  path: string;
  data: Buffer;
}

/**
 * The offline-import layout: `<dir>/metadata.json` + `<dir>/metadata.json.md5` (md5sum format, as rbd-chaos writes
 * it). No image tarballs: the image must be in a registry the cluster can pull from.
 */
export function ramPackage(
  m: PluginManifest,
  template: RainbondApplicationConfig,
): {
  dir: string;
  tarName: string;
  files: RamPackageFile[];
} {
  const dir = `${m.id}-${m.version}-ram`;
  const json = JSON.stringify(template, null, 2);
  return {
    dir,
    tarName: `${dir}.tar.gz`,
    files: [
      { path: `${dir}/metadata.json`, data: Buffer.from(json, 'utf8') },
      { path: `${dir}/metadata.json.md5`, data: Buffer.from(`${md5Hex(json)}  metadata.json\n`, 'utf8') },
    ],
  };
}

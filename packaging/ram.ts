/**
 * The app-market (RAM) template: metadata.json as rainbond-oam's RainbondApplicationConfig decodes it, and the
 * offline package layout the region's import reads. Pure; ram-package.ts writes the files and the tarball.
 */
import { parseAllDocuments } from 'yaml';
import type { WatchedResource } from '../server/clients/cluster/resources';
import { invalidInput } from '../server/errors';
import { SESSION_SECRET_PLACEHOLDER } from '../server/config';
import { displayNameOf, type PluginManifest } from './plugin-manifest';
import { renderRbac } from './rbac';
import { gatewayPort, md5Hex, pluginEnv, toYaml, type K8sObject, type RenderOptions } from './render-options';
import type { RainbondApplicationConfig, RamComponent } from './schemas/ram.schema';

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

/**
 * One k8s_resources entry = one object as ONE YAML document: the region ignores an entry that decodes to more than
 * one object (api/handler/resource.go SyncAppK8SResources).
 */
export function k8sResource(o: K8sObject): { name: string; kind: string; content: string } {
  const content = toYaml(o);
  if (parseAllDocuments(content).length !== 1)
    throw invalidInput(`k8s_resources: ${o.kind} ${String(o.metadata.name)} must be one YAML document`);
  return { name: String(o.metadata.name), kind: o.kind, content };
}

/**
 * The app-market template (metadata.json). RBAC goes to k8s_resources: at install the region creates every entry
 * (cluster-scoped ones too), puts namespaced ones in the team namespace and rewrites binding subjects to it.
 */
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
    // The console takes the FIRST port for frontend_service and backend_service: the HTTP port leads. The gateway
    // listener is the second, inner only: the Rainbond route of a protected tool reaches it through a third-party
    // component, never through an outer port of its own. At install the console gives every port the first port's
    // k8s_service_name and the region makes ONE inner Service (selector name=<alias>) with all inner ports
    // (rainbond-console market_app/new_components.py _template_to_ports; rainbond worker/appm/conversion/gateway.go
    // createInnerService): the Service the backend then finds as its own.
    port_map_list: [m.frontend.port, gatewayPort(m)].map((port, i) => ({
      port_alias: `${cname.replace(/-/g, '_').toUpperCase()}${port}`,
      protocol: 'http' as const,
      tenant_id: '',
      container_port: port,
      is_outer_service: false,
      is_inner_service: true,
      name: i === 0 ? 'http' : 'gateway',
      k8s_service_name: cname,
    })),
    service_name: '',
    category: 'app_publish',
    // SESSION_SECRET is the console's install-time placeholder, so the package carries no secret: a v6.9.4+ console
    // draws one per install (shared by its replicas, kept on upgrade); an older one leaves the placeholder, which
    // the backend takes as unset (and warns). Editable after install (环境变量).
    service_env_map_list: Object.entries({
      ...pluginEnv(m),
      ...(opts.region ? { RAINBOND_REGION: opts.region } : {}),
      SESSION_SECRET: SESSION_SECRET_PLACEHOLDER,
    }).map(([k, v]) => ({
      attr_name: k,
      name: k,
      is_change: true,
      attr_value: v,
      container_port: 0,
    })),
    service_alias: `gr${serviceId.slice(0, 6)}`,
    deploy_version: '',
    extend_method_map: {
      // the console installs the component with this many instances
      min_node: m.deploy.replicas,
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
    k8s_resources: renderRbac(m, opts, resources, { namespacedMetadata: false }).map(k8sResource),
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

/** Where the console's own export puts component images, and where the import loads `*.tar` from. */
export const IMAGE_ARCHIVE_NAME = 'component-images.tar';

export interface RamPackageFile {
  /** Path inside the package, e.g. "cilium-observability-0.1.0-ram/metadata.json". */
  path: string;
  data: Buffer;
}

export interface RamPackageLayout {
  /** Top folder, e.g. "cilium-observability-0.1.0-ram" (the import reads the first entry of the unpacked package). */
  dir: string;
  /** e.g. "cilium-observability-0.1.0-ram.tar.gz". */
  tarName: string;
  /** metadata.json and metadata.json.md5. */
  files: RamPackageFile[];
}

/**
 * The offline-import layout: `<dir>/metadata.json` + `<dir>/metadata.json.md5` (md5sum format, as the export writes
 * it); ram-package.ts adds `<dir>/component-images.tar` when an image archive is given.
 */
export function ramPackage(m: PluginManifest, template: RainbondApplicationConfig): RamPackageLayout {
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

/**
 * A model of what Rainbond does with an offline app-market package, written from the upstream code (not from our
 * renderer), so a rendered package can be checked end to end without a Rainbond:
 * - importPackage: rainbond-oam pkg/localimport/import.go `Import` — `tar -xzf` into an empty folder, the FIRST
 *   entry's metadata.json (no BOM), every file one level (`GetFileList(dir, 1)`) and two levels
 *   (`GetFileList(dir, 2)`) inside it, paths containing "plugin" skipped when the template has no plugins, each
 *   `*.tar` loaded as containerd v1.5 (images/archive/importer.go) names its images, then `ImageTag` of every
 *   component's share_image, which fails ("No such image") unless a loaded archive or the node already had it.
 * - installPlatformPlugin: rainbond-console market_app_service.py `_create_rbdplugin_if_needed` (frontend by
 *   service_cname, FIRST port, backend = first port of the first dependency, else the frontend) and
 *   rainbond api/handler/resource.go (`SyncAppK8SResources` ignores an entry of more than one object,
 *   `HandleResourceYaml` puts namespaced kinds in the team namespace, `ResourceProcessing` rewrites
 *   (Cluster)RoleBinding subjects' namespace and drops subjects without one).
 * - the component each template app becomes (installedComponent): the console's `_template_to_ports` (ONE
 *   k8s_service_name, the first port's, for every port; every port inner; protocol outside tcp/udp/http → tcp) and
 *   `_template_to_envs` (rainbond-console console/services/market_app/new_components.py), then what the region puts
 *   into its pod and Services: the env of `createEnv` (custom envs, then `_NAMESPACE`, `_SERVICE_ALIAS`, `_POD_IP`
 *   … from the downward API; worker/appm/conversion/version.go) and the one inner Service of `createInnerService`
 *   (named after the first port's k8s_service_name, every inner port as `<protocol>-<port>` → targetPort, selector
 *   `name=<alias>`, label service_type=inner; worker/appm/conversion/gateway.go).
 * Uses the system `tar`, as the region does.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- the model reads metadata.json as Go decodes it: loosely */

export interface ImportResult {
  /** metadata.json as decoded. */
  ram: any;
  /** Absolute paths of the `*.tar` files the import loaded. */
  loaded: string[];
  /** Image names in the node's store after loading. */
  images: string[];
}

export class ImportError extends Error {}

/** containerd's / docker's normalisation of a RepoTag, e.g. "alpine" → "docker.io/library/alpine:latest". */
function dockerRef(ref: string): string {
  const parts = ref.split('/');
  const domain = parts.length > 1 && /[.:]|^localhost$/.test(parts[0] ?? '') ? parts.shift() : 'docker.io';
  if (domain === 'docker.io' && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  return `${domain}/${/:[^/]+$/.test(path) || path.includes('@') ? path : `${path}:latest`}`;
}

/** GetFileList(dir, level) of rainbond-oam pkg/util/common.go. */
function getFileList(dir: string, level: number): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const isDir = statSync(p).isDirectory();
    if (!isDir && level <= 1) out.push(p);
    else if (level > 1 && isDir) out.push(...getFileList(p, level - 1));
  }
  return out;
}

/** The names containerd v1.5's Import gives the images of one archive; throws for a gzip or broken tar. */
function imageNamesOf(archive: string): string[] | 'unrecognized' {
  const members = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n');
  const read = (name: string): any => {
    if (!members.includes(name)) return undefined;
    return JSON.parse(execFileSync('tar', ['-xOf', archive, name], { encoding: 'utf8' }));
  };
  const layout = read('oci-layout');
  if (layout?.imageLayoutVersion) {
    const index = read('index.json');
    if (!index) throw new ImportError(`missing index.json in OCI layout ${archive}`);
    return (index.manifests ?? [])
      .map(
        (m: any) =>
          m.annotations?.['io.containerd.image.name'] || m.annotations?.['org.opencontainers.image.ref.name'],
      )
      .filter(Boolean);
  }
  const manifest = read('manifest.json');
  if (!manifest) return 'unrecognized';
  return manifest.flatMap((m: any) => (m.RepoTags ?? []).map(dockerRef));
}

/** Imports `pkg` (a .tar.gz); `nodeImages` are images the importing node already holds. */
export function importPackage(pkg: string, opts: { nodeImages?: string[] } = {}): ImportResult {
  const home = mkdtempSync(join(tmpdir(), 'rbd-import-'));
  try {
    execFileSync('tar', ['-xzf', pkg, '-C', home]);
    const first = readdirSync(home).sort()[0];
    if (!first) throw new ImportError(`Failed to read files in tmp dir ${home}`);
    const raw = readFileSync(join(home, first, 'metadata.json'));
    if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf)
      throw new ImportError('Failed to read meta file: BOM');
    const ram = JSON.parse(raw.toString('utf8'));
    if (!(ram.apps?.length > 0) && !(ram.k8s_resources?.length > 0))
      throw new ImportError('template is empty');
    const images = new Set((opts.nodeImages ?? []).map(dockerRef));
    const loaded: string[] = [];
    const dir = join(home, first);
    for (const f of [...getFileList(dir, 1), ...getFileList(dir, 2)]) {
      if (f.includes('plugin') && !(ram.plugins?.length > 0)) continue;
      if (!f.endsWith('.tar')) continue;
      const names = imageNamesOf(f);
      if (names === 'unrecognized') continue; // logged as a warning by the import, not an error
      for (const n of names) images.add(n);
      loaded.push(f.slice(home.length + 1));
    }
    for (const c of ram.apps ?? []) {
      if (!images.has(dockerRef(c.share_image)))
        throw new ImportError(`change image tag failure: No such image: ${c.share_image}`);
    }
    return { ram, loaded, images: [...images] };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export interface InstallResult {
  /** The RBDPlugin spec the console asks the region to create, or null without platform_plugin. */
  rbdplugin: {
    name: string;
    frontend_service: string;
    backend_service: string;
    plugin_views: string[];
  } | null;
  /** Objects the region creates from k8s_resources, as sent to the API server. */
  objects: any[];
  /** k8s_resources entries ignored (more than one object). */
  ignored: string[];
}

const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'Namespace',
  'RBDPlugin',
  'CustomResourceDefinition',
]);

/** Installs an imported template into a team whose Kubernetes namespace is `namespace`. */
export function installPlatformPlugin(ram: any, namespace: string): InstallResult {
  const addr = (port: any) =>
    `${port.k8s_service_name}.${namespace}.svc.cluster.local:${port.container_port}`;
  let rbdplugin: InstallResult['rbdplugin'] = null;
  const pp = ram.platform_plugin;
  if (pp?.is_platform_plugin) {
    const frontend = (ram.apps ?? []).find((a: any) => a.service_cname === pp.frontend_component);
    let frontendService = '';
    let backendService = '';
    const fp = frontend?.port_map_list?.[0];
    if (fp) {
      frontendService = addr(fp);
      if (pp.entry_path)
        frontendService = `${frontendService.replace(/\/+$/, '')}/${String(pp.entry_path).replace(/^\/+/, '')}`;
      const dep = (ram.apps ?? []).find(
        (a: any) => a.service_key === frontend.dep_service_map_list?.[0]?.dep_service_key,
      );
      const bp = dep?.port_map_list?.[0];
      backendService = bp ? addr(bp) : addr(fp);
    }
    const views = (pp.inject_position ?? []).filter((v: string) => v !== 'NoInject');
    rbdplugin = {
      name: pp.plugin_id,
      frontend_service: frontendService,
      backend_service: backendService,
      plugin_views: views,
    };
  }
  const objects: any[] = [];
  const ignored: string[] = [];
  for (const r of ram.k8s_resources ?? []) {
    const docs = parseAllDocuments(r.content).map((d) => d.toJS());
    if (docs.length > 1) {
      ignored.push(`${r.kind}/${r.name}`);
      continue;
    }
    const o = docs[0];
    if (!CLUSTER_SCOPED.has(o.kind)) o.metadata = { ...o.metadata, namespace };
    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      o.subjects = (o.subjects ?? []).filter((s: any) => s.namespace).map((s: any) => ({ ...s, namespace }));
    }
    objects.push(o);
  }
  return { rbdplugin, objects, ignored };
}

/** A pod env var as the region writes it: a value, or a downward-API field. */
export type PodEnvVar = { name: string; value: string } | { name: string; fieldPath: string };

export interface InstalledComponent {
  alias: string;
  /** The pod's labels the region sets (createLabels): name=<alias>, version. */
  podLabels: Record<string, string>;
  /** The main container's env, in order (a later entry with the same name wins in Kubernetes). */
  env: PodEnvVar[];
  /** The inner Service (null without ports). */
  innerService: {
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    spec: {
      selector: Record<string, string>;
      ports: { name: string; port: number; targetPort: number; protocol: string }[];
    };
  } | null;
}

/**
 * An env value as `_template_to_envs` stores it. From v6.9.4 (rainbond-console e0e44d698) `**None**` becomes
 * `make_uuid()[:8]` and `**None:<group>**` one `make_uuid()` (32 hex characters) per group and install
 * (new_components.py `_resolve_none_placeholder`, www/utils/crypt.py); before, both stay as written.
 */
function installedEnvValue(raw: string, fillsPlaceholders: boolean, groups: Map<string, string>): string {
  if (!fillsPlaceholders) return raw;
  const uuid = () => randomUUID().replace(/-/g, '');
  if (raw === '**None**') return uuid().slice(0, 8);
  if (raw.startsWith('**None:') && raw.endsWith('**')) {
    const group = raw.slice(7, -2);
    if (!groups.has(group)) groups.set(group, uuid());
    return groups.get(group)!;
  }
  return raw;
}

/** The component template `app` becomes in a team namespace, as its pod and inner Service see it. */
export function installedComponent(
  app: any,
  namespace: string,
  alias = 'gr1a2b3c',
  /** The installing console: placeholders are filled from v6.9.4 on. */
  console: { fillsPlaceholders: boolean } = { fillsPlaceholders: true },
): InstalledComponent {
  const tmplPorts: any[] = app.port_map_list ?? [];
  const k8sServiceName = tmplPorts[0]?.k8s_service_name || alias;
  const ports = tmplPorts.map((p) => ({
    containerPort: Number(p.container_port),
    protocol: ['tcp', 'udp', 'http'].includes(p.protocol) ? p.protocol : 'tcp',
    inner: true,
    k8sServiceName,
  }));
  const env: PodEnvVar[] = [];
  if (ports.length > 0) {
    const min = ports.reduce((a, b) => (b.containerPort < a.containerPort ? b : a));
    env.push({ name: '_PORT', value: String(min.containerPort) }, { name: '_PROTOCOL', value: min.protocol });
    env.push({ name: '_MONITOR_PORT', value: ports.map((p) => p.containerPort).join(':') });
  }
  const groups = new Map<string, string>();
  for (const e of app.service_env_map_list ?? []) {
    if (e.attr_name)
      env.push({
        name: String(e.attr_name).trim(),
        value: installedEnvValue(String(e.attr_value ?? ''), console.fillsPlaceholders, groups),
      });
  }
  env.push(
    { name: '_NAMESPACE', value: namespace },
    { name: '_TENANT_ID', value: 't'.repeat(32) },
    { name: '_SERVICE_ID', value: String(app.service_id) },
    { name: '_SERVICE_NAME', value: String(app.k8s_component_name || alias) },
    { name: '_SERVICE_ALIAS', value: alias },
    { name: '_SERVICE_POD_NUM', value: String(app.extend_method_map?.min_node ?? 1) },
    { name: '_HOST_IP', fieldPath: 'status.hostIP' },
    { name: '_POD_IP', fieldPath: 'status.podIP' },
    { name: '_POD_NAME', fieldPath: 'metadata.name' },
  );
  const inner = ports.filter((p) => p.inner);
  const innerService: InstalledComponent['innerService'] =
    inner.length === 0
      ? null
      : {
          metadata: {
            name: k8sServiceName,
            namespace,
            labels: { service_type: 'inner', name: `${alias}Service`, creator: 'Rainbond' },
          },
          spec: {
            selector: { name: alias },
            ports: inner.map((p) => ({
              name: `${p.protocol}-${p.containerPort}`,
              port: p.containerPort,
              targetPort: p.containerPort,
              protocol: p.protocol === 'udp' ? 'UDP' : 'TCP',
            })),
          },
        };
  return { alias, podLabels: { name: alias, version: '20260101000000' }, env, innerService };
}

/**
 * End-to-end checks of the install artefacts: plugin.yaml ↔ package.json, `npm run render` outputs against the
 * documented schemas (RBDPlugin CRD, RAM types), RBAC derived from READ_RESOURCES, the offline .tar.gz (read back
 * with the system tar and run through a model of Rainbond's import and install), Dockerfile.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { READ_RESOURCES } from '../../server/clients/cluster/resources';
import { ConfigSchema } from '../../server/config';
import { judgePluginEntry } from '../../server/features/overview/plugin-entry.mapping';
import { parseArgs, runCli } from '../../packaging/cli';
import { ramKeysNotIn } from '../fixtures/rainbond/ram-keys';
import { md5Hex } from '../../packaging/render-options';
import { RainbondApplicationConfigSchema } from '../../packaging/schemas/ram.schema';
import { RBDPluginSchema } from '../../packaging/schemas/rbdplugin.schema';
import { IMAGE_ARCHIVE_NAME } from '../../packaging/ram';
import { writeImageArchive } from '../fixtures/images/docker-save';
import { importPackage, installedComponent, installPlatformPlugin } from '../fakes/rainbond-import';
import { pickSelfService } from '../../server/clients/cluster/self-service';
import { loadConfig } from '../../server/config';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  version: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const pluginYaml = parse(read('plugin.yaml')) as { version: string; image: string; id: string };

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [k: string]: unknown;
};
const docsOf = (text: string): Obj[] =>
  parseAllDocuments(text).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Obj;
  });

let out: string;
const silent = { stdout: () => {}, stderr: () => {}, cwd: ROOT, mtime: Date.UTC(2026, 0, 1) };

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'cobs-render-'));
  await runCli(['all', '--out', out], silent);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('plugin.yaml', () => {
  it('has the same version as package.json', () => {
    expect(pluginYaml.version).toBe(pkg.version);
  });

  it('tags the image with that version', () => {
    expect(pluginYaml.image.endsWith(`:${pkg.version}`)).toBe(true);
  });

  it('is rendered by the npm script this document describes', () => {
    expect(pkg.scripts.render).toBe('tsx packaging/cli.ts');
  });
});

describe('render all', () => {
  it('writes every artefact', () => {
    expect(readdirSync(out).sort()).toEqual([
      'cilium-observability-0.1.0-ram',
      'cilium-observability-0.1.0-ram.tar.gz',
      'manifests.yaml',
      'rbac.yaml',
      'rbdplugin.yaml',
    ]);
  });

  it('renders an RBDPlugin that matches the CRD field names and types', () => {
    const [cr, ...rest] = docsOf(readFileSync(join(out, 'rbdplugin.yaml'), 'utf8'));
    expect(rest).toEqual([]);
    const parsed = RBDPluginSchema.parse(cr);
    expect(parsed.metadata.name).toBe(pluginYaml.id);
    expect(parsed.spec).toMatchObject({
      plugin_type: 'JSInject',
      plugin_views: ['Platform', 'Team'],
      frontend_service: 'cilium-observability.cilium-observability.svc.cluster.local:8080/static/main.js',
      backend_service: 'cilium-observability.cilium-observability.svc.cluster.local:8080',
    });
  });

  describe('manifests.yaml', () => {
    let objs: Obj[];
    const one = (kind: string) => {
      const found = objs.filter((o) => o.kind === kind);
      expect(found).toHaveLength(1);
      return found[0] as Obj & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    beforeAll(() => {
      objs = docsOf(readFileSync(join(out, 'manifests.yaml'), 'utf8'));
    });

    it('puts every namespaced object in the plugin namespace and nothing cluster-scoped in one', () => {
      const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'RBDPlugin']);
      for (const o of objs) {
        if (clusterScoped.has(o.kind)) expect(o.metadata.namespace, o.kind).toBeUndefined();
        else expect(o.metadata.namespace, o.kind).toBe('cilium-observability');
      }
    });

    it('includes the same RBDPlugin as rbdplugin.yaml', () => {
      expect(RBDPluginSchema.parse(one('RBDPlugin'))).toEqual(
        docsOf(readFileSync(join(out, 'rbdplugin.yaml'), 'utf8'))[0],
      );
    });

    it('grants every READ_RESOURCES entry at least its verbs, and nothing beyond get/list/watch', () => {
      const rules = one('ClusterRole').rules as {
        apiGroups: string[];
        resources: string[];
        verbs: string[];
      }[];
      expect(READ_RESOURCES.length).toBeGreaterThan(0);
      for (const w of READ_RESOURCES) {
        const granted = new Set(
          rules
            .filter((r) => r.apiGroups.includes(w.group) && r.resources.includes(w.resource))
            .flatMap((r) => r.verbs),
        );
        for (const verb of w.verbs) expect(granted.has(verb), `${w.group}/${w.resource} ${verb}`).toBe(true);
      }
      for (const r of rules) {
        expect(
          r.verbs.every((v) => ['get', 'list', 'watch'].includes(v)),
          JSON.stringify(r),
        ).toBe(true);
        expect(r.resources.concat(r.apiGroups)).not.toContain('*');
        // No resource the code does not read.
        for (const resource of r.resources) {
          expect(READ_RESOURCES.some((w) => r.apiGroups.includes(w.group) && w.resource === resource)).toBe(
            true,
          );
        }
      }
    });

    it('binds the ClusterRole to the ServiceAccount the Deployment runs as', () => {
      const binding = one('ClusterRoleBinding');
      const sa = one('ServiceAccount');
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: one('ClusterRole').metadata.name,
      });
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace },
      ]);
      expect(one('Deployment').spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    });

    it('runs the container locked down: non-root, read-only root, no privilege escalation, all capabilities dropped', () => {
      const pod = one('Deployment').spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      const [c, ...others] = pod.containers;
      expect(others).toEqual([]);
      expect(c.securityContext).toEqual({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      // Read-only root needs a writable /tmp (tsx cache).
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(c.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    });

    it('probes /healthz (liveness) and /readyz (readiness) on the http port, env from the ConfigMap', () => {
      const c = one('Deployment').spec.template.spec.containers[0];
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.ports).toEqual([
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'gateway', containerPort: 8081, protocol: 'TCP' },
      ]);
      expect(c.envFrom).toEqual([{ configMapRef: { name: one('ConfigMap').metadata.name } }]);
      expect(one('ConfigMap').data).toMatchObject({
        RAINBOND_CONSOLE_URL: 'http://rbd-app-ui.rbd-system:7070',
      });
    });

    it('exposes port 8080 named http first and the gateway 8081 second on a Service that selects the Deployment pods', () => {
      const svc = one('Service');
      expect(svc.spec.ports).toEqual([
        { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
        { name: 'gateway', port: 8081, targetPort: 'gateway', protocol: 'TCP' },
      ]);
      expect(one('Deployment').spec.template.metadata.labels).toMatchObject(svc.spec.selector);
      expect(svc.metadata.name).toBe('cilium-observability');
    });
  });

  describe('RAM package', () => {
    it('has a metadata.json valid against the rainbond-oam types, with its md5 beside it', () => {
      const dir = join(out, 'cilium-observability-0.1.0-ram');
      const json = readFileSync(join(dir, 'metadata.json'), 'utf8');
      const template = RainbondApplicationConfigSchema.parse(JSON.parse(json));
      expect(template.group_version).toBe(pkg.version);
      expect(template.apps).toHaveLength(1);
      expect(template.apps[0]?.share_image).toBe(pluginYaml.image);
      expect(readFileSync(join(dir, 'metadata.json.md5'), 'utf8')).toBe(`${md5Hex(json)}  metadata.json\n`);
    });

    it('tar.gz holds the top folder, metadata.json and metadata.json.md5 (no image archive without --image-archive)', () => {
      const tarGz = join(out, 'cilium-observability-0.1.0-ram.tar.gz');
      expect(systemTar(['-tzf', tarGz])).toEqual([
        'cilium-observability-0.1.0-ram/',
        'cilium-observability-0.1.0-ram/metadata.json',
        'cilium-observability-0.1.0-ram/metadata.json.md5',
      ]);
      const json = execFileSync('tar', ['-xzOf', tarGz, 'cilium-observability-0.1.0-ram/metadata.json'], {
        encoding: 'utf8',
      });
      const md5 = execFileSync('tar', ['-xzOf', tarGz, 'cilium-observability-0.1.0-ram/metadata.json.md5'], {
        encoding: 'utf8',
      });
      expect(md5).toBe(`${md5Hex(json)}  metadata.json\n`);
      expect(() => RainbondApplicationConfigSchema.parse(JSON.parse(json))).not.toThrow();
      expect(json).toBe(readFileSync(join(out, 'cilium-observability-0.1.0-ram', 'metadata.json'), 'utf8'));
    });
  });
});

const systemTar = (args: string[]) =>
  execFileSync('tar', args, { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l !== '');

describe('RAM package with an image archive (ram --tar --image-archive)', () => {
  const image = pluginYaml.image;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cobs-ram-image-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const render = async (name: string, extra: string[]) => {
    const lines: string[] = [];
    const outDir = join(dir, name);
    await runCli(['ram', '--tar', '--out', outDir, ...extra], { ...silent, stderr: (l) => lines.push(l) });
    return { outDir, lines, tarGz: join(outDir, 'cilium-observability-0.1.0-ram.tar.gz') };
  };

  it('puts a docker save archive where the import loads it, as component-images.tar', async () => {
    const archive = join(dir, 'image.tar');
    await writeImageArchive(archive, { repoTags: [image] });
    const { tarGz, lines } = await render('with', ['--image-archive', archive]);
    expect(systemTar(['-tzf', tarGz])).toEqual([
      'cilium-observability-0.1.0-ram/',
      'cilium-observability-0.1.0-ram/metadata.json',
      'cilium-observability-0.1.0-ram/metadata.json.md5',
      `cilium-observability-0.1.0-ram/${IMAGE_ARCHIVE_NAME}`,
    ]);
    // Byte for byte the archive given, and its manifest.json names the template's share_image.
    const inner = execFileSync('tar', [
      '-xzOf',
      tarGz,
      `cilium-observability-0.1.0-ram/${IMAGE_ARCHIVE_NAME}`,
    ]);
    expect(inner.equals(readFileSync(archive))).toBe(true);
    const extracted = join(dir, 'extracted');
    execFileSync('mkdir', ['-p', extracted]);
    execFileSync('tar', ['-xzf', tarGz, '-C', extracted]);
    const manifest = JSON.parse(
      execFileSync(
        'tar',
        ['-xOf', join(extracted, 'cilium-observability-0.1.0-ram', IMAGE_ARCHIVE_NAME), 'manifest.json'],
        {
          encoding: 'utf8',
        },
      ),
    ) as { RepoTags: string[] }[];
    const template = JSON.parse(
      readFileSync(join(extracted, 'cilium-observability-0.1.0-ram', 'metadata.json'), 'utf8'),
    ) as { apps: { share_image: string }[] };
    expect(manifest[0]?.RepoTags).toContain(template.apps[0]?.share_image);
    expect(lines.join('\n')).toMatch(/image: .* found in .*image\.tar \(docker\)/);
    expect(lines.join('\n')).not.toMatch(/notice: no --image-archive/);

    // The import model finds it (level 1 inside the package folder) and re-tags share_image on a node without it.
    const imported = importPackage(tarGz, { nodeImages: [] });
    expect(imported.loaded).toEqual([`cilium-observability-0.1.0-ram/${IMAGE_ARCHIVE_NAME}`]);
    expect(imported.images).toContain(image);
  });

  it('takes a Docker 25+ save (OCI layout + manifest.json) and decompresses a gzipped one', async () => {
    const archive = join(dir, 'image-oci.tar.gz');
    await writeImageArchive(archive, { repoTags: [image], format: 'docker-oci', gzip: true });
    const { tarGz, lines } = await render('oci', ['--image-archive', archive]);
    expect(lines.join('\n')).toMatch(/\(docker\+oci, decompressed\)/);
    expect(importPackage(tarGz).images).toContain(image);
  });

  it('refuses an archive without the share_image tag, and writes no package', async () => {
    const archive = join(dir, 'wrong.tar');
    await writeImageArchive(archive, { repoTags: ['registry.example.com/other/cilium-observability:0.1.0'] });
    await expect(render('wrong', ['--image-archive', archive])).rejects.toThrow(
      /does not hold registry\.cn-hangzhou\.aliyuncs\.com\/goodrain\/cilium-observability:0\.1\.0: containerd would import it as registry\.example\.com\/other\/cilium-observability:0\.1\.0/,
    );
    expect(existsSync(join(dir, 'wrong'))).toBe(false);
  });

  it('says plainly, without --image-archive, that the import needs the image on the cluster', async () => {
    const { tarGz, lines } = await render('without', []);
    expect(lines.join('\n')).toContain(
      `notice: no --image-archive: this package carries no image, so its offline import only works on a cluster whose importing node (rbd-chaos) already holds ${image}`,
    );
    expect(() => importPackage(tarGz)).toThrow(/No such image/);
    expect(importPackage(tarGz, { nodeImages: [image] }).loaded).toEqual([]);
  });

  it('checks --image-archive only with the ram and all targets', () => {
    expect(() => parseArgs(['manifests', '--image-archive', 'x.tar'])).toThrow(
      /only applies to the ram and all/,
    );
  });
});

describe('RAM template as Rainbond reads and installs it', () => {
  type Template = ReturnType<typeof RainbondApplicationConfigSchema.parse>;
  let template: Template;
  beforeAll(() => {
    template = RainbondApplicationConfigSchema.parse(
      JSON.parse(readFileSync(join(out, 'cilium-observability-0.1.0-ram', 'metadata.json'), 'utf8')),
    );
  });

  it('renders only keys rainbond-oam decodes (json tags of types.go), so nothing is dropped on import', () => {
    expect(ramKeysNotIn(template)).toEqual([]);
    const planted = { ...template, apps: [{ ...template.apps[0], backend_component: 'x' }] };
    expect(ramKeysNotIn(planted)).toEqual(['apps[0].backend_component']);
    expect(JSON.stringify(template)).not.toMatch(/backend_component/);
  });

  it('keeps the HTTP port first: the console takes the first port for frontend_service and backend_service', () => {
    const first = template.apps[0]?.port_map_list[0];
    expect(first).toMatchObject({
      container_port: 8080,
      protocol: 'http',
      k8s_service_name: 'cilium-observability',
    });
  });

  /** Kubernetes keeps the last of two same-named entries; downward-API fields get a value in the pod. */
  const podEnv = (c: ReturnType<typeof installedComponent>) => {
    const env: Record<string, string> = {};
    for (const e of c.env)
      env[e.name] = 'value' in e ? e.value : e.fieldPath === 'status.podIP' ? '10.0.3.7' : 'x';
    return env;
  };

  it('carries no secret: each install by a v6.9.4+ console draws its own SESSION_SECRET; an older one leaves it unset', () => {
    const entry = template.apps[0]?.service_env_map_list.find(
      (e: { attr_name: string }) => e.attr_name === 'SESSION_SECRET',
    );
    expect(entry?.attr_value).toMatch(/^\*\*None:[a-z_]+\*\*$/);
    const a = loadConfig(podEnv(installedComponent(template.apps[0], 'dev-team-x1', 'gr5f1a2b')));
    const b = loadConfig(podEnv(installedComponent(template.apps[0], 'shop-x2', 'gr7c8d9e')));
    expect(Buffer.byteLength(a.SESSION_SECRET ?? '')).toBeGreaterThanOrEqual(32);
    expect(b.SESSION_SECRET).not.toBe(a.SESSION_SECRET);
    const old = installedComponent(template.apps[0], 'dev-team-x1', 'gr5f1a2b', { fillsPlaceholders: false });
    expect(podEnv(old).SESSION_SECRET).toMatch(/^\*\*None:/);
    expect(loadConfig(podEnv(old)).SESSION_SECRET).toBeUndefined();
  });

  it('runs as a pod whose env the backend accepts, and finds its own inner Service with the gateway port', () => {
    const app = template.apps[0];
    const c = installedComponent(app, 'dev-team-x1', 'gr5f1a2b');
    const config = loadConfig(podEnv(c));
    expect(config).toMatchObject({ PORT: 8080, GATEWAY_PORT: 8081, _NAMESPACE: 'dev-team-x1' });
    expect(config._SERVICE_ALIAS).toBe('gr5f1a2b');
    expect(config._POD_IP).toBe('10.0.3.7');
    expect(config.SELF_SERVICE).toBeUndefined();
    // The one inner Service carries both ports, the API's first (the RBDPlugin points there) and the gateway's.
    expect(c.innerService?.spec.ports.map((p) => p.port)).toEqual([8080, 8081]);
    expect(installPlatformPlugin(template, 'dev-team-x1').rbdplugin?.backend_service).toBe(
      `${c.innerService?.metadata.name}.dev-team-x1.svc.cluster.local:8080`,
    );
    // What self-service.ts discovers from _NAMESPACE and _SERVICE_ALIAS (as wiring.ts passes them).
    const svc = c.innerService!;
    const found = pickSelfService(
      [{ ...svc.metadata, selector: svc.spec.selector, ports: svc.spec.ports }],
      { name: config._SERVICE_ALIAS! },
      config.GATEWAY_PORT,
    );
    expect(found).toEqual({ namespace: 'dev-team-x1', name: 'cilium-observability', port: 8081 });
  });

  it('holds one YAML document per k8s_resources entry, ClusterRole and ClusterRoleBinding apart', () => {
    for (const r of template.k8s_resources ?? []) {
      expect(parseAllDocuments(r.content), `${r.kind}/${r.name}`).toHaveLength(1);
    }
    expect(template.k8s_resources?.map((r) => r.kind)).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
    ]);
  });

  it('installs in any team: binding subject rewritten to the team namespace, plugin entry at the first port', () => {
    const installed = installPlatformPlugin(template, 'dev-team-x1');
    expect(installed.ignored).toEqual([]);
    const binding = installed.objects.find((o: { kind: string }) => o.kind === 'ClusterRoleBinding');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'cilium-observability', namespace: 'dev-team-x1' },
    ]);
    const sa = installed.objects.find((o: { kind: string }) => o.kind === 'ServiceAccount');
    expect(sa.metadata.namespace).toBe('dev-team-x1');
    expect(
      installed.objects.find((o: { kind: string }) => o.kind === 'ClusterRole').metadata.namespace,
    ).toBeUndefined();
    expect(installed.rbdplugin).toEqual({
      name: 'cilium-observability',
      frontend_service: 'cilium-observability.dev-team-x1.svc.cluster.local:8080/static/main.js',
      backend_service: 'cilium-observability.dev-team-x1.svc.cluster.local:8080',
      plugin_views: ['Platform', 'Team'],
    });
    // What the backend's self-check says of that entry, running in that team on the rendered PORT.
    const env = template.apps[0]?.service_env_map_list ?? [];
    const port = Number(env.find((e) => e.attr_name === 'PORT')?.attr_value);
    const entry = installed.rbdplugin;
    if (!entry) throw new Error('no RBDPlugin');
    const verdict = judgePluginEntry(
      {
        kind: 'found',
        plugin: {
          name: entry.name,
          labels: {},
          frontendService: entry.frontend_service,
          backendService: entry.backend_service,
          frontendComponent: 'cilium-observability',
        },
      },
      { pluginId: pluginYaml.id, namespace: 'dev-team-x1', port, bundlePath: '/static/main.js' },
    );
    expect(verdict).toMatchObject({ state: 'ok', hostChecked: true });
  });
});

describe('render CLI (subprocess)', () => {
  const run = promisify(execFile);
  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  const cli = join(ROOT, 'packaging/cli.ts');

  it('prints manifests to stdout as multi-document YAML', async () => {
    const { stdout } = await run(tsx, [cli, 'manifests', '--namespace', 'obs', '--no-namespace'], {
      cwd: ROOT,
    });
    const kinds = docsOf(stdout).map((o) => o.kind);
    expect(kinds).not.toContain('Namespace');
    expect(kinds).toContain('RBDPlugin');
    expect(stdout).toContain('cilium-observability.obs.svc.cluster.local:8080/static/main.js');
  });

  it('exits 1 naming the bad field of an invalid plugin.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cobs-bad-'));
    try {
      writeFileSync(join(dir, 'plugin.yaml'), read('plugin.yaml').replace('port: 8080', 'port: 0'));
      const err = await run(tsx, [cli, 'rbdplugin'], { cwd: dir }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).toBe(1);
      expect(err?.stderr).toContain('plugin.yaml: frontend.port: expected an integer 1–65535');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with usage on an unknown target', async () => {
    const err = await run(tsx, [cli, 'helm'], { cwd: ROOT }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/unknown target "helm"[\s\S]*usage: npm run render/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const lines = dockerfile
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('is a node:20-slim multi-stage build: npm ci + build:web, then production deps only', () => {
    expect(stages).toHaveLength(2);
    expect(stages.every((s) => s.startsWith('node:20-slim'))).toBe(true);
    expect(stages[0]).toMatch(/RUN npm ci\b/);
    expect(stages[0]).toMatch(/RUN npm run build:web/);
    expect(stages[1]).toMatch(/RUN npm ci --omit=dev/);
    expect(stages[1]).not.toMatch(/build:web|npm install/);
  });

  it('copies only files that exist (web/dist/main.js comes from the build stage)', () => {
    const copies = lines.filter((l) => l.startsWith('COPY') && !l.includes('--from='));
    for (const line of copies) {
      const parts = line.split(/\s+/).slice(1);
      for (const src of parts.slice(0, -1)) {
        if (src === '.') continue;
        expect(existsSync(join(ROOT, src)), `${line}: ${src}`).toBe(true);
      }
    }
    expect(dockerfile).toContain('COPY --from=build /app/web/dist/main.js ./web/dist/main.js');
    // vite writes exactly that file (web/vite.config.ts).
    const vite = read('web/vite.config.ts');
    expect(vite).toContain("entryFileNames: 'main.js'");
    expect(vite).toContain("new URL('./dist', import.meta.url)");
  });

  it('runs as the non-root user node with tsx from production dependencies, no HEALTHCHECK', () => {
    const users = lines.filter((l) => l.startsWith('USER '));
    expect(users.at(-1)).toBe('USER node');
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    expect(lines.at(-1)).toBe('CMD ["node_modules/.bin/tsx", "server/main.ts"]');
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it('starts server/main.ts, which exists', () => {
    expect(existsSync(join(ROOT, 'server/main.ts'))).toBe(true);
  });

  it('copies a server that imports nothing outside server/ and contract/ (the image has only those)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(join(ROOT, 'server'));
    const outside: string[] = [];
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(
        /from\s+'(\.{1,2}\/[^']+)'|import\('(\.{1,2}\/[^']+)'\)/g,
      )) {
        const spec = m[1] ?? m[2] ?? '';
        const target = relative(ROOT, resolve(dirname(file), spec));
        if (!/^(server|contract)(\/|$)/.test(target)) outside.push(`${relative(ROOT, file)} → ${spec}`);
      }
      // main.ts may name the sandbox (test/), loaded with import() only when no console is configured.
      for (const m of readFileSync(file, 'utf8').matchAll(/import\(\s*([A-Za-z_]\w*)\s*\)/g)) {
        const name = m[1] ?? '';
        const decl = new RegExp(`const ${name} = '([^']+)'`).exec(readFileSync(file, 'utf8'));
        if (relative(ROOT, file) !== 'server/main.ts' || decl?.[1] !== '../test/sandbox/sandbox') {
          outside.push(`${relative(ROOT, file)} → import(${name})`);
        }
      }
    }
    expect(outside).toEqual([]);
  });

  it('keeps local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const p of ['node_modules', '.git', 'dist', 'web/dist']) expect(ignored).toContain(p);
  });
});

describe('README.md (install, configuration)', () => {
  const doc = read('README.md');

  it('leaves nothing [unverified] in the install section', () => {
    const install = doc.slice(doc.indexOf('## 安装 / Install'), doc.indexOf('## API'));
    expect(install).not.toMatch(/unverified/i);
  });

  it('documents every environment variable server/config.ts reads', () => {
    const rows = new Set([...doc.matchAll(/^\| `([A-Z_][A-Z0-9_]*)` +\|/gm)].map((m) => m[1]));
    const missing = Object.keys(ConfigSchema.shape).filter((name) => !rows.has(name));
    expect(missing).toEqual([]);
  });

  it('shows the three install paths with their commands (path A with the image in the package)', () => {
    expect(doc).toContain('npm run render -- ram --tar');
    expect(doc).toContain('docker save "$IMAGE" -o cilium-observability-image.tar');
    expect(doc).toContain('--image-archive cilium-observability-image.tar');
    expect(doc).toContain('npm run render -- manifests --image "$IMAGE" | kubectl apply -f -');
    expect(doc).toContain('npm start');
  });
});

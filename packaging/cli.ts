/**
 * `npm run render -- <target> [options]`: renders install artefacts from plugin.yaml.
 *   rbdplugin   the cluster-scoped RBDPlugin resource
 *   manifests   Namespace, RBAC, ConfigMap, Deployment, Service and the RBDPlugin (multi-document YAML)
 *   rbac        ServiceAccount, ClusterRole, ClusterRoleBinding only (manual fallback for RAM installs)
 *   ram         app-market template directory (metadata.json + .md5); --tar adds <id>-<version>-ram.tar.gz;
 *               --image-archive FILE puts a `docker save` archive of the image in as component-images.tar
 *   all         everything into --out (default dist/deploy)
 * Options: --out <dir>, --tar, --image-archive <file>, --namespace <ns>, --image <ref>, --locale zh-CN|en,
 *          --no-namespace, --manifest <path to plugin.yaml> (default ./plugin.yaml), --region <name>
 *          (RAINBOND_REGION), --session-secret-file <file> (SESSION_SECRET kept in that file: read when it
 *          exists, else generated and written there; without it every render generates a new one).
 * YAML targets print to stdout unless --out is given.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { READ_RESOURCES, type WatchedResource } from '../server/clients/cluster/resources';
import { invalidInput, isAppError } from '../server/errors';
import { renderManifests } from './manifests';
import { loadPluginManifest } from './plugin-manifest';
import { ramPackage, renderRamTemplate } from './ram';
import { writeRamPackage } from './ram-package';
import { renderRbac } from './rbac';
import { renderRBDPlugin } from './rbdplugin';
import { defaultRenderOptions, newSessionSecret, toYamlStream, type RenderOptions } from './render-options';

export const TARGETS = ['rbdplugin', 'manifests', 'rbac', 'ram', 'all'] as const;
export type Target = (typeof TARGETS)[number];

export interface CliArgs {
  target: Target;
  out?: string;
  tar: boolean;
  /** A `docker save` / OCI archive of the plugin image to put into the RAM package. */
  imageArchive?: string;
  manifest: string;
  /** Where SESSION_SECRET is kept between renders: read when the file exists, else generated and written. */
  sessionSecretFile?: string;
  overrides: Partial<RenderOptions>;
}

export const USAGE =
  'usage: npm run render -- <rbdplugin|manifests|rbac|ram|all> [--out dir] [--tar] [--image-archive file] ' +
  '[--namespace ns] [--image ref] [--locale zh-CN|en] [--no-namespace] [--manifest plugin.yaml] ' +
  '[--region name] [--session-secret-file file]';

/** Parses argv (without node and script), e.g. ["ram", "--tar", "--out", "dist"]. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const args = [...argv];
  const target = args.shift();
  if (!target || !(TARGETS as readonly string[]).includes(target)) {
    throw invalidInput(`unknown target "${target ?? ''}"\n${USAGE}`);
  }
  const out: CliArgs = { target: target as Target, tar: false, manifest: 'plugin.yaml', overrides: {} };
  const value = (flag: string) => {
    const v = args.shift();
    if (v === undefined || v.startsWith('--')) throw invalidInput(`${flag} needs a value\n${USAGE}`);
    return v;
  };
  while (args.length > 0) {
    const flag = args.shift() as string;
    switch (flag) {
      case '--out':
        out.out = value(flag);
        break;
      case '--tar':
        out.tar = true;
        break;
      case '--image-archive':
        out.imageArchive = value(flag);
        break;
      case '--manifest':
        out.manifest = value(flag);
        break;
      case '--namespace':
        out.overrides.namespace = value(flag);
        break;
      case '--image':
        out.overrides.image = value(flag);
        break;
      case '--locale': {
        const v = value(flag);
        if (v !== 'zh-CN' && v !== 'en') throw invalidInput(`--locale: expected zh-CN or en, got "${v}"`);
        out.overrides.locale = v;
        break;
      }
      case '--no-namespace':
        out.overrides.createNamespace = false;
        break;
      case '--region':
        out.overrides.region = value(flag);
        break;
      case '--session-secret-file':
        out.sessionSecretFile = value(flag);
        break;
      default:
        throw invalidInput(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  if (out.imageArchive && out.target !== 'ram' && out.target !== 'all')
    throw invalidInput(`--image-archive only applies to the ram and all targets\n${USAGE}`);
  return out;
}

export interface CliIo {
  /** Where YAML goes without --out. */
  stdout: (s: string) => void;
  /** Progress lines ("wrote …"). */
  stderr: (s: string) => void;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Resources the ClusterRole is derived from, default READ_RESOURCES (tests may pass a different list). */
  resources?: readonly WatchedResource[];
  /** Tar entry mtime in ms (reproducible output in tests). */
  mtime?: number;
}

/** Runs one render; returns the files written (absolute paths). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<string[]> {
  const args = parseArgs(argv);
  const manifest = await loadPluginManifest(resolve(io.cwd, args.manifest)).catch((e: unknown) => {
    // Name the file as the user wrote it, e.g. "plugin.yaml: frontend.port: …".
    if (isAppError(e))
      throw invalidInput(e.message.replace(resolve(io.cwd, args.manifest), args.manifest), e.details);
    throw e;
  });
  // the RAM template carries the console's placeholder, never a secret: only the manifests hold one
  const carriesSecret = args.target === 'manifests' || args.target === 'all';
  const sessionSecret =
    args.sessionSecretFile === undefined || !carriesSecret
      ? undefined
      : await keptSessionSecret(resolve(io.cwd, args.sessionSecretFile), io.stderr);
  const opts = defaultRenderOptions(manifest, { ...args.overrides, sessionSecret });
  if (carriesSecret && sessionSecret === undefined)
    io.stderr(
      'notice: generated a new SESSION_SECRET for this render: applying it replaces the one in the cluster and ' +
        'signs everyone out of the protected tools; pass --session-secret-file FILE to keep one across renders',
    );
  const resources = io.resources ?? READ_RESOURCES;
  const header = (what: string) =>
    `${what} of ${manifest.id} ${manifest.version}, rendered from plugin.yaml by \`npm run render\`; do not edit.`;
  const outDir = args.out ?? (args.target === 'ram' || args.target === 'all' ? 'dist/deploy' : undefined);
  const written: string[] = [];
  const write = async (name: string, data: string | Buffer) => {
    const file = resolve(io.cwd, outDir as string, name);
    await mkdir(resolve(file, '..'), { recursive: true });
    await writeFile(file, data);
    written.push(file);
    io.stderr(`wrote ${file}`);
  };
  const emitYaml = async (name: string, yamlText: string) => {
    if (outDir === undefined) io.stdout(yamlText);
    else await write(name, yamlText);
  };

  const yamlTargets: Record<'rbdplugin' | 'manifests' | 'rbac', () => string> = {
    rbdplugin: () => toYamlStream([renderRBDPlugin(manifest, opts)], header('RBDPlugin')),
    manifests: () => toYamlStream(renderManifests(manifest, opts, resources), header('Kubernetes manifests')),
    rbac: () => toYamlStream(renderRbac(manifest, opts, resources), header('RBAC')),
  };
  const ram = async () => {
    const template = renderRamTemplate(manifest, opts, resources);
    const files = await writeRamPackage({
      outDir: resolve(io.cwd, outDir as string),
      layout: ramPackage(manifest, template),
      tar: args.tar || args.target === 'all',
      imageArchive: args.imageArchive && resolve(io.cwd, args.imageArchive),
      shareImage: opts.image,
      arch: template.apps[0]?.arch,
      mtime: io.mtime,
      log: io.stderr,
    });
    written.push(...files);
  };

  switch (args.target) {
    case 'rbdplugin':
    case 'manifests':
    case 'rbac':
      await emitYaml(`${args.target}.yaml`, yamlTargets[args.target]());
      break;
    case 'ram':
      await ram();
      break;
    case 'all':
      for (const t of ['rbdplugin', 'manifests', 'rbac'] as const)
        await emitYaml(`${t}.yaml`, yamlTargets[t]());
      await ram();
      break;
  }
  return written;
}

/**
 * SESSION_SECRET kept in `file` (e.g. outside git, next to your kubeconfig): its content (one line) when the file
 * exists, else a new secret written there (mode 0600, never overwritten), so re-renders keep the same secret.
 */
async function keptSessionSecret(file: string, log: (s: string) => void): Promise<string> {
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (Buffer.byteLength(kept) < 32)
      throw invalidInput(
        `--session-secret-file ${file}: expected at least 32 bytes, e.g. \`openssl rand -base64 48\``,
      );
    return kept;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (isAppError(e)) throw e;
      throw invalidInput(`--session-secret-file ${file}: cannot read (${(e as NodeJS.ErrnoException).code})`);
    }
  }
  const secret = newSessionSecret();
  await mkdir(resolve(file, '..'), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  log(`wrote ${file} (a new SESSION_SECRET; later renders with --session-secret-file read it)`);
  return secret;
}

/** Entry point: `tsx packaging/cli.ts …`. */
async function main(): Promise<void> {
  try {
    await runCli(process.argv.slice(2), {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(`${s}\n`),
      cwd: process.cwd(),
    });
  } catch (e) {
    process.stderr.write(`render: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}

/**
 * Reads an image archive (`docker save` output, or an OCI image layout as a tar) and predicts the names the
 * region's offline import gives its images, so a package whose image the import would not find is refused here.
 * What the import does with each `*.tar` of the package: rainbond-oam pkg/localimport/import.go loads it with
 * containerd's client.Import (namespace k8s.io) or `docker load`, then re-tags each component's `share_image`.
 * containerd (images/archive/importer.go, the v1.5 the region builds with) reads a plain tar — no gzip — and names
 * the images from `index.json` annotations as written when the tar has `oci-layout`, else from `manifest.json`
 * RepoTags, normalised (alpine → docker.io/library/alpine:latest).
 */
import { open } from 'node:fs/promises';
import { list } from 'tar';
import { invalidInput } from '../server/errors';

export interface ImageArchiveInfo {
  /** Which loaders can read it: "docker" (manifest.json), "oci" (oci-layout + index.json), or both. */
  format: 'docker' | 'oci' | 'docker+oci';
  /** The file is gzip-compressed (the import cannot load that as is). */
  gzip: boolean;
  /** Names containerd gives the images on import, e.g. ["docker.io/library/nginx:1.27"]. */
  containerdNames: string[];
  /** Names `docker load` gives them (RepoTags, normalised); null without manifest.json. */
  dockerNames: string[] | null;
  /** Image config architectures found, e.g. ["amd64"]. */
  architectures: string[];
}

/** Docker's reference normalisation (ParseDockerRef), e.g. "goodrain/app" → "docker.io/goodrain/app:latest". */
export function normalizeImageRef(ref: string): string {
  let name = ref.trim();
  let digest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at);
    name = name.slice(0, at);
  }
  let tag = '';
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon);
    name = name.slice(0, colon);
  }
  const first = name.split('/')[0] ?? '';
  const hasDomain =
    name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) name = `docker.io/${name}`;
  else if (first === 'index.docker.io') name = `docker.io/${name.slice(first.length + 1)}`;
  if (name.startsWith('docker.io/') && name.split('/').length === 2)
    name = `docker.io/library/${name.slice('docker.io/'.length)}`;
  // With a digest the tag is dropped, as ParseDockerRef does.
  if (digest) return `${name}${digest}`;
  return `${name}${tag || ':latest'}`;
}

/** Small entries are kept in memory (manifests, index, configs); layers are skipped. */
const MAX_JSON_BYTES = 1024 * 1024;
const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name';
const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';

interface DockerManifestEntry {
  Config?: string;
  RepoTags?: string[] | null;
}
interface OciIndex {
  manifests?: { digest?: string; annotations?: Record<string, string> }[];
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

const parseJson = <T>(data: Buffer | undefined): T | undefined => {
  if (!data) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch {
    return undefined;
  }
};

/** Lists the archive once and reads its small JSON members. Throws INVALID_INPUT when it is no image archive. */
export async function readImageArchive(file: string): Promise<ImageArchiveInfo> {
  const gzip = await isGzip(file).catch((e: unknown) => {
    throw invalidInput(`--image-archive: cannot read ${file}: ${(e as Error).message}`);
  });
  const small = new Map<string, Buffer>();
  let entries = 0;
  await list({
    file,
    strict: true,
    onReadEntry: (entry) => {
      entries += 1;
      const path = entry.path.replace(/^\.\//, '');
      if (entry.type !== 'File' || (entry.size ?? 0) > MAX_JSON_BYTES) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => small.set(path, Buffer.concat(chunks)));
    },
  }).catch((e: unknown) => {
    throw invalidInput(`--image-archive: ${file} is not a tar archive (${(e as Error).message})`);
  });
  if (entries === 0) throw invalidInput(`--image-archive: ${file} is not a tar archive (no entries)`);

  const manifest = parseJson<DockerManifestEntry[]>(small.get('manifest.json'));
  const layout = parseJson<{ imageLayoutVersion?: string }>(small.get('oci-layout'));
  const index = parseJson<OciIndex>(small.get('index.json'));
  const isOci = typeof layout?.imageLayoutVersion === 'string' && layout.imageLayoutVersion !== '';
  if (!isOci && !Array.isArray(manifest)) {
    throw invalidInput(
      `--image-archive: ${file} is not an image archive: it has neither manifest.json (docker save) nor oci-layout + index.json (OCI)`,
    );
  }
  if (isOci && !index) throw invalidInput(`--image-archive: ${file}: OCI layout without index.json`);

  const dockerNames = Array.isArray(manifest)
    ? manifest.flatMap((m) => (m.RepoTags ?? []).map(normalizeImageRef))
    : null;
  const containerdNames = isOci
    ? (index?.manifests ?? []).flatMap((m) => {
        const name = m.annotations?.[ANNOTATION_IMAGE_NAME] || m.annotations?.[ANNOTATION_REF_NAME];
        return name ? [name] : [];
      })
    : (dockerNames ?? []);

  const configs = Array.isArray(manifest)
    ? manifest.map((m) => (m.Config ? small.get(m.Config) : undefined))
    : (index?.manifests ?? []).map((m) => {
        const mf = parseJson<{ config?: { digest?: string } }>(blob(small, m.digest));
        return blob(small, mf?.config?.digest);
      });
  const architectures = [
    ...new Set(configs.flatMap((c) => parseJson<{ architecture?: string }>(c)?.architecture ?? [])),
  ];

  return {
    format: isOci && dockerNames ? 'docker+oci' : isOci ? 'oci' : 'docker',
    gzip,
    containerdNames: [...new Set(containerdNames)],
    dockerNames: dockerNames ? [...new Set(dockerNames)] : null,
    architectures,
  };
}

/** An OCI blob by digest, e.g. "sha256:ab…" → blobs/sha256/ab…. */
function blob(small: Map<string, Buffer>, digest: string | undefined): Buffer | undefined {
  if (!digest) return undefined;
  const [alg, hex] = digest.split(':');
  return small.get(`blobs/${alg}/${hex}`);
}

export interface ImageArchiveCheck extends ImageArchiveInfo {
  /** Not fatal, e.g. an arm64 image for an amd64 template. */
  warnings: string[];
}

/**
 * Checks that importing `file` yields `image` (the template's share_image) under every loader that would read it;
 * throws INVALID_INPUT naming what the archive holds and the command that makes a right one.
 */
export async function checkImageArchive(
  file: string,
  image: string,
  opts: { arch?: string } = {},
): Promise<ImageArchiveCheck> {
  const info = await readImageArchive(file);
  const want = normalizeImageRef(image);
  const fix = `make it with \`docker save ${image} -o ${file}\` (or pass --image with a name the archive holds)`;
  const holds = (names: readonly string[]) => (names.length ? names.join(', ') : 'no named image');
  if (!info.containerdNames.includes(want)) {
    const tagOnly = info.format !== 'docker' && info.containerdNames.some((n) => !n.includes('/'));
    throw invalidInput(
      `--image-archive: ${file} does not hold ${image}: containerd would import it as ${holds(info.containerdNames)}` +
        (tagOnly ? ' (an OCI ref name that is only a tag cannot be re-tagged by the import)' : '') +
        `. The import re-tags the template's share_image, so the archive must name it exactly; ${fix}.`,
    );
  }
  if (info.dockerNames && !info.dockerNames.includes(want)) {
    throw invalidInput(
      `--image-archive: ${file} does not hold ${image} in manifest.json (docker load would import ${holds(info.dockerNames)}); ${fix}.`,
    );
  }
  const warnings: string[] = [];
  if (opts.arch && info.architectures.length > 0 && !info.architectures.includes(opts.arch)) {
    warnings.push(
      `the image is built for ${info.architectures.join(', ')}, the template says arch ${opts.arch}: pods would fail to start on ${opts.arch} nodes`,
    );
  }
  return { ...info, warnings };
}

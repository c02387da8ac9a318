/**
 * Writes the offline-import package: `<out>/<dir>/` (metadata.json, .md5, optionally component-images.tar) and,
 * with `tar`, `<out>/<dir>.tar.gz` made by the `tar` package (the region unpacks it with `tar -xzf`).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { constants, copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { create } from 'tar';
import { invalidInput } from '../server/errors';
import { checkImageArchive } from './image-archive';
import { IMAGE_ARCHIVE_NAME, type RamPackageLayout } from './ram';

export interface WriteRamPackageOptions {
  /** Absolute output directory, e.g. /repo/dist/deploy. */
  outDir: string;
  layout: RamPackageLayout;
  /** Also write `<dir>.tar.gz`. */
  tar: boolean;
  /** A `docker save` / OCI archive of the plugin image to carry in the package. */
  imageArchive?: string;
  /** The template's share_image the archive must hold, e.g. "reg.io/ns/cilium-observability:0.1.0". */
  shareImage: string;
  /** The template's component arch, e.g. "amd64" (a mismatch is a warning). */
  arch?: string;
  /** Entry mtime in ms (reproducible output in tests). */
  mtime?: number;
  /** Progress and notices, one line each. */
  log: (line: string) => void;
}

/** e.g. "9.5 KiB", "212.3 MiB". */
const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Returns the files written (absolute paths). */
export async function writeRamPackage(o: WriteRamPackageOptions): Promise<string[]> {
  const { layout } = o;
  const written: string[] = [];
  const wrote = (file: string) => {
    written.push(file);
    o.log(`wrote ${file}`);
  };
  if (o.imageArchive && layout.dir.includes('plugin')) {
    // import.go skips every file whose path contains "plugin" when the template has no (Rainbond) plugins.
    throw invalidInput(
      `--image-archive: the package folder "${layout.dir}" contains "plugin", so the import would skip its image archive; choose a plugin id without it`,
    );
  }
  const check = o.imageArchive
    ? await checkImageArchive(o.imageArchive, o.shareImage, { arch: o.arch })
    : undefined;

  const dir = join(o.outDir, layout.dir);
  await mkdir(dir, { recursive: true });
  for (const f of layout.files) {
    const file = join(o.outDir, f.path);
    await writeFile(file, f.data);
    wrote(file);
  }
  const archiveTarget = join(dir, IMAGE_ARCHIVE_NAME);
  if (o.imageArchive && check) {
    if (check.gzip) {
      // containerd's importer reads a plain tar only.
      await pipeline(createReadStream(o.imageArchive), createGunzip(), createWriteStream(archiveTarget));
    } else {
      await copyFile(o.imageArchive, archiveTarget, constants.COPYFILE_FICLONE);
    }
    wrote(archiveTarget);
    o.log(
      `image: ${o.shareImage} found in ${o.imageArchive} (${check.format}${check.gzip ? ', decompressed' : ''}); ` +
        `the import loads ${layout.dir}/${IMAGE_ARCHIVE_NAME} and re-tags it`,
    );
    for (const w of check.warnings) o.log(`warning: ${w}`);
  } else {
    // A stale archive from an earlier render must not ride along.
    await rm(archiveTarget, { force: true });
    o.log(
      `notice: no --image-archive: this package carries no image, so its offline import only works on a cluster ` +
        `whose importing node (rbd-chaos) already holds ${o.shareImage}; add one with ` +
        `\`docker save ${o.shareImage} -o image.tar\` and --image-archive image.tar, or pre-load the image, or install with path B`,
    );
  }

  if (o.tar) {
    const members = [`${layout.dir}/`, ...layout.files.map((f) => f.path)];
    if (check) members.push(`${layout.dir}/${IMAGE_ARCHIVE_NAME}`);
    const tarFile = join(o.outDir, layout.tarName);
    await create(
      {
        gzip: { level: check ? 6 : 9 },
        file: tarFile,
        cwd: o.outDir,
        portable: true,
        noDirRecurse: true,
        ...(o.mtime !== undefined ? { mtime: new Date(o.mtime) } : {}),
      },
      members,
    );
    wrote(tarFile);
    if (check) o.log(`package: ${size((await stat(tarFile)).size)}`);
  }
  return written;
}

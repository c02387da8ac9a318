import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '../test/fixtures/images/docker-save';
import { IMAGE_ARCHIVE_NAME, type RamPackageLayout } from './ram';
import { writeRamPackage } from './ram-package';

const IMAGE = 'registry.example.com/platform/cilium-observability:0.1.0';
const dir = mkdtempSync(join(tmpdir(), 'cobs-ram-pkg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const layout = (name: string): RamPackageLayout => ({
  dir: name,
  tarName: `${name}.tar.gz`,
  files: [{ path: `${name}/metadata.json`, data: Buffer.from('{}') }],
});

describe('writeRamPackage', () => {
  it('refuses an image archive in a folder whose path contains "plugin" (the import would skip it)', async () => {
    const archive = join(dir, 'a.tar');
    await writeImageArchive(archive, { repoTags: [IMAGE] });
    const outDir = join(dir, 'p');
    await expect(
      writeRamPackage({
        outDir,
        layout: layout('my-plugin-0.1.0-ram'),
        tar: true,
        imageArchive: archive,
        shareImage: IMAGE,
        log: () => {},
      }),
    ).rejects.toThrow(/contains "plugin", so the import would skip its image archive/);
    expect(existsSync(outDir)).toBe(false);
  });

  it('drops a component-images.tar left by an earlier render that had an archive', async () => {
    const archive = join(dir, 'b.tar');
    await writeImageArchive(archive, { repoTags: [IMAGE] });
    const outDir = join(dir, 'q');
    const base = { outDir, layout: layout('app-0.1.0-ram'), tar: false, shareImage: IMAGE, log: () => {} };
    await writeRamPackage({ ...base, imageArchive: archive });
    expect(readdirSync(join(outDir, 'app-0.1.0-ram')).sort()).toEqual([IMAGE_ARCHIVE_NAME, 'metadata.json']);
    const lines: string[] = [];
    await writeRamPackage({ ...base, log: (l) => lines.push(l) });
    expect(readdirSync(join(outDir, 'app-0.1.0-ram'))).toEqual(['metadata.json']);
    expect(lines.at(-1)).toMatch(/^notice: no --image-archive/);
  });
});

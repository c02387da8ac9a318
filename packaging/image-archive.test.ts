import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeImageArchive, type ImageArchiveFixture } from '../test/fixtures/images/docker-save';
import { checkImageArchive, normalizeImageRef, readImageArchive } from './image-archive';

const IMAGE = 'registry.example.com/platform/cilium-observability:0.1.0';
const dir = mkdtempSync(join(tmpdir(), 'cobs-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const archive = async (f: ImageArchiveFixture) => {
  const file = join(dir, `a${n++}.tar${f.gzip ? '.gz' : ''}`);
  await writeImageArchive(file, f);
  return file;
};

describe('normalizeImageRef (docker ParseDockerRef)', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['goodrain/app:2', 'docker.io/goodrain/app:2'],
    ['index.docker.io/goodrain/app:2', 'docker.io/goodrain/app:2'],
    ['localhost:5000/a/b/app', 'localhost:5000/a/b/app:latest'],
    [IMAGE, IMAGE],
    ['reg.io/app:1@sha256:abc', 'reg.io/app@sha256:abc'],
  ])('%s → %s', (ref, normalised) => expect(normalizeImageRef(ref)).toBe(normalised));
});

describe('readImageArchive', () => {
  it.each([
    ['docker-v1', 'docker', [IMAGE], [IMAGE]],
    ['docker-oci', 'docker+oci', [IMAGE], [IMAGE]],
    ['oci', 'oci', ['0.1.0'], null],
  ] as const)(
    'reads %s archives as containerd and docker load name them',
    async (format, kind, ctr, docker) => {
      const info = await readImageArchive(await archive({ repoTags: [IMAGE], format }));
      expect(info).toMatchObject({ format: kind, gzip: false, containerdNames: ctr, dockerNames: docker });
      expect(info.architectures).toEqual(['amd64']);
    },
  );

  it('normalises short RepoTags the way containerd does (alpine → docker.io/library/alpine:latest)', async () => {
    const info = await readImageArchive(await archive({ repoTags: ['alpine', 'goodrain/app:2'] }));
    expect(info.containerdNames).toEqual(['docker.io/library/alpine:latest', 'docker.io/goodrain/app:2']);
  });

  it('sees through gzip', async () => {
    const info = await readImageArchive(await archive({ repoTags: [IMAGE], gzip: true }));
    expect(info).toMatchObject({ gzip: true, containerdNames: [IMAGE] });
  });

  it('refuses a file that is not a tar, and a tar that is no image archive', async () => {
    const junk = join(dir, 'junk.tar');
    writeFileSync(junk, 'not a tar at all, just some text that is long enough'.repeat(20));
    await expect(readImageArchive(junk)).rejects.toThrow(/not a tar archive/);
    await expect(readImageArchive(join(dir, 'missing.tar'))).rejects.toThrow(/cannot read/);
    const { create } = await import('tar');
    writeFileSync(join(dir, 'readme.txt'), 'hello');
    await create({ file: join(dir, 'plain.tar'), cwd: dir }, ['readme.txt']);
    await expect(readImageArchive(join(dir, 'plain.tar'))).rejects.toThrow(
      /neither manifest.json \(docker save\) nor oci-layout/,
    );
  });
});

describe('checkImageArchive', () => {
  it('accepts an archive that names the share_image', async () => {
    const check = await checkImageArchive(await archive({ repoTags: [IMAGE] }), IMAGE, { arch: 'amd64' });
    expect(check.warnings).toEqual([]);
  });

  it('accepts the familiar form of a Docker Hub name', async () => {
    await expect(
      checkImageArchive(
        await archive({ repoTags: ['goodrain/cilium-observability:0.1.0'] }),
        'docker.io/goodrain/cilium-observability:0.1.0',
      ),
    ).resolves.toMatchObject({ containerdNames: ['docker.io/goodrain/cilium-observability:0.1.0'] });
  });

  it('refuses a wrong tag, naming what the archive holds and the docker save command', async () => {
    const file = await archive({ repoTags: ['registry.example.com/platform/cilium-observability:0.0.9'] });
    await expect(checkImageArchive(file, IMAGE)).rejects.toThrow(
      new RegExp(
        `does not hold ${IMAGE.replace(/[.]/g, '\\.')}: containerd would import it as registry\\.example\\.com/platform/cilium-observability:0\\.0\\.9.*docker save ${IMAGE.replace(/[.]/g, '\\.')} -o`,
      ),
    );
  });

  it('refuses an OCI archive whose ref name is only a tag (the import could not re-tag it)', async () => {
    await expect(
      checkImageArchive(await archive({ repoTags: [IMAGE], format: 'oci' }), IMAGE),
    ).rejects.toThrow(/only a tag cannot be re-tagged/);
  });

  it('accepts an OCI archive whose ref name is the full reference', async () => {
    const file = await archive({ repoTags: [IMAGE], format: 'oci', refName: IMAGE });
    await expect(checkImageArchive(file, IMAGE)).resolves.toMatchObject({ format: 'oci' });
  });

  it('warns when the image is built for another architecture than the template says', async () => {
    const check = await checkImageArchive(
      await archive({ repoTags: [IMAGE], architecture: 'arm64' }),
      IMAGE,
      {
        arch: 'amd64',
      },
    );
    expect(check.warnings).toEqual([expect.stringMatching(/built for arm64, the template says arch amd64/)]);
  });
});

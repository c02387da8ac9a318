import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTar, createTarGz, readTar, readTarGz } from './tar';

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5);
const entries = [
  { path: 'pkg/' },
  { path: 'pkg/metadata.json', data: Buffer.from('{"a":1}') },
  { path: 'pkg/empty.txt', data: Buffer.alloc(0) },
  { path: 'pkg/exact.bin', data: Buffer.alloc(512, 7) },
  { path: `pkg/${'d'.repeat(90)}/${'f'.repeat(60)}.json`, data: Buffer.from('long path') },
];

describe('createTar / readTar', () => {
  it('round-trips files, directories and long (prefix) paths', () => {
    const back = readTarGz(createTarGz(entries, MTIME));
    expect(back.map((e) => e.path)).toEqual(entries.map((e) => e.path));
    expect(back.map((e) => e.data?.toString('hex'))).toEqual(entries.map((e) => e.data?.toString('hex')));
    expect(back[0]?.mode).toBe(0o755);
    expect(back[1]?.mode).toBe(0o644);
  });

  it('pads every member to 512-byte blocks and ends with two zero blocks', () => {
    const tar = createTar([{ path: 'a.txt', data: Buffer.from('x') }], MTIME);
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(tar.subarray(1024).every((b) => b === 0)).toBe(true);
  });

  it('is reproducible for a fixed mtime', () => {
    expect(gunzipSync(createTarGz(entries, MTIME))).toEqual(gunzipSync(createTarGz(entries, MTIME)));
  });

  it('detects a corrupted header', () => {
    const tar = createTar([{ path: 'a.txt', data: Buffer.from('x') }], MTIME);
    tar[0] = 'b'.charCodeAt(0);
    expect(() => readTar(tar)).toThrow(/bad header checksum/);
  });

  it('rejects a name that cannot be stored', () => {
    expect(() => createTar([{ path: 'x'.repeat(120), data: Buffer.alloc(1) }])).toThrow(/path too long/);
  });
});

// GNU/BSD tar is the reader Rainbond's import uses; check it agrees when it is installed.
const hasTar = (() => {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasTar)('system tar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cobs-tar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists and extracts what createTarGz wrote', () => {
    const file = join(dir, 'p.tar.gz');
    writeFileSync(file, createTarGz(entries, MTIME));
    const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(entries.map((e) => e.path));
    execFileSync('tar', ['-xzf', file, '-C', dir]);
    expect(readFileSync(join(dir, 'pkg/metadata.json'), 'utf8')).toBe('{"a":1}');
    expect(existsSync(join(dir, entries[4]?.path ?? ''))).toBe(true);
  });
});

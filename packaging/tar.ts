/**
 * A minimal POSIX ustar writer/reader (regular files and directories only) plus gzip via node:zlib, enough to
 * produce the `<name>-<version>-ram.tar.gz` layout Rainbond's offline import reads (`tar -czf pkg.tar.gz <dir>`,
 * goodrain/rainbond-oam:pkg/export/util.go:Packaging). No dependency beyond node.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { invalidInput } from '../server/errors';

export interface TarEntry {
  /** Path inside the archive, e.g. "cilium-observability-0.1.0-ram/metadata.json"; directories end with "/". */
  path: string;
  /** File content; omitted for directories. */
  data?: Uint8Array;
  /** Unix mode, e.g. 0o644 (files) / 0o755 (directories). */
  mode?: number;
}

/** An entry as read back: data is a Buffer (files) or absent (directories). */
export interface ReadTarEntry {
  path: string;
  mode: number;
  data?: Buffer;
}

const BLOCK = 512;

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw invalidInput(`tar: "${value}" longer than ${length} bytes`);
  bytes.copy(buf, offset);
}

/** Octal number field, zero-padded and NUL-terminated, e.g. size 11 bytes + NUL. */
function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  writeString(buf, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

/** Splits a long path into ustar prefix (≤155) + name (≤100) at a "/". */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  const cut = path.lastIndexOf('/', 155);
  if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100)
    throw invalidInput(`tar: path too long: ${path}`);
  return { prefix: path.slice(0, cut), name: path.slice(cut + 1) };
}

function header(entry: TarEntry, mtime: number): Buffer {
  const isDir = entry.path.endsWith('/');
  const h = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = splitPath(entry.path);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, entry.mode ?? (isDir ? 0o755 : 0o644));
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, isDir ? 0 : (entry.data?.length ?? 0));
  writeOctal(h, 136, 12, Math.floor(mtime / 1000));
  h.fill(0x20, 148, 156); // checksum is computed with the field as 8 spaces
  writeString(h, 156, 1, isDir ? '5' : '0');
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 265, 32, 'root');
  writeString(h, 297, 32, 'root');
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** Builds an uncompressed tar; `mtime` in ms since epoch for every entry (reproducible output). */
export function createTar(entries: readonly TarEntry[], mtime = Date.now()): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry, mtime));
    if (!entry.path.endsWith('/') && entry.data && entry.data.length > 0) {
      parts.push(Buffer.from(entry.data));
      const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0)); // end-of-archive marker
  return Buffer.concat(parts);
}

export function createTarGz(entries: readonly TarEntry[], mtime = Date.now()): Buffer {
  return gzipSync(createTar(entries, mtime), { level: 9 });
}

const readString = (buf: Buffer, offset: number, length: number) => {
  const raw = buf.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? length : nul).toString('utf8');
};
const readOctal = (buf: Buffer, offset: number, length: number) =>
  parseInt(readString(buf, offset, length).trim() || '0', 8);

/** Reads a tar produced by createTar (or any ustar with regular files/directories), verifying checksums. */
export function readTar(tar: Uint8Array): ReadTarEntry[] {
  const buf = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  const out: ReadTarEntry[] = [];
  let off = 0;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const expected = readOctal(h, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    if (sum !== expected) throw invalidInput(`tar: bad header checksum at offset ${off}`);
    const prefix = readString(h, 345, 155);
    const name = readString(h, 0, 100);
    const path = prefix ? `${prefix}/${name}` : name;
    const size = readOctal(h, 124, 12);
    const type = readString(h, 156, 1);
    const mode = readOctal(h, 100, 8);
    off += BLOCK;
    if (type === '5') out.push({ path: path.endsWith('/') ? path : `${path}/`, mode });
    else out.push({ path, mode, data: Buffer.from(buf.subarray(off, off + size)) });
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

export function readTarGz(gz: Uint8Array): ReadTarEntry[] {
  return readTar(gunzipSync(gz));
}

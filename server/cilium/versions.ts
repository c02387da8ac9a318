/** Version strings of Cilium and its images: parsing, comparing, and the tag of an image reference. */

/** Image reference → tag, e.g. "quay.io/cilium/cilium:v1.17.5@sha256:ab…" → "v1.17.5"; null without a tag. */
export function imageTag(image: string): string | null {
  const noDigest = image.split('@')[0] ?? '';
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon <= lastSlash) return null;
  const tag = noDigest.slice(colon + 1);
  return tag === '' ? null : tag;
}

/** "v1.17.5" / "1.17.5-rc.1" → [1, 17, 5]; null when not a version. */
export function parseVersion(v: string | null | undefined): [number, number, number] | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v ?? '');
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** True when version `v` is at least major.minor; unknown versions count as newest. */
export function isAtLeast(v: string | null | undefined, major: number, minor: number): boolean {
  const p = parseVersion(v);
  if (!p) return true;
  return p[0] > major || (p[0] === major && p[1] >= minor);
}

/** Cilium image tag → plain version, e.g. "v1.17.5" → "1.17.5"; other tags (e.g. "latest") kept as they are. */
export function ciliumVersionFromTag(tag: string | null): string | null {
  if (!tag) return null;
  const m = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(tag);
  return m?.[1] ?? tag;
}

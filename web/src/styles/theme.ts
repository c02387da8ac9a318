/** Host `colorPrimary` → Element Plus primary variables under our namespace, mixed like Element Plus does. */

function parseHex(color: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return null;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

const mix = (a: [number, number, number], b: [number, number, number], weightOfB: number) =>
  '#' +
  a
    .map((v, i) => Math.round(v * (1 - weightOfB) + b[i]! * weightOfB))
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('');

/** e.g. "#4d73b1" → { "--cobs-el-color-primary": "#4d73b1", "--cobs-el-color-primary-light-3": "#829dc8", … }; {} if not a hex colour. */
export function primaryColorVars(color: string | null | undefined): Record<string, string> {
  const rgb = color ? parseHex(color) : null;
  if (!rgb) return {};
  const white: [number, number, number] = [255, 255, 255];
  const black: [number, number, number] = [0, 0, 0];
  const vars: Record<string, string> = {
    '--cobs-el-color-primary': mix(rgb, rgb, 0),
    '--cobs-color-primary': mix(rgb, rgb, 0),
  };
  for (const n of [3, 5, 7, 8, 9]) vars[`--cobs-el-color-primary-light-${n}`] = mix(rgb, white, n / 10);
  vars['--cobs-el-color-primary-dark-2'] = mix(rgb, black, 0.2);
  return vars;
}

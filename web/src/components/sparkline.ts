/** SVG path for a sparkline: x by time, y scaled to [min, max] with a 2 px margin; "" when fewer than 2 points. */
export function sparklinePath(
  points: readonly (readonly [number, number])[],
  width: number,
  height: number,
): string {
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (finite.length < 2) return '';
  const xs = finite.map((p) => p[0]);
  const ys = finite.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const pad = 2;
  const sx = (x: number) => (x1 === x0 ? 0 : ((x - x0) / (x1 - x0)) * (width - 2 * pad)) + pad;
  // flat series sit in the middle instead of on an edge
  const sy = (y: number) =>
    y1 === y0 ? height / 2 : height - pad - ((y - y0) / (y1 - y0)) * (height - 2 * pad);
  return finite.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`).join(' ');
}

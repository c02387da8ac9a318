/**
 * A small layered layout for the service map (no layout library): clients left, servers right. Layers by longest
 * path from the nodes nobody calls (cycles broken where a DFS finds them), order inside a layer by the barycentre
 * of the neighbours, a layer taller than `maxPerColumn` wrapped into several columns. Given the previous layout,
 * known nodes keep their column and order, so a refresh moves nothing that was already there.
 */

export interface LayoutInput {
  nodes: readonly { id: string }[];
  edges: readonly { source: string; target: string }[];
}

export interface PlacedNode {
  x: number;
  y: number;
  /** Layer (0 = leftmost clients). */
  layer: number;
  /** Position inside the layer, top to bottom. */
  order: number;
}

export interface MapLayout {
  positions: Map<string, PlacedNode>;
  width: number;
  height: number;
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  columnGap: number;
  rowGap: number;
  /** More nodes than this in a layer wrap into another column. */
  maxPerColumn: number;
  padding: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  nodeWidth: 176,
  nodeHeight: 40,
  columnGap: 84,
  rowGap: 14,
  maxPerColumn: 14,
  padding: 16,
};

/** Longest-path layers; back edges (found by DFS from the roots, then from what is left) are ignored. */
export function assignLayers(input: LayoutInput): Map<string, number> {
  const ids = input.nodes.map((n) => n.id);
  const out = new Map<string, string[]>();
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of input.edges) {
    if (e.source === e.target || !indeg.has(e.source) || !indeg.has(e.target)) continue;
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
    indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
  }
  // DFS marks back edges so the rest is a DAG
  const state = new Map<string, 0 | 1 | 2>();
  const back = new Set<string>();
  const visit = (id: string) => {
    state.set(id, 1);
    for (const t of out.get(id) ?? []) {
      const s = state.get(t) ?? 0;
      if (s === 1) back.add(`${id}\u0000${t}`);
      else if (s === 0) visit(t);
    }
    state.set(id, 2);
  };
  const roots = ids.filter((id) => (indeg.get(id) ?? 0) === 0).sort();
  for (const id of [...roots, ...[...ids].sort()]) if ((state.get(id) ?? 0) === 0) visit(id);

  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const preds = new Map<string, string[]>();
  for (const [s, ts] of out)
    for (const t of ts) if (!back.has(`${s}\u0000${t}`)) preds.set(t, [...(preds.get(t) ?? []), s]);
  const memo = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const m = memo.get(id);
    if (m !== undefined) return m;
    if (seen.has(id)) return 0;
    seen.add(id);
    const d = Math.max(-1, ...(preds.get(id) ?? []).map((p) => depth(p, seen))) + 1;
    seen.delete(id);
    memo.set(id, d);
    return d;
  };
  for (const id of ids) layer.set(id, depth(id, new Set()));
  return layer;
}

/** The whole layout from scratch: layers, barycentre ordering, wrapped columns. */
function freshLayout(input: LayoutInput, o: LayoutOptions): MapLayout {
  const layerOf = assignLayers(input);
  const neighbours = neighboursOf(input);
  const layers = new Map<number, string[]>();
  for (const n of input.nodes) {
    const l = layerOf.get(n.id) ?? 0;
    layers.set(l, [...(layers.get(l) ?? []), n.id]);
  }
  const keys = [...layers.keys()].sort((a, b) => a - b);
  const rank = new Map<string, number>();
  for (const k of keys) {
    const list = (layers.get(k) ?? []).sort((a, b) => a.localeCompare(b));
    list.forEach((id, i) => rank.set(id, i));
  }
  const barycentre = (id: string) => {
    const ns = (neighbours.get(id) ?? []).filter((x) => rank.has(x));
    return ns.length ? ns.reduce((s, x) => s + (rank.get(x) ?? 0), 0) / ns.length : (rank.get(id) ?? 0);
  };
  // crossing reduction: alternate left-to-right and right-to-left sweeps
  for (let sweep = 0; sweep < 4; sweep++)
    for (const k of sweep % 2 ? [...keys].reverse() : keys) {
      const list = [...(layers.get(k) ?? [])];
      const bc = new Map(list.map((id) => [id, barycentre(id)]));
      list.sort((a, b) => (bc.get(a) ?? 0) - (bc.get(b) ?? 0) || a.localeCompare(b));
      layers.set(k, list);
      list.forEach((id, i) => rank.set(id, i));
    }

  const positions = new Map<string, PlacedNode>();
  const rowPitch = o.nodeHeight + o.rowGap;
  let tallest = 1;
  for (const k of keys) tallest = Math.max(tallest, Math.min(layers.get(k)?.length ?? 0, o.maxPerColumn));
  const totalHeight = tallest * rowPitch - o.rowGap;
  let column = 0;
  for (const k of keys) {
    const list = layers.get(k) ?? [];
    const cols = Math.max(1, Math.ceil(list.length / o.maxPerColumn));
    for (let c = 0; c < cols; c++) {
      const slice = list.slice(c * o.maxPerColumn, (c + 1) * o.maxPerColumn);
      // centred on row slots, so later additions land on the same grid
      const offset = Math.floor((tallest - slice.length) / 2) * rowPitch;
      slice.forEach((id, i) =>
        positions.set(id, {
          x: o.padding + (column + c) * (o.nodeWidth + o.columnGap),
          y: o.padding + offset + i * rowPitch,
          layer: k,
          order: c * o.maxPerColumn + i,
        }),
      );
    }
    column += cols;
  }
  return {
    positions,
    width: o.padding * 2 + Math.max(1, column) * (o.nodeWidth + o.columnGap) - o.columnGap,
    height: o.padding * 2 + totalHeight,
  };
}

function neighboursOf(input: LayoutInput): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of input.edges) {
    if (e.source === e.target) continue;
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
    out.set(e.target, [...(out.get(e.target) ?? []), e.source]);
  }
  return out;
}

/**
 * Places the nodes. With `prev`, every node it knows stays exactly where it was and new nodes take the free row
 * slot nearest their neighbours in their layer's column (a new rightmost layer gets a new column); without it,
 * or when nothing is known any more, the layout starts afresh.
 */
export function layoutMap(
  input: LayoutInput,
  prev?: MapLayout | null,
  options: Partial<LayoutOptions> = {},
): MapLayout {
  const o = { ...DEFAULT_LAYOUT, ...options };
  const known = prev ? input.nodes.filter((n) => prev.positions.has(n.id)) : [];
  if (!prev || known.length === 0) return freshLayout(input, o);
  const positions = new Map<string, PlacedNode>();
  for (const n of known) positions.set(n.id, prev.positions.get(n.id) as PlacedNode);
  const pitchX = o.nodeWidth + o.columnGap;
  const pitchY = o.nodeHeight + o.rowGap;
  const taken = new Set([...positions.values()].map((p) => `${p.x}:${p.y}`));
  const columnOfLayer = new Map<number, number>();
  for (const p of positions.values()) if (!columnOfLayer.has(p.layer)) columnOfLayer.set(p.layer, p.x);
  const layers = assignLayers(input);
  const neighbours = neighboursOf(input);
  const fresh = input.nodes
    .filter((n) => !positions.has(n.id))
    .map((n) => n.id)
    .sort((a, b) => (layers.get(a) ?? 0) - (layers.get(b) ?? 0) || a.localeCompare(b));
  for (const id of fresh) {
    const layer = layers.get(id) ?? 0;
    let x = columnOfLayer.get(layer);
    if (x === undefined) {
      const lower = [...columnOfLayer.entries()].filter(([l]) => l < layer).sort((a, b) => b[0] - a[0])[0];
      const maxX = Math.max(...columnOfLayer.values());
      // beyond the rightmost layer: a new column; otherwise share the nearest layer to the left
      x = !lower || lower[1] === maxX ? (lower ? maxX + pitchX : o.padding) : lower[1];
      columnOfLayer.set(layer, x);
    }
    const ys = (neighbours.get(id) ?? []).map((n) => positions.get(n)?.y).filter((y) => y !== undefined);
    const want = ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : o.padding;
    const start = Math.max(0, Math.round((want - o.padding) / pitchY));
    let slot = start;
    // the nearest free slot: start, +1, -1, +2, -2, …
    for (let d = 0; d < 2000; d++) {
      const k = Math.ceil(d / 2);
      const candidate = d % 2 ? start + k : start - k;
      if (candidate >= 0 && !taken.has(`${x}:${o.padding + candidate * pitchY}`)) {
        slot = candidate;
        break;
      }
    }
    const y = o.padding + slot * pitchY;
    taken.add(`${x}:${y}`);
    positions.set(id, { x, y, layer, order: slot });
  }
  let width = 0;
  let height = 0;
  for (const p of positions.values()) {
    width = Math.max(width, p.x + o.nodeWidth + o.padding);
    height = Math.max(height, p.y + o.nodeHeight + o.padding);
  }
  return { positions, width, height };
}

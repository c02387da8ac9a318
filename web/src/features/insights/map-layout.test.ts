import { describe, expect, it } from 'vitest';
import { assignLayers, layoutMap } from './map-layout';

const graph = (edges: [string, string][], extra: string[] = []) => {
  const ids = new Set([...edges.flat(), ...extra]);
  return {
    nodes: [...ids].map((id) => ({ id })),
    edges: edges.map(([source, target]) => ({ source, target })),
  };
};

describe('assignLayers', () => {
  it('clients left, servers right, by the longest path', () => {
    const l = assignLayers(
      graph([
        ['web', 'api'],
        ['api', 'db'],
        ['web', 'db'],
        ['api', 'dns'],
      ]),
    );
    expect(Object.fromEntries(l)).toEqual({ web: 0, api: 1, db: 2, dns: 2 });
  });
  it('cycles and self loops do not loop forever', () => {
    const l = assignLayers(
      graph([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['b', 'b'],
      ]),
    );
    expect(new Set(l.values()).size).toBe(3);
  });
});

describe('layoutMap', () => {
  const g = graph([
    ['web', 'api'],
    ['api', 'db'],
    ['api', 'redis'],
    ['job', 'db'],
  ]);

  it('puts every node on the grid without overlaps, left to right by layer', () => {
    const m = layoutMap(g);
    const p = (id: string) => m.positions.get(id)!;
    expect(p('web').x).toBeLessThan(p('api').x);
    expect(p('api').x).toBeLessThan(p('db').x);
    const slots = [...m.positions.values()].map((x) => `${x.x}:${x.y}`);
    expect(new Set(slots).size).toBe(slots.length);
    for (const n of m.positions.values()) {
      expect(n.x + 176).toBeLessThanOrEqual(m.width);
      expect(n.y + 40).toBeLessThanOrEqual(m.height);
    }
  });

  it('keeps known nodes exactly where they were when nodes come and go', () => {
    const first = layoutMap(g);
    const next = layoutMap(
      graph([
        ['web', 'api'],
        ['api', 'db'],
        ['api', 'redis'],
        ['api', 'world'],
        ['cron', 'api'],
      ]),
      first,
    );
    for (const id of ['web', 'api', 'db', 'redis'])
      expect(next.positions.get(id)).toEqual(first.positions.get(id));
    expect(next.positions.has('job')).toBe(false);
    const slots = [...next.positions.values()].map((x) => `${x.x}:${x.y}`);
    expect(new Set(slots).size).toBe(slots.length);
    expect(next.positions.get('world')!.x).toBeGreaterThan(next.positions.get('api')!.x);
  });

  it('stays readable at 60 nodes: tall layers wrap into columns, nothing overlaps', () => {
    const edges: [string, string][] = [];
    for (let i = 0; i < 40; i++) edges.push([`client-${i}`, `svc-${i % 15}`]);
    for (let i = 0; i < 15; i++) edges.push([`svc-${i}`, `db-${i % 5}`]);
    const m = layoutMap(graph(edges));
    expect(m.positions.size).toBe(60);
    const columns = new Set([...m.positions.values()].map((p) => p.x));
    expect(columns.size).toBeGreaterThanOrEqual(4);
    expect(m.height).toBeLessThan(900);
    const slots = [...m.positions.values()].map((x) => `${x.x}:${x.y}`);
    expect(new Set(slots).size).toBe(60);
  });
});

import { describe, expect, it } from 'vitest';
import type { QueryData, Target } from '../../clients/prometheus/client';
import { breakdownOf, hubbleTargets, scalarOf, seriesOf } from './summary.decode';

describe('reply parsing', () => {
  const vector = (rows: [Record<string, string>, number][]): QueryData => ({
    resultType: 'vector',
    result: rows.map(([metric, v]) => ({ metric, value: [1, v] as const })),
  });

  it.each([
    [vector([[{}, 0.25]]), 0.25],
    [vector([]), null],
    [vector([[{}, NaN]]), null],
    [vector([[{}, Infinity]]), null],
    [{ resultType: 'scalar', result: [1, 3] } as QueryData, 3],
  ])('scalarOf %# → %s', (data, value) => {
    expect(scalarOf(data)).toBe(value);
  });

  it('sorts a breakdown largest first and names missing labels', () => {
    const data = vector([
      [{ verdict: 'DROPPED' }, 2],
      [{ verdict: 'FORWARDED' }, 10],
      [{}, 1],
      [{ verdict: 'ERROR' }, NaN],
    ]);
    expect(breakdownOf(data, 'verdict')).toEqual([
      { label: 'FORWARDED', value: 10 },
      { label: 'DROPPED', value: 2 },
      { label: '(none)', value: 1 },
    ]);
  });

  it('keeps finite points of the first matrix series', () => {
    const data: QueryData = {
      resultType: 'matrix',
      result: [{ metric: {}, values: [[1, 1] as const, [2, NaN] as const, [3, 2] as const] }],
    };
    expect(seriesOf(data)).toEqual([
      [1, 1],
      [3, 2],
    ]);
  });
});

describe('hubbleTargets', () => {
  it('finds targets on the Hubble metrics port', () => {
    const t = (scrapeUrl: string): Target => ({
      scrapePool: 'kubernetes-endpoints',
      scrapeUrl,
      labels: {},
      health: 'up',
      lastError: '',
      lastScrape: '',
    });
    const found = hubbleTargets([t('http://10.0.0.1:9965/metrics'), t('http://10.0.0.1:9962/metrics')], 9965);
    expect(found.map((x) => x.scrapeUrl)).toEqual(['http://10.0.0.1:9965/metrics']);
  });
});

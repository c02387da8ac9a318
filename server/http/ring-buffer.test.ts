import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('is first in, first out', () => {
    const r = new RingBuffer<number>(3);
    for (const v of [1, 2]) expect(r.push(v)).toBe(false);
    expect([r.shift(), r.shift(), r.shift()]).toEqual([1, 2, undefined]);
    expect(r.size).toBe(0);
  });

  it('overwrites the oldest entry when full and says so', () => {
    const r = new RingBuffer<number>(3);
    const overwrote = [1, 2, 3, 4, 5].map((v) => r.push(v));
    expect(overwrote).toEqual([false, false, false, true, true]);
    expect(r.size).toBe(3);
    expect([r.shift(), r.shift(), r.shift()]).toEqual([3, 4, 5]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses capacity %s', (capacity) => {
    expect(() => new RingBuffer(capacity)).toThrow(RangeError);
  });
});

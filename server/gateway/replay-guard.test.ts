import { describe, expect, it } from 'vitest';
import { createReplayGuard } from './replay-guard';

describe('replay guard', () => {
  it('lets an id through once until it expires', () => {
    let t = 1000;
    const g = createReplayGuard({ now: () => t });
    expect(g.consume('a', 61_000)).toBe('fresh');
    expect(g.consume('a', 61_000)).toBe('replay');
    t = 61_001;
    // expired: forgotten (the ticket itself is refused as expired before this is asked)
    expect(g.consume('a', 121_000)).toBe('fresh');
  });

  it('when full of live ids it refuses instead of forgetting one', () => {
    let t = 0;
    const g = createReplayGuard({ max: 2, now: () => t });
    expect(g.consume('a', 100)).toBe('fresh');
    expect(g.consume('b', 200)).toBe('fresh');
    expect(g.consume('c', 300)).toBe('full');
    expect(g.consume('a', 100)).toBe('replay');
    t = 150;
    expect(g.consume('c', 300)).toBe('fresh');
    expect(g.size()).toBe(2);
  });
});

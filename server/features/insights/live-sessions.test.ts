import { describe, expect, it } from 'vitest';
import { createLiveStreamRegistry, LIVE_STREAM_DEFAULTS } from './live-sessions';

const who = (user: string, team: string) => ({ user, team, namespace: team });

describe('createLiveStreamRegistry', () => {
  it('defaults: 3 per user, 10 per team, 100 per process, 60 min, re-checked every 240 s', () => {
    expect(createLiveStreamRegistry().options).toEqual({
      maxPerUser: 3,
      maxPerTeam: 10,
      maxTotal: 100,
      maxAgeMs: 3_600_000,
      recheckMs: 240_000,
      bufferSize: 1000,
      keepaliveMs: 15_000,
    });
    expect(createLiveStreamRegistry({ maxPerTeam: undefined }).options).toEqual(LIVE_STREAM_DEFAULTS);
  });

  it.each<[string, [string, string][], [string, string], 'user' | 'team' | 'process']>([
    [
      'the user at its cap',
      [
        ['u1', 'a'],
        ['u1', 'a'],
      ],
      ['u1', 'a'],
      'user',
    ],
    [
      'the user at its cap in another team too',
      [
        ['u1', 'a'],
        ['u1', 'b'],
      ],
      ['u1', 'c'],
      'user',
    ],
    [
      'the team at its cap',
      [
        ['u1', 'a'],
        ['u2', 'a'],
        ['u3', 'a'],
      ],
      ['u4', 'a'],
      'team',
    ],
    [
      'the user cap before the team cap',
      [
        ['u1', 'a'],
        ['u1', 'a'],
        ['u2', 'a'],
      ],
      ['u1', 'a'],
      'user',
    ],
    [
      'the process at its cap',
      [
        ['u1', 'a'],
        ['u2', 'b'],
        ['u3', 'c'],
        ['u4', 'd'],
      ],
      ['u5', 'e'],
      'process',
    ],
    [
      'the team cap before the process cap',
      [
        ['u1', 'a'],
        ['u2', 'a'],
        ['u3', 'a'],
        ['u4', 'd'],
      ],
      ['u5', 'a'],
      'team',
    ],
  ])('refuses when %s', (_name, held, [user, team], limit) => {
    const r = createLiveStreamRegistry({ maxPerUser: 2, maxPerTeam: 3, maxTotal: 4 });
    for (const [u, t] of held) expect(r.acquire(who(u, t)).ok).toBe(true);
    expect(r.acquire(who(user, team))).toMatchObject({ ok: false, limit });
  });

  it('says when the oldest stream holding the cap reaches its lifetime, between 1 s and 60 s', () => {
    let now = 1_000_000;
    const r = createLiveStreamRegistry({ maxPerUser: 1, maxAgeMs: 30_000, now: () => now });
    r.acquire(who('u1', 'a'));
    now += 10_000;
    expect(r.acquire(who('u1', 'a'))).toMatchObject({ ok: false, retryAfterMs: 20_000 });
    now += 25_000;
    expect(r.acquire(who('u1', 'a'))).toMatchObject({ ok: false, retryAfterMs: 1000 });
    const long = createLiveStreamRegistry({ maxPerUser: 1, maxAgeMs: 3_600_000, now: () => now });
    long.acquire(who('u1', 'a'));
    expect(long.acquire(who('u1', 'a'))).toMatchObject({ ok: false, retryAfterMs: 60_000 });
  });

  it('frees a slot on release, once', () => {
    const r = createLiveStreamRegistry({ maxPerUser: 1 });
    const first = r.acquire(who('u1', 'a'));
    if (!first.ok) throw new Error('refused');
    r.release(first.session);
    r.release(first.session);
    expect(r.closed()).toHaveLength(1);
    expect(r.acquire(who('u1', 'a')).ok).toBe(true);
  });
});

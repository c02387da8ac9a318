/**
 * Remembers the ids of redeemed tickets until they expire, so each ticket opens one session. Bounded: when full of
 * unexpired ids it refuses ("full") instead of forgetting one, so a flood can block launches but never re-open a
 * used ticket. Tickets live ≤ 60 s, so insertion order is expiry order and pruning stops at the first live id.
 */
export type Redemption = 'fresh' | 'replay' | 'full';

export interface ReplayGuard {
  /** Marks `id` used until `expiresAt` (ms); "replay" if it already was. */
  consume(id: string, expiresAt: number): Redemption;
  size(): number;
}

export function createReplayGuard(opts: { max?: number; now?: () => number } = {}): ReplayGuard {
  const max = opts.max ?? 100_000;
  const now = opts.now ?? Date.now;
  const used = new Map<string, number>();

  const prune = (t: number) => {
    for (const [id, exp] of used) {
      if (exp > t) break;
      used.delete(id);
    }
  };

  return {
    consume(id, expiresAt) {
      const t = now();
      prune(t);
      const seen = used.get(id);
      if (seen !== undefined && seen > t) return 'replay';
      if (used.size >= max) return 'full';
      // keep insertion order = expiry order even if a caller passes a longer lifetime
      used.delete(id);
      used.set(id, expiresAt);
      return 'fresh';
    },
    size: () => used.size,
  };
}

/**
 * The live flow streams this process serves: caps per user, then per team, then for the process, each stream's
 * lifetime and membership re-check interval, and what each open stream is doing.
 */

export interface LiveStreamOptions {
  /** Live streams one user may hold at once (tabs), e.g. 3. */
  maxPerUser?: number;
  /** Live streams the members of one team may hold at once, e.g. 10. */
  maxPerTeam?: number;
  /** Live streams this process serves at once, e.g. 100. */
  maxTotal?: number;
  /** A stream ends (event `end`, reason "max-duration") this long after it opened, ms, e.g. 3_600_000. */
  maxAgeMs?: number;
  /** How often a stream's user is checked again against the console, ms, e.g. 240_000. */
  recheckMs?: number;
  /** Events kept for a slow client before the oldest are dropped (reported as a `dropped` event). */
  bufferSize?: number;
  /** Interval of the `: keepalive` comment, ms. */
  keepaliveMs?: number;
  /** Unix ms; tests move it. */
  now?: () => number;
}

/** What one open SSE stream is doing (for tests, the benchmark and logs). */
export interface LiveSessionStats {
  id: number;
  user: string;
  /** Rainbond team name, e.g. "dev-team". */
  team: string;
  namespace: string;
  /** Events waiting for the client right now (≤ bufferSize). */
  buffered: number;
  /** Highest `buffered` seen. */
  maxBuffered: number;
  delivered: number;
  dropped: number;
  startedAt: number;
}

/** Which cap refused a stream: the user's, the team's or the process's. */
export type LiveStreamLimit = 'user' | 'team' | 'process';

export type LiveStreamSlot =
  | { ok: true; session: LiveSessionStats }
  /** `retryAfterMs`: when the oldest stream that holds the cap reaches its lifetime, at most a minute. */
  | { ok: false; limit: LiveStreamLimit; max: number; retryAfterMs: number };

export interface LiveStreamRegistry {
  readonly options: Required<Omit<LiveStreamOptions, 'now'>>;
  now(): number;
  sessions(): LiveSessionStats[];
  /** Streams closed so far with their final stats (last 100). */
  closed(): LiveSessionStats[];
  /** A slot for a new stream, or which cap refused it (checked per user, then per team, then per process). */
  acquire(who: { user: string; team: string; namespace: string }): LiveStreamSlot;
  /** Frees the slot; a second call for the same session does nothing. */
  release(s: LiveSessionStats): void;
}

/** Closed sessions kept for closed(). */
const CLOSED_KEPT = 100;
/** Longest Retry-After a refused stream is told, ms: a tab may be closed any time before its lifetime ends. */
const MAX_RETRY_AFTER_MS = 60_000;

export const LIVE_STREAM_DEFAULTS = {
  maxPerUser: 3,
  maxPerTeam: 10,
  maxTotal: 100,
  maxAgeMs: 60 * 60_000,
  recheckMs: 240_000,
  bufferSize: 1000,
  keepaliveMs: 15_000,
} as const satisfies Required<Omit<LiveStreamOptions, 'now'>>;

export function createLiveStreamRegistry(opts: LiveStreamOptions = {}): LiveStreamRegistry {
  const { now: clock, ...given } = opts;
  const options: Required<Omit<LiveStreamOptions, 'now'>> = { ...LIVE_STREAM_DEFAULTS };
  for (const [k, v] of Object.entries(given)) if (v !== undefined) Object.assign(options, { [k]: v });
  const now = clock ?? Date.now;
  const open = new Set<LiveSessionStats>();
  const done: LiveSessionStats[] = [];
  let next = 1;

  const refuse = (limit: LiveStreamLimit, max: number, holders: LiveSessionStats[]): LiveStreamSlot => {
    const oldest = Math.min(...holders.map((s) => s.startedAt));
    const untilFree = oldest + options.maxAgeMs - now();
    return { ok: false, limit, max, retryAfterMs: Math.min(MAX_RETRY_AFTER_MS, Math.max(1000, untilFree)) };
  };

  return {
    options,
    now,
    sessions: () => [...open],
    closed: () => [...done],
    acquire({ user, team, namespace }) {
      const all = [...open];
      const mine = all.filter((s) => s.user === user);
      if (mine.length >= options.maxPerUser) return refuse('user', options.maxPerUser, mine);
      const teams = all.filter((s) => s.team === team);
      if (teams.length >= options.maxPerTeam) return refuse('team', options.maxPerTeam, teams);
      if (all.length >= options.maxTotal) return refuse('process', options.maxTotal, all);
      const session: LiveSessionStats = {
        id: next++,
        user,
        team,
        namespace,
        buffered: 0,
        maxBuffered: 0,
        delivered: 0,
        dropped: 0,
        startedAt: now(),
      };
      open.add(session);
      return { ok: true, session };
    },
    release(s) {
      if (!open.delete(s)) return;
      done.push(s);
      if (done.length > CLOSED_KEPT) done.shift();
    },
  };
}

/** The live flow streams this process serves: per-user and total caps, and what each open stream is doing. */

export interface LiveStreamOptions {
  /** Live streams one user may hold at once (tabs), e.g. 3. */
  maxPerUser?: number;
  /** Live streams this process serves at once (each holds one gRPC stream to Relay), e.g. 50. */
  maxTotal?: number;
  /** Events kept for a slow client before the oldest are dropped (reported as a `dropped` event). */
  bufferSize?: number;
  /** Interval of the `: keepalive` comment, ms. */
  keepaliveMs?: number;
}

/** What one open SSE stream is doing (for tests, the benchmark and logs). */
export interface LiveSessionStats {
  id: number;
  user: string;
  namespace: string;
  /** Events waiting for the client right now (≤ bufferSize). */
  buffered: number;
  /** Highest `buffered` seen. */
  maxBuffered: number;
  delivered: number;
  dropped: number;
  startedAt: number;
}

export interface LiveStreamRegistry {
  readonly options: Required<LiveStreamOptions>;
  sessions(): LiveSessionStats[];
  /** Streams closed so far with their final stats (last 100). */
  closed(): LiveSessionStats[];
  /** A slot for a new stream, or null when the user or the process is at its cap. */
  acquire(user: string, namespace: string): LiveSessionStats | null;
  /** Frees the slot; a second call for the same session does nothing. */
  release(s: LiveSessionStats): void;
}

/** Closed sessions kept for closed(). */
const CLOSED_KEPT = 100;

export function createLiveStreamRegistry(opts: LiveStreamOptions = {}): LiveStreamRegistry {
  const options: Required<LiveStreamOptions> = {
    maxPerUser: opts.maxPerUser ?? 3,
    maxTotal: opts.maxTotal ?? 50,
    bufferSize: opts.bufferSize ?? 1000,
    keepaliveMs: opts.keepaliveMs ?? 15_000,
  };
  const open = new Set<LiveSessionStats>();
  const done: LiveSessionStats[] = [];
  let next = 1;
  return {
    options,
    sessions: () => [...open],
    closed: () => [...done],
    acquire(user, namespace) {
      if (open.size >= options.maxTotal) return null;
      if ([...open].filter((s) => s.user === user).length >= options.maxPerUser) return null;
      const s: LiveSessionStats = {
        id: next++,
        user,
        namespace,
        buffered: 0,
        maxBuffered: 0,
        delivered: 0,
        dropped: 0,
        startedAt: Date.now(),
      };
      open.add(s);
      return s;
    },
    release(s) {
      if (!open.delete(s)) return;
      done.push(s);
      if (done.length > CLOSED_KEPT) done.shift();
    },
  };
}

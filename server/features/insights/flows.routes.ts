/**
 * GET /relay and GET /flows (JSON, or Server-Sent Events with follow=true), mounted under /api/v1/insights
 * after the auth middleware: the team's namespace comes from ctx, never from the query.
 */
import { Hono } from 'hono';
import { AppError } from '../../errors';
import type { AppEnv } from '../../http/env';
import { parseQuery } from '../../http/validate';
import type { Logger } from '../../log';
import type { FlowsService, LiveEvent } from './flows.service';
import type { RelayService } from './relay.service';
import { FlowsQuerySchema } from '../../../contract/insights';

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
}

interface InternalRegistry extends LiveStreamRegistry {
  acquire(user: string, namespace: string): LiveSessionStats | null;
  release(s: LiveSessionStats): void;
}

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
  const reg: InternalRegistry = {
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
      if (done.length > 100) done.shift();
    },
  };
  return reg;
}

export interface FlowsRoutesDeps {
  relay: RelayService;
  flows: FlowsService;
  log: Logger;
  live?: LiveStreamRegistry;
}

/** One SSE frame, e.g. "event: flow\ndata: {...}\n\n" (JSON has no raw newlines, so one data line). */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Frames of events shared by several streams (see live-hub.ts) are serialised once. */
const frames = new WeakMap<LiveEvent, string>();

export function liveEventFrame(e: LiveEvent): string {
  let frame = frames.get(e);
  if (frame === undefined) {
    frame = renderFrame(e);
    frames.set(e, frame);
  }
  return frame;
}

function renderFrame(e: LiveEvent): string {
  switch (e.type) {
    case 'flow':
      return sseFrame('flow', e.flow);
    case 'lost':
      return sseFrame('lost', { count: e.count, source: e.source, node: e.node });
    case 'nodes':
      return sseFrame('nodes', { state: e.state, nodes: e.nodes, message: e.message });
  }
}

/** Frames per write and the longest wait to fill them: ≤ 10 ms of added latency, far fewer writes. */
const BATCH_FRAMES = 64;
const BATCH_WAIT_MS = 10;

/** Fixed-size FIFO that overwrites the oldest entry when full. */
class Ring {
  private items: (string | undefined)[];
  private head = 0;
  size = 0;
  constructor(private readonly cap: number) {
    this.items = new Array<string | undefined>(cap);
  }
  /** Returns true when an old entry was overwritten. */
  push(v: string): boolean {
    const overwrote = this.size === this.cap;
    this.items[(this.head + this.size) % this.cap] = v;
    if (overwrote) this.head = (this.head + 1) % this.cap;
    else this.size++;
    return overwrote;
  }
  shift(): string | undefined {
    if (this.size === 0) return undefined;
    const v = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.cap;
    this.size--;
    return v;
  }
}

/**
 * A pull-driven SSE body: @hono/node-server reads the next chunk only after the socket drained, so a slow
 * client leaves events in a bounded ring (oldest dropped, then reported as `dropped`) instead of in memory.
 */
function liveBody(args: {
  events: AsyncIterable<LiveEvent>;
  abort: AbortController;
  stats: LiveSessionStats;
  bufferSize: number;
  keepaliveMs: number;
  onClose: () => void;
  log: Logger;
}): ReadableStream<Uint8Array> {
  const { stats, abort } = args;
  const ring = new Ring(args.bufferSize);
  const encoder = new TextEncoder();
  let pendingDropped = 0;
  let finished = false;
  let closed = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const put = (frame: string) => {
    if (ring.push(frame)) {
      pendingDropped++;
      stats.dropped++;
    }
    stats.buffered = ring.size;
    if (ring.size > stats.maxBuffered) stats.maxBuffered = ring.size;
    notify();
  };
  const keepalive = setInterval(() => {
    if (ring.size === 0) put(': keepalive\n\n');
  }, args.keepaliveMs);
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    abort.abort();
    args.onClose();
    notify();
  };
  // Client gone (request aborted or body cancelled): stop the gRPC stream and free the slot.
  abort.signal.addEventListener('abort', cleanup, { once: true });

  void (async () => {
    try {
      for await (const e of args.events) {
        if (closed) break;
        put(liveEventFrame(e));
      }
      if (!closed) put(sseFrame('end', { reason: 'relay closed the stream' }));
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'INTERNAL';
      const message = e instanceof Error ? e.message : String(e);
      if (!closed) {
        args.log.warn('live flow stream failed', { code, message });
        put(sseFrame('error', { code, message }));
      }
    } finally {
      finished = true;
      notify();
    }
  })();

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // Reconnect delay hint for EventSource.
        controller.enqueue(encoder.encode('retry: 5000\n\n'));
      },
      async pull(controller) {
        while (ring.size === 0 && !finished && !closed) await new Promise<void>((r) => (wake = r));
        // Under a steady stream, wait a moment for more events so one socket write carries many frames.
        if (ring.size < BATCH_FRAMES && !finished && !closed)
          await new Promise((r) => setTimeout(r, BATCH_WAIT_MS));
        if (closed) {
          try {
            controller.close();
          } catch {
            /* already closed or cancelled */
          }
          return;
        }
        if (ring.size === 0 && finished) {
          cleanup();
          controller.close();
          return;
        }
        // Batch what is waiting into one chunk: fewer writes at thousands of flows/s.
        let chunk = '';
        if (pendingDropped > 0) {
          chunk += sseFrame('dropped', { count: pendingDropped });
          pendingDropped = 0;
        }
        for (let i = 0; i < 256 && ring.size > 0; i++) {
          const frame = ring.shift() as string;
          if (frame.startsWith('event: flow')) stats.delivered++;
          chunk += frame;
        }
        stats.buffered = ring.size;
        controller.enqueue(encoder.encode(chunk));
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: 0 },
  );
}

export function createFlowsRoutes(deps: FlowsRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const live = (deps.live ?? createLiveStreamRegistry()) as InternalRegistry;
  const log = deps.log.child({ feature: 'insights.flows' });

  app.get('/relay', async (c) => {
    const ctx = c.get('ctx');
    return c.json(await deps.relay.status(ctx.locale));
  });

  app.get('/flows', async (c) => {
    const ctx = c.get('ctx');
    const q = parseQuery(c, FlowsQuerySchema);
    const filters = {
      namespace: ctx.namespace,
      ...(q.verdict ? { verdict: q.verdict } : {}),
      ...(q.protocol ? { protocol: q.protocol } : {}),
    };
    if (q.follow !== 'true') return c.json(await deps.flows.recent({ ...filters, limit: q.limit }));

    const user = String(ctx.user.userId);
    const stats = live.acquire(user, ctx.namespace);
    if (!stats)
      throw new AppError('UNAVAILABLE', 'too many live flow streams; close another tab or try again later', {
        reason: 'TOO_MANY_STREAMS',
        maxPerUser: live.options.maxPerUser,
        maxTotal: live.options.maxTotal,
      });
    const abort = new AbortController();
    let events: AsyncIterable<LiveEvent>;
    try {
      events = deps.flows.follow({ ...filters, signal: abort.signal });
    } catch (e) {
      live.release(stats);
      throw e;
    }
    const onRequestAbort = () => abort.abort();
    c.req.raw.signal.addEventListener('abort', onRequestAbort, { once: true });
    log.info('live flow stream opened', { stream: stats.id, namespace: ctx.namespace, user });
    const body = liveBody({
      events,
      abort,
      stats,
      bufferSize: live.options.bufferSize,
      keepaliveMs: live.options.keepaliveMs,
      log,
      onClose: () => {
        c.req.raw.signal.removeEventListener('abort', onRequestAbort);
        live.release(stats);
        log.info('live flow stream closed', {
          stream: stats.id,
          delivered: stats.delivered,
          dropped: stats.dropped,
          seconds: Math.round((Date.now() - stats.startedAt) / 1000),
        });
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      },
    });
  });

  return app;
}

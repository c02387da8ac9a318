/**
 * Server-Sent Events for any route: reads a source of events as fast as it yields and writes them as SSE
 * frames, with keep-alive comments. The body is pull-driven (@hono/node-server reads the next chunk only after
 * the socket drained), so events for a slow client wait in a bounded ring (the oldest dropped, then reported in
 * one event) instead of piling up in memory.
 */
import { RingBuffer } from './ring-buffer';

/** One SSE event, e.g. { event: "flow", data: { … } }; data is sent as one JSON line. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** One SSE frame, e.g. "event: flow\ndata: {...}\n\n" (JSON has no raw newlines, so one data line). */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const frameOf = (e: SseEvent): string => sseFrame(e.event, e.data);
/** "event: flow\ndata: …" → "flow". */
const nameOf = (frame: string): string => frame.slice(7, frame.indexOf('\n', 7));

/**
 * Frames by mapper, then by source item: an item sent on several streams through the same mapper (the same
 * object, e.g. one Relay flow shared by many browsers) is serialised once. The values are strings on purpose:
 * WeakMap values that hold references cost the garbage collector far more at thousands of events/s.
 */
const frameCaches = new WeakMap<object, WeakMap<object, string>>();

function frameCacheOf(mapper: object): WeakMap<object, string> {
  let cache = frameCaches.get(mapper);
  if (!cache) {
    cache = new WeakMap();
    frameCaches.set(mapper, cache);
  }
  return cache;
}

/** Frames per write and the longest wait to fill them: ≤ 10 ms of added latency, far fewer writes. */
const BATCH_FRAMES = 64;
const BATCH_WAIT_MS = 10;
/** Most frames one write carries. */
const MAX_FRAMES_PER_WRITE = 256;
const KEEPALIVE = ': keepalive\n\n';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  // Tells nginx-like proxies not to buffer the stream.
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
} as const;

/** Counters the stream keeps up to date in place, e.g. a session's stats object that tests and logs read. */
export interface SseCounters {
  /** Frames waiting for the client now (≤ bufferSize). */
  buffered: number;
  /** Highest `buffered` seen. */
  maxBuffered: number;
  /** Events discarded because the client read too slowly. */
  dropped: number;
}

export interface SseStreamOptions<T, E extends SseEvent = SseEvent> {
  /** What to send; read until it ends, throws or the stream closes. */
  source: AsyncIterable<T>;
  /** The event of one source item, e.g. (flow) => ({ event: "flow", data: flow }); pure, as frames are cached by it. */
  event: (item: T) => E;
  /** Frames kept for a slow client before the oldest are dropped, e.g. 1000. */
  bufferSize: number;
  /** Interval of the `: keepalive` comment, sent when nothing waits, ms, e.g. 15000. */
  keepaliveMs: number;
  /** Reconnect delay EventSource is told to use, ms; default 5000. */
  retryMs?: number;
  /** Written ahead of the next batch after drops, e.g. (n) => ({ event: "dropped", data: { count: n } }). */
  droppedEvent: (count: number) => E;
  /** Last event when the source ends; none when omitted. */
  endEvent?: () => E;
  /** Last event when the source throws; none when omitted. */
  errorEvent?: (error: unknown) => E;
  /** The request's signal: the stream closes when the client goes away. */
  signal?: AbortSignal;
  counters?: SseCounters;
  /** Called with the name of each queued event as it is written, e.g. to count delivered flows. */
  onWrite?: (event: string) => void;
  /** Called once when the stream closes (client gone, or the source over and drained); stop the source here. */
  onClose?: () => void;
}

/** The SSE body for a Response; see sseResponse(). */
export function createSseStream<T, E extends SseEvent = SseEvent>(
  opts: SseStreamOptions<T, E>,
): ReadableStream<Uint8Array> {
  // Frames, serialised when queued, so the ring holds only strings and the events themselves die young.
  const ring = new RingBuffer<string>(opts.bufferSize);
  const cache = frameCacheOf(opts.event);
  const counters: SseCounters = opts.counters ?? { buffered: 0, maxBuffered: 0, dropped: 0 };
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
      counters.dropped++;
    }
    counters.buffered = ring.size;
    if (ring.size > counters.maxBuffered) counters.maxBuffered = ring.size;
    notify();
  };
  const keepalive = setInterval(() => {
    if (ring.size === 0) put(KEEPALIVE);
  }, opts.keepaliveMs);
  const frameOfItem = (item: T): string => {
    if (typeof item !== 'object' || item === null) return frameOf(opts.event(item));
    let frame = cache.get(item);
    if (frame === undefined) {
      frame = frameOf(opts.event(item));
      cache.set(item, frame);
    }
    return frame;
  };
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    opts.signal?.removeEventListener('abort', cleanup);
    opts.onClose?.();
    notify();
  };
  // Client gone (request aborted): free whatever feeds the stream.
  opts.signal?.addEventListener('abort', cleanup, { once: true });

  void (async () => {
    try {
      for await (const item of opts.source) {
        if (closed) break;
        put(frameOfItem(item));
      }
      if (!closed && opts.endEvent) put(frameOf(opts.endEvent()));
    } catch (e) {
      if (!closed && opts.errorEvent) put(frameOf(opts.errorEvent(e)));
    } finally {
      finished = true;
      notify();
    }
  })();

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`retry: ${opts.retryMs ?? 5000}\n\n`));
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
        let chunk = '';
        if (pendingDropped > 0) {
          chunk += frameOf(opts.droppedEvent(pendingDropped));
          pendingDropped = 0;
        }
        for (let i = 0; i < MAX_FRAMES_PER_WRITE && ring.size > 0; i++) {
          const frame = ring.shift() as string;
          if (opts.onWrite && frame !== KEEPALIVE) opts.onWrite(nameOf(frame));
          chunk += frame;
        }
        counters.buffered = ring.size;
        controller.enqueue(encoder.encode(chunk));
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: 0 },
  );
}

/** 200 with an SSE body, e.g. sseResponse(createSseStream({ … })). */
export function sseResponse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}

import { afterEach, describe, expect, it } from 'vitest';
import {
  createSseStream,
  sseFrame,
  sseResponse,
  type SseCounters,
  type SseEvent,
  type SseStreamOptions,
} from './sse';
import { createPushQueue } from '../push-queue';

/** An async source the test feeds: push(), end(), fail(); `stopped` resolves when the reader let go of it. */
function pushSource<T>() {
  let released!: () => void;
  const stopped = new Promise<void>((r) => (released = r));
  const q = createPushQueue<T>({ onRelease: () => released() });
  return { stopped, push: q.push, end: () => q.end(), fail: (e: unknown) => q.end(e), iterable: q.iterable };
}

const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) await r.cancel().catch(() => undefined);
});

function open(overrides: Partial<SseStreamOptions<number>> = {}) {
  const source = pushSource<number>();
  const counters: SseCounters = { buffered: 0, maxBuffered: 0, dropped: 0 };
  /** The event names onWrite saw. */
  const written: string[] = [];
  let closes = 0;
  const body = createSseStream<number>({
    source: source.iterable,
    event: (n) => ({ event: 'n', data: { n } }),
    bufferSize: 100,
    keepaliveMs: 60_000,
    droppedEvent: (count) => ({ event: 'dropped', data: { count } }),
    endEvent: () => ({ event: 'end', data: { reason: 'done' } }),
    errorEvent: (e) => ({ event: 'error', data: { message: String(e) } }),
    counters,
    onWrite: (event) => written.push(event),
    onClose: () => closes++,
    ...overrides,
  });
  const reader = body.getReader();
  readers.push(reader);
  const decoder = new TextDecoder();
  /** The next chunk the client receives, or null once the stream closed. */
  const read = async () => {
    const r = await reader.read();
    return r.done ? null : decoder.decode(r.value);
  };
  return { source, counters, written, closes: () => closes, read, reader };
}

describe('sseFrame', () => {
  it('is one event line and one JSON data line', () => {
    expect(sseFrame('flow', { a: 'x\ny' })).toBe('event: flow\ndata: {"a":"x\\ny"}\n\n');
  });
});

describe('createSseStream', () => {
  it('sends the reconnect hint, then the events in one write, then the end event, and closes once', async () => {
    const s = open();
    expect(await s.read()).toBe('retry: 5000\n\n');
    s.source.push(1, 2, 3);
    expect(await s.read()).toBe(sseFrame('n', { n: 1 }) + sseFrame('n', { n: 2 }) + sseFrame('n', { n: 3 }));
    expect(s.written).toEqual(['n', 'n', 'n']);
    s.source.end();
    expect(await s.read()).toBe(sseFrame('end', { reason: 'done' }));
    expect(await s.read()).toBeNull();
    expect(s.closes()).toBe(1);
  });

  it('keeps a bounded buffer for a slow client and reports what it dropped before the rest', async () => {
    const s = open({ bufferSize: 3 });
    await s.read();
    s.source.push(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    s.source.end();
    // The source is read as fast as it yields while nobody reads the body.
    const chunk = await s.read();
    expect(chunk).toBe(
      sseFrame('dropped', { count: 8 }) +
        sseFrame('n', { n: 9 }) +
        sseFrame('n', { n: 10 }) +
        sseFrame('end', { reason: 'done' }),
    );
    expect(s.counters).toEqual({ buffered: 0, maxBuffered: 3, dropped: 8 });
    expect(s.written).toEqual(['n', 'n', 'end']);
  });

  it('writes a keep-alive comment while nothing happens', async () => {
    const s = open({ keepaliveMs: 20 });
    await s.read();
    expect(await s.read()).toBe(': keepalive\n\n');
  });

  it('ends with the error event when the source fails', async () => {
    const s = open();
    await s.read();
    s.source.push(1);
    s.source.fail(new Error('relay gone'));
    const rest = [await s.read(), await s.read()].filter((c) => c !== null).join('');
    expect(rest).toBe(sseFrame('n', { n: 1 }) + sseFrame('error', { message: 'Error: relay gone' }));
    expect(await s.read()).toBeNull();
    expect(s.closes()).toBe(1);
  });

  it('closes when the client cancels the body, and stops reading the source', async () => {
    const s = open();
    await s.read();
    await s.reader.cancel();
    expect(s.closes()).toBe(1);
    s.source.push(1);
    await s.source.stopped;
    expect(s.counters).toMatchObject({ buffered: 0, maxBuffered: 0 });
  });

  it('closes when the request signal aborts', async () => {
    const request = new AbortController();
    const s = open({ signal: request.signal });
    await s.read();
    request.abort();
    expect(s.closes()).toBe(1);
    expect(await s.read()).toBeNull();
  });
});

describe('createSseStream with a source shared by several streams', () => {
  it('serialises an item sent on two streams through the same mapper once', async () => {
    let mapped = 0;
    const toEvent = (item: { n: number }): SseEvent => {
      mapped++;
      return { event: 'n', data: item };
    };
    const item = { n: 1 };
    const bodies = [1, 2].map(() =>
      createSseStream({
        source: (async function* () {
          yield item;
        })(),
        event: toEvent,
        bufferSize: 10,
        keepaliveMs: 60_000,
        droppedEvent: (count) => ({ event: 'dropped', data: { count } }),
      }),
    );
    const texts = await Promise.all(bodies.map((b) => new Response(b).text()));
    expect(texts).toEqual(['retry: 5000\n\n' + sseFrame('n', item), 'retry: 5000\n\n' + sseFrame('n', item)]);
    expect(mapped).toBe(1);
  });
});

describe('sseResponse', () => {
  it('answers 200 text/event-stream, uncached and unbuffered by proxies', () => {
    const res = sseResponse(new ReadableStream());
    expect(res.status).toBe(200);
    expect(['content-type', 'cache-control', 'x-accel-buffering'].map((h) => res.headers.get(h))).toEqual([
      'text/event-stream',
      'no-cache',
      'no',
    ]);
  });
});

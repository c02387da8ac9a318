import { describe, expect, it } from 'vitest';
import type { FlowsService, LiveEvent } from './flows.service';
import { shareLiveStreams } from './live-hub';

/** A FlowsService whose follow() streams are driven by the test. */
function scriptedFlows() {
  const streams: {
    q: { namespace: string; verdict?: string };
    signal: AbortSignal;
    emit(e: LiveEvent): void;
    fail(e: Error): void;
  }[] = [];
  const service: FlowsService = {
    recent: () => Promise.reject(new Error('not used')),
    follow(q) {
      const pending: LiveEvent[] = [];
      let wake: (() => void) | null = null;
      let error: Error | null = null;
      const notify = () => {
        const w = wake;
        wake = null;
        w?.();
      };
      q.signal.addEventListener('abort', notify);
      streams.push({
        q,
        signal: q.signal,
        emit: (e) => {
          pending.push(e);
          notify();
        },
        fail: (e) => {
          error = e;
          notify();
        },
      });
      return {
        async *[Symbol.asyncIterator]() {
          for (;;) {
            while (pending.length) yield pending.shift() as LiveEvent;
            if (error) throw error;
            if (q.signal.aborted) return;
            await new Promise<void>((r) => (wake = r));
          }
        },
      };
    },
  };
  return { service, streams };
}

const lost = (count: number): LiveEvent => ({
  type: 'lost',
  count,
  source: 'HUBBLE_RING_BUFFER',
  node: 'n1',
});
const iter = (events: AsyncIterable<LiveEvent>) => events[Symbol.asyncIterator]();
const tick = () => new Promise((r) => setTimeout(r, 5));

async function take(it: AsyncIterator<LiveEvent>, n: number): Promise<LiveEvent[]> {
  const out: LiveEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('shareLiveStreams', () => {
  it('serves every follower of the same namespace and filters from ONE relay stream, with the same event objects', async () => {
    const { service, streams } = scriptedFlows();
    const hub = shareLiveStreams(service);
    const a = new AbortController();
    const b = new AbortController();
    const ia = iter(hub.follow({ namespace: 'shop', verdict: 'DROPPED', signal: a.signal }));
    const ib = iter(hub.follow({ namespace: 'shop', verdict: 'DROPPED', signal: b.signal }));
    expect(streams).toHaveLength(1);
    expect(hub.hubStats()).toEqual({ upstreams: 1, subscribers: 2 });
    const e1 = lost(1);
    streams[0]!.emit(e1);
    streams[0]!.emit(lost(2));
    const [ra, rb] = await Promise.all([take(ia, 2), take(ib, 2)]);
    expect(ra.map((e) => (e as { count: number }).count)).toEqual([1, 2]);
    expect(ra[0]).toBe(e1);
    expect(rb[0]).toBe(e1);
    a.abort();
    b.abort();
  });

  it('tells a late joiner the node status the stream reported before it came', async () => {
    const { service, streams } = scriptedFlows();
    const hub = shareLiveStreams(service);
    const c = new AbortController();
    const first = iter(hub.follow({ namespace: 'shop', signal: c.signal }));
    const down: LiveEvent = {
      type: 'nodes',
      state: 'NODE_UNAVAILABLE',
      nodes: ['kind-worker2'],
      message: 'peer unreachable',
    };
    streams[0]!.emit(down);
    expect(await take(first, 1)).toEqual([down]);
    const late = iter(hub.follow({ namespace: 'shop', signal: c.signal }));
    streams[0]!.emit(lost(3));
    expect(await take(late, 2)).toEqual([down, lost(3)]);
    c.abort();
  });

  it('opens separate streams for other namespaces or filters', () => {
    const { service, streams } = scriptedFlows();
    const hub = shareLiveStreams(service);
    const c = new AbortController();
    hub.follow({ namespace: 'shop', signal: c.signal });
    hub.follow({ namespace: 'shop', verdict: 'DROPPED', signal: c.signal });
    hub.follow({ namespace: 'dev-team', signal: c.signal });
    expect(streams.map((s) => [s.q.namespace, s.q.verdict ?? ''])).toEqual([
      ['shop', ''],
      ['shop', 'DROPPED'],
      ['dev-team', ''],
    ]);
    c.abort();
  });

  it('keeps the relay stream while one follower remains and cancels it when the last one leaves', async () => {
    const { service, streams } = scriptedFlows();
    const hub = shareLiveStreams(service);
    const a = new AbortController();
    const b = new AbortController();
    hub.follow({ namespace: 'shop', signal: a.signal });
    const ib = iter(hub.follow({ namespace: 'shop', signal: b.signal }));
    a.abort();
    expect(streams[0]!.signal.aborted).toBe(false);
    streams[0]!.emit(lost(7));
    expect(await take(ib, 1)).toEqual([lost(7)]);
    b.abort();
    expect(streams[0]!.signal.aborted).toBe(true);
    expect(hub.hubStats()).toEqual({ upstreams: 0, subscribers: 0 });
    // A new follower after that gets a fresh relay stream.
    const c = new AbortController();
    hub.follow({ namespace: 'shop', signal: c.signal });
    expect(streams).toHaveLength(2);
    c.abort();
  });

  it('ends every follower with the relay error when the stream fails', async () => {
    const { service, streams } = scriptedFlows();
    const hub = shareLiveStreams(service);
    const c = new AbortController();
    const ia = iter(hub.follow({ namespace: 'shop', signal: c.signal }));
    const ib = iter(hub.follow({ namespace: 'shop', signal: c.signal }));
    await tick();
    streams[0]!.fail(new Error('relay went away'));
    await expect(ia.next()).rejects.toThrow('relay went away');
    await expect(ib.next()).rejects.toThrow('relay went away');
    expect(hub.hubStats().upstreams).toBe(0);
  });

  it('passes a synchronous "no relay" error to the caller', () => {
    const hub = shareLiveStreams({
      recent: () => Promise.reject(new Error('x')),
      follow: () => {
        throw new Error('Hubble Relay not found');
      },
    });
    expect(() => hub.follow({ namespace: 'shop', signal: new AbortController().signal })).toThrow(
      'not found',
    );
    expect(hub.hubStats().upstreams).toBe(0);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, shallowRef } from 'vue';
import type { FlowView } from '../../../../contract/insights';
import { FakeEventSource } from '../../../test/fake-event-source';
import { createFakeBackend, mountWithServices, settle } from '../../../test/harness';
import { EMPTY_STREAM, FLOW_POLL_MS, useFlows } from './useFlows';
import { endpoint, flowView } from '../../../test/flows';

const flow = (summary: string, time: string): FlowView =>
  flowView({
    time,
    verdict: 'DROPPED',
    dropReason: 'POLICY_DENIED',
    source: endpoint({ namespace: 'dev', pod: 'a', identity: 1 }),
    destination: endpoint({ namespace: 'dev', pod: 'b', identity: 2 }),
    l4: null,
    summary,
  });

/** The panel with live on and its stream open. */
async function openStream() {
  const t = setup(true);
  await settle();
  t.live.value = true;
  await nextTick();
  return { ...t, es: FakeEventSource.instances.at(-1)! };
}

function setup(supportsSse: boolean) {
  const backend = createFakeBackend({
    'GET /api/v1/insights/flows': () => ({
      status: 200,
      body: {
        namespace: 'dev',
        flows: [flow('old', '2026-01-01T00:00:01Z')],
        lostEvents: 0,
        unavailableNodes: [],
      },
    }),
  });
  const live = shallowRef(false);
  let api!: ReturnType<typeof useFlows>;
  const Probe = defineComponent({
    setup() {
      api = useFlows({
        scope: () => ({ team: 'dev', region: 'rainbond' }),
        filter: () => ({ verdict: 'DROPPED', limit: 10 }),
        live: () => live.value,
        supportsSse: () => supportsSse,
        EventSourceImpl: FakeEventSource as unknown as typeof EventSource,
      });
      return () => h('div');
    },
  });
  const wrapper = mountWithServices(Probe, {}, { fetch: backend.fetch });
  return {
    backend,
    live,
    wrapper,
    get flows() {
      return api;
    },
  };
}

afterEach(() => {
  FakeEventSource.instances = [];
  vi.useRealTimers();
});

describe('useFlows', () => {
  it('streams over SSE with follow=true and closes the stream on unmount', async () => {
    const t = setup(true);
    await settle();
    t.live.value = true;
    await nextTick();
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toContain(
      '/api/v1/insights/flows?team=dev&region=rainbond&verdict=DROPPED&limit=10&follow=true',
    );
    es.emit('flow', JSON.stringify(flow('new', '2026-01-01T00:00:05Z')));
    expect(t.flows.flows.value.map((f) => f.summary)).toEqual(['new', 'old']);
    expect(t.flows.mode.value).toBe('sse');
    t.wrapper.unmount();
    expect(es.closed).toBe(true);
  });

  it('falls back to polling every 3 s when the stream errors, and stops on unmount', async () => {
    vi.useFakeTimers();
    const t = setup(true);
    await vi.runOnlyPendingTimersAsync();
    t.live.value = true;
    await nextTick();
    FakeEventSource.instances[0]!.fail();
    await nextTick();
    expect(t.flows.mode.value).toBe('polling');
    const before = t.backend.requests.length;
    await vi.advanceTimersByTimeAsync(FLOW_POLL_MS * 2 + 10);
    expect(t.backend.requests.length).toBe(before + 2);
    t.wrapper.unmount();
    await vi.advanceTimersByTimeAsync(FLOW_POLL_MS * 3);
    expect(t.backend.requests.length).toBe(before + 2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('polls instead of SSE on consoles before 6.8', async () => {
    const t = setup(false);
    await settle();
    t.live.value = true;
    await nextTick();
    expect(FakeEventSource.instances).toHaveLength(0);
    expect(t.flows.mode.value).toBe('polling');
    t.wrapper.unmount();
  });

  it('adds up `lost` counts and keeps the latest source', async () => {
    const t = await openStream();
    t.es.emit('lost', { count: 12, source: 'HUBBLE_RING_BUFFER', node: 'kind-worker' });
    t.es.emit('lost', { count: 3, source: 'OBSERVER_EVENTS_QUEUE', node: 'kind-worker2' });
    expect(t.flows.stream.value).toMatchObject({ lost: 15, lostSource: 'OBSERVER_EVENTS_QUEUE' });
    expect(t.flows.mode.value).toBe('sse');
    t.wrapper.unmount();
  });

  it('adds up `dropped` counts', async () => {
    const t = await openStream();
    t.es.emit('dropped', { count: 340 });
    t.es.emit('dropped', { count: 60 });
    expect(t.flows.stream.value.dropped).toBe(400);
    expect(t.flows.mode.value).toBe('sse');
    t.wrapper.unmount();
  });

  it('tracks unavailable nodes from `nodes` until they connect again', async () => {
    const t = await openStream();
    t.es.emit('nodes', { state: 'NODE_CONNECTED', nodes: ['a', 'b', 'c'], message: '' });
    expect(t.flows.stream.value.unavailableNodes).toEqual([]);
    t.es.emit('nodes', { state: 'NODE_UNAVAILABLE', nodes: ['b', 'c'], message: 'connection refused' });
    expect(t.flows.stream.value.unavailableNodes).toEqual(['b', 'c']);
    t.es.emit('nodes', { state: 'NODE_CONNECTED', nodes: ['b'], message: '' });
    expect(t.flows.stream.value.unavailableNodes).toEqual(['c']);
    t.wrapper.unmount();
  });

  it('stops on `error` with its code and message, without falling back to polling', async () => {
    const t = await openStream();
    t.es.emit('error', { code: 'UPSTREAM_ERROR', message: 'relay: 14 UNAVAILABLE' });
    expect(t.flows.mode.value).toBe('failed');
    expect(t.flows.stream.value.error).toEqual({ code: 'UPSTREAM_ERROR', message: 'relay: 14 UNAVAILABLE' });
    expect(t.es.closed).toBe(true);
    // the connection closing afterwards is EventSource's own error: ignored, the stream is already closed
    t.es.fail();
    expect(t.flows.mode.value).toBe('failed');
    t.wrapper.unmount();
  });

  it('stops on `end` with its reason; reconnect opens a new stream with fresh counters', async () => {
    const t = await openStream();
    t.es.emit('flow', flow('new', '2026-01-01T00:00:05Z'));
    t.es.emit('dropped', { count: 5 });
    t.es.emit('end', { reason: 'relay-closed' });
    expect(t.flows.mode.value).toBe('ended');
    expect(t.flows.stream.value.end).toEqual({ reason: 'relay-closed' });
    expect(t.es.closed).toBe(true);
    t.flows.reconnect();
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(t.flows.mode.value).toBe('sse');
    expect(t.flows.stream.value).toEqual(EMPTY_STREAM);
    expect(t.flows.flows.value.map((f) => f.summary)).toEqual(['new', 'old']);
    t.wrapper.unmount();
  });

  it('renews a stream that reached its lifetime (`end` max-duration) at once, keeping rows and counters', async () => {
    const t = await openStream();
    t.es.emit('flow', flow('new', '2026-01-01T00:00:05Z'));
    t.es.emit('dropped', { count: 5 });
    t.es.emit('end', { reason: 'max-duration' });
    expect(t.es.closed).toBe(true);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.instances[1]!.url).toBe(t.es.url);
    expect(t.flows.mode.value).toBe('sse');
    expect(t.flows.stream.value).toMatchObject({ dropped: 5, end: null });
    expect(t.flows.flows.value.map((f) => f.summary)).toEqual(['new', 'old']);
    t.wrapper.unmount();
  });

  it('stays stopped when the stream ended because the user left the team', async () => {
    const t = await openStream();
    t.es.emit('end', { reason: 'membership' });
    expect(t.flows.mode.value).toBe('ended');
    expect(FakeEventSource.instances).toHaveLength(1);
    t.wrapper.unmount();
  });

  it('skips malformed events', async () => {
    const t = await openStream();
    t.es.emit('flow', '{not json');
    t.es.emit('dropped', 'null');
    t.es.emit('lost', { count: 'many', source: 's', node: 'n' });
    expect(t.flows.flows.value.map((f) => f.summary)).toEqual(['old']);
    expect(t.flows.stream.value).toMatchObject({ dropped: 0, lost: 0 });
    expect(t.flows.mode.value).toBe('sse');
    t.wrapper.unmount();
  });
});

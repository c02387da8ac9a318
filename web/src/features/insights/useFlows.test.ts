import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, shallowRef } from 'vue';
import type { FlowView } from '../../../../contract/insights';
import { createFakeBackend, mountWithServices, settle } from '../../../test/harness';
import { FLOW_POLL_MS, useFlows } from './useFlows';

const flow = (summary: string, time: string): FlowView => ({
  time,
  node: 'n1',
  verdict: 'DROPPED',
  dropReason: 'POLICY_DENIED',
  direction: 'egress',
  isReply: false,
  source: { namespace: 'dev', pod: 'a', workload: '', labels: [], ip: '', names: [], identity: 1 },
  destination: { namespace: 'dev', pod: 'b', workload: '', labels: [], ip: '', names: [], identity: 2 },
  l4: null,
  l7: null,
  summary,
});

/** Records what the panel opens; `emit` and `fail` play the server side. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  listeners: Record<string, ((e: MessageEvent) => void)[]> = {};
  onerror: (() => void) | null = null;
  closed = false;
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: string) {
    for (const fn of this.listeners[type] ?? []) fn(new MessageEvent(type, { data }));
  }
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
    FakeEventSource.instances[0]!.onerror?.();
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
});

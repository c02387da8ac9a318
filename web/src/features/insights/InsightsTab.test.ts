import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Summary } from '../../../../contract/insights';
import { FakeEventSource } from '../../../test/fake-event-source';
import { createFakeBackend, makeTool, mountWithServices, ok, settle } from '../../../test/harness';
import InsightsTab from './InsightsTab.vue';

const summary: Summary = {
  scope: 'namespace',
  namespace: 'dev',
  window: '5m',
  generatedAt: '2026-01-01T00:00:00Z',
  prometheus: { url: null, found: true, reachable: true },
  cards: [],
  topDropReasons: [],
  diagnoses: [],
};

const hubbleUi = makeTool({
  access: { external: true, mode: 'open', urls: ['http://h.example'] },
  links: [
    { id: 'namespace-flows', title: 'Service map of dev', url: 'http://h.example/?namespace=dev' },
    { id: 'namespace-dropped', title: 'Dropped in dev', url: 'http://h.example/?namespace=dev&verdicts=2' },
  ],
});

function mountTab(
  locale: 'en' | 'zh-CN' = 'en',
  relay: { address: string | null } = { address: 'hubble-relay:80' },
) {
  const backend = createFakeBackend({
    'GET /api/v1/insights/summary': ok(summary),
    'GET /api/v1/insights/relay': ok({
      address: relay.address,
      found: true,
      reachable: true,
      version: '1.17.5',
      connectedNodes: 3,
      unavailableNodes: [],
      numFlows: 10,
      maxFlows: 100,
      flowsRate: 1,
      nodes: [],
      diagnoses: [],
    }),
    'GET /api/v1/insights/flows': ok({ namespace: 'dev', flows: [], lostEvents: 0, unavailableNodes: [] }),
    'GET /api/v1/tools/hubble-ui': ok(hubbleUi),
  });
  const wrapper = mountWithServices(
    InsightsTab,
    { scope: { team: 'dev', region: 'rainbond' } },
    { fetch: backend.fetch, locale },
  );
  return { wrapper, backend };
}

/** Mounts the tab, turns live on and returns the stream it opened. */
async function goLive(locale: 'en' | 'zh-CN' = 'en') {
  const t = mountTab(locale);
  await settle();
  await t.wrapper.find('.cobs-live[role="switch"], .cobs-live [role="switch"]').trigger('click');
  await settle();
  const es = FakeEventSource.instances.at(-1);
  if (!es) throw new Error('no EventSource opened');
  return { ...t, es };
}

const liveStatus = (w: ReturnType<typeof mountTab>['wrapper']) => w.find('.cobs-live-mode').text();

beforeEach(() => vi.stubGlobal('EventSource', FakeEventSource));
afterEach(() => {
  vi.unstubAllGlobals();
  FakeEventSource.instances = [];
  document.body.innerHTML = '';
});

describe('InsightsTab live stream', () => {
  it('shows lost and dropped counts as they add up', async () => {
    const { wrapper, es } = await goLive();
    expect(liveStatus(wrapper)).toBe('Live updates on');
    expect(wrapper.find('.cobs-stream').exists()).toBe(false);
    es.emit('lost', { count: 12, source: 'HUBBLE_RING_BUFFER', node: 'n1' });
    es.emit('lost', { count: 3, source: 'HUBBLE_RING_BUFFER', node: 'n2' });
    es.emit('dropped', { count: 340 });
    await settle();
    expect(wrapper.find('.cobs-stream__lost').text()).toBe(
      'While streaming, Hubble reported 15 lost events (HUBBLE_RING_BUFFER).',
    );
    expect(wrapper.find('.cobs-stream__dropped').text()).toBe(
      'The backend skipped 340 flows because the browser could not keep up.',
    );
    expect(liveStatus(wrapper)).toBe('Live updates on');
  });

  it('shows the nodes that stopped streaming, and drops them when they connect again', async () => {
    const { wrapper, es } = await goLive();
    es.emit('nodes', { state: 'NODE_UNAVAILABLE', nodes: ['kind-worker2'], message: 'connection refused' });
    await settle();
    expect(wrapper.find('.cobs-stream__nodes').text()).toBe(
      'No flows from these nodes right now: kind-worker2',
    );
    es.emit('nodes', { state: 'NODE_CONNECTED', nodes: ['kind-worker2'], message: '' });
    await settle();
    expect(wrapper.find('.cobs-stream__nodes').exists()).toBe(false);
  });

  it('shows a stream error with its message and retries on request', async () => {
    const { wrapper, es } = await goLive();
    es.emit('error', { code: 'UPSTREAM_ERROR', message: 'relay: 14 UNAVAILABLE' });
    await settle();
    expect(liveStatus(wrapper)).toBe('Live updates failed');
    const group = wrapper.find('.cobs-stream [role="group"]');
    expect(group.attributes('aria-label')).toBe('The live stream failed and stopped.');
    expect(group.text()).toContain('Details: relay: 14 UNAVAILABLE');
    await wrapper.find('.cobs-stream__reconnect').trigger('click');
    await settle();
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(liveStatus(wrapper)).toBe('Live updates on');
    expect(wrapper.find('.cobs-stream').exists()).toBe(false);
  });

  it('shows the end of the stream and reconnects on request', async () => {
    const { wrapper, es } = await goLive('zh-CN');
    es.emit('end', { reason: 'relay-closed' });
    await settle();
    expect(liveStatus(wrapper)).toBe('实时更新已停止');
    expect(wrapper.find('.cobs-stream').text()).toContain('实时流已结束：Hubble Relay 关闭了连接。');
    const button = wrapper.find('.cobs-stream__reconnect');
    expect(button.text()).toBe('重新连接');
    await button.trigger('click');
    await settle();
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.instances[1]!.url).toContain('follow=true');
    expect(liveStatus(wrapper)).toBe('实时更新中');
  });
});

describe('InsightsTab live stream ended by the backend', () => {
  it('opens a new stream at once when the old one reached its lifetime, keeping the rows', async () => {
    const { wrapper, es } = await goLive();
    es.emit('end', { reason: 'max-duration' });
    await settle();
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(es.closed).toBe(true);
    expect(liveStatus(wrapper)).toBe('Live updates on');
    expect(wrapper.find('.cobs-stream').exists()).toBe(false);
  });

  it.each([
    ['membership', 'The live stream ended: you are no longer a member of this team.'],
    ['session', 'The live stream ended: your console login is no longer valid. Log in again.'],
  ])('says why when the reason is %s, and offers no reconnect that could not work', async (reason, text) => {
    const { wrapper, es } = await goLive();
    es.emit('end', { reason });
    await settle();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(wrapper.find('.cobs-stream [role="group"]').attributes('aria-label')).toBe(text);
    expect(wrapper.find('.cobs-stream__reconnect').exists()).toBe(false);
  });
});

describe('InsightsTab Relay panel', () => {
  it('shows Relay as found for a team member, whose reply carries no address', async () => {
    const { wrapper } = mountTab('en', { address: null });
    await settle();
    const panel = wrapper.find('.cobs-relay');
    expect(panel.text()).not.toContain('Hubble Relay not found');
    expect(panel.text()).toContain('1.17.5');
  });
});

describe('InsightsTab Hubble UI link', () => {
  it("takes the tool's namespace link, and its dropped link while filtering DROPPED", async () => {
    const { wrapper } = mountTab();
    await settle();
    const href = () => wrapper.find('.cobs-hubble-link').attributes('href');
    expect(href()).toBe('http://h.example/?namespace=dev');
    await wrapper.find('.cobs-filter-verdict').setValue('DROPPED');
    await settle();
    expect(href()).toBe('http://h.example/?namespace=dev&verdicts=2');
    await wrapper.find('.cobs-filter-verdict').setValue('FORWARDED');
    await settle();
    expect(href()).toBe('http://h.example/?namespace=dev');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { PluginEntry } from '../../../../contract';
import { createFakeBackend, makeStatus, mountWithServices, ok, settle } from '../../../test/harness';
import { pluginEntryTag, showPluginEntry } from './plugin-entry-view';
import StatusPage from './StatusPage.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const entry = (over: Partial<PluginEntry> = {}): PluginEntry => ({
  state: 'ok',
  id: 'cilium-observability',
  message: 'The console’s plugin entry "cilium-observability" loads this backend.',
  fix: [],
  frontendService: 'cilium-observability.dev.svc.cluster.local:8080/static/main.js',
  backendService: 'cilium-observability.dev.svc.cluster.local:8080',
  checkedAt: '2026-01-01T00:00:00Z',
  ...over,
});

const missing = entry({
  state: 'missing',
  message:
    'The console has no plugin entry for this backend: RBDPlugin "cilium-observability" does not exist.',
  fix: ['npm run render -- rbdplugin --namespace dev | kubectl apply -f -'],
  frontendService: null,
  backendService: null,
});

describe('plugin-entry view', () => {
  it.each([
    ['ok', 'success'],
    ['missing', 'danger'],
    ['disabled', 'warning'],
    ['elsewhere', 'warning'],
    ['unknown', 'info'],
  ] as const)('%s → %s tag', (state, type) => {
    expect(pluginEntryTag(state)).toEqual({ type, label: `plugin.state.${state}` });
  });

  it.each([
    ['Platform', 'ok', true],
    ['Platform', 'missing', true],
    ['Team', 'ok', false],
    ['Team', 'elsewhere', true],
  ] as const)('%s view, %s entry → shown %s', (view, state, shown) => {
    expect(showPluginEntry(entry({ state }), view)).toBe(shown);
  });

  it('is hidden when the backend reports no entry (older backend)', () => {
    expect(showPluginEntry(undefined, 'Platform')).toBe(false);
  });
});

describe('StatusPage: plugin entry', () => {
  const mountPage = (
    plugin: PluginEntry | undefined,
    view: 'Platform' | 'Team',
    locale: 'en' | 'zh-CN' = 'en',
  ) => {
    const backend = createFakeBackend({ 'GET /api/v1/status': ok(makeStatus(plugin ? { plugin } : {})) });
    return mountWithServices(
      StatusPage,
      { scope: { team: 'dev', region: 'rainbond' } },
      { fetch: backend.fetch, ctx: { view }, locale },
    );
  };

  it('Platform view: shows the state, the message and the fix commands', async () => {
    const w = mountPage(missing, 'Platform');
    await settle();
    const card = w.find('.cobs-plugin-entry');
    expect(card.exists()).toBe(true);
    expect(card.attributes('data-state')).toBe('missing');
    expect(card.find('.cobs-state-tag').text()).toBe('Missing');
    expect(card.text()).toContain('The console has no plugin entry for this backend');
    expect(card.find('.cobs-code').text()).toContain(
      'npm run render -- rbdplugin --namespace dev | kubectl apply -f -',
    );
  });

  it('Platform view, entry ok: state and addresses, no fix', async () => {
    const w = mountPage(entry(), 'Platform', 'zh-CN');
    await settle();
    const card = w.find('.cobs-plugin-entry');
    expect(card.find('.cobs-state-tag').text()).toBe('正常');
    expect(card.text()).toContain('控制台插件入口');
    expect(card.text()).toContain('cilium-observability.dev.svc.cluster.local:8080/static/main.js');
    expect(card.find('.cobs-code').exists()).toBe(false);
  });

  it('Team view: hidden while the entry is ok', async () => {
    const w = mountPage(entry(), 'Team');
    await settle();
    expect(w.find('.cobs-overview').exists()).toBe(true);
    expect(w.find('.cobs-plugin-entry').exists()).toBe(false);
  });
});

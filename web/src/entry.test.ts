import React from 'react';
import ReactDOM from 'react-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBackend, fail, makeStatus, ok, settle } from '../test/harness';
import { contextFromLocation, plugin, resolveContext, type HostProps } from './entry';

const fullBaseInfo = {
  colorPrimary: '#4d73b1',
  currentLocale: 'en',
  token: 'jwt-1',
  team_name: 'dev',
  region_name: 'rainbond',
};

describe('host context', () => {
  it.each([
    ['#/team/dev/region/rainbond/plugins/cilium-observability', '', { team: 'dev', region: 'rainbond' }],
    ['#/enterprise/e1/plugins/cilium-observability?regionName=r2', '', { region: 'r2' }],
    ['', '?regionName=r3', { region: 'r3' }],
    ['#/index', '', {}],
  ])('location %s%s', (hash, search, expected) => {
    expect(contextFromLocation({ hash, search })).toEqual(expected);
  });

  it('6.9.4: everything from baseInfo; SSE supported', () => {
    const ctx = resolveContext(
      'Team',
      { baseInfo: fullBaseInfo },
      { name: 'my-plugin' },
      { hash: '', search: '' },
    );
    expect(ctx).toMatchObject({
      pluginId: 'my-plugin',
      team: 'dev',
      region: 'rainbond',
      token: 'jwt-1',
      locale: 'en',
      supportsSse: true,
    });
  });

  it('6.6: team/region from the hash, default plugin id, no SSE', () => {
    const props: HostProps = { baseInfo: { colorPrimary: '#000', currentLocale: 'zh', token: 't' } };
    const ctx = resolveContext('Team', props, null, { hash: '#/team/ops/region/r9/plugins/x', search: '' });
    expect(ctx).toMatchObject({
      pluginId: 'cilium-observability',
      team: 'ops',
      region: 'r9',
      locale: 'zh-CN',
      supportsSse: false,
    });
  });

  it.each([
    [['Team'], 'Team'],
    [['Platform', 'Team'], 'Platform'],
  ])('init(meta) with views %j makes root the %s page', (views, page) => {
    plugin.init({ name: 'cilium-observability', plugin_views: views });
    expect(plugin.root).toBe(plugin.viewPages[page as 'Team' | 'Platform']);
    plugin.init({ name: 'cilium-observability', plugin_views: ['Team'] });
  });
});

describe('React wrapper', () => {
  let container: HTMLDivElement;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.appendChild(container);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    container.remove();
  });

  function trackListeners() {
    const live = new Map<string, number>();
    for (const target of [window, document]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      vi.spyOn(target, 'addEventListener').mockImplementation((type, fn, opts) => {
        live.set(type, (live.get(type) ?? 0) + 1);
        add(type, fn, opts);
      });
      vi.spyOn(target, 'removeEventListener').mockImplementation((type, fn, opts) => {
        live.set(type, (live.get(type) ?? 0) - 1);
        remove(type, fn, opts);
      });
    }
    return () => [...live.entries()].filter(([, n]) => n !== 0);
  }

  function trackTimers() {
    const pending = new Set<unknown>();
    const stacks = new Map<unknown, string>();
    const st = globalThis.setTimeout;
    const ct = globalThis.clearTimeout;
    const si = globalThis.setInterval;
    const ci = globalThis.clearInterval;
    vi.stubGlobal('setTimeout', (fn: () => void, ms?: number) => {
      const id: unknown = st(() => {
        pending.delete(id);
        fn();
      }, ms);
      pending.add(id);
      stacks.set(id, `${ms}ms ${new Error().stack}`);
      return id;
    });
    vi.stubGlobal('clearTimeout', (id: ReturnType<typeof setTimeout>) => {
      pending.delete(id);
      ct(id);
    });
    vi.stubGlobal('setInterval', (fn: () => void, ms?: number) => {
      const id: unknown = si(fn, ms);
      pending.add(id);
      return id;
    });
    vi.stubGlobal('clearInterval', (id: ReturnType<typeof setInterval>) => {
      pending.delete(id);
      ci(id);
    });
    // Vue's development build arms a one-off 3 s devtools-hook timer when the renderer is first created
    return () =>
      [...pending].map((id) => stacks.get(id) ?? '').filter((st) => !st.includes('setDevtoolsHook'));
  }

  it('mounts and unmounts twice with no leaked globals, listeners, timers or styles', async () => {
    const backend = createFakeBackend({ 'GET /api/v1/status': ok(makeStatus()) });
    vi.stubGlobal('fetch', backend.fetch);
    const globalsBefore = new Set(Object.keys(window));
    const liveListeners = trackListeners();
    const timers = trackTimers();
    plugin.init({ name: 'cilium-observability', plugin_views: ['Team'] });

    for (let round = 0; round < 2; round++) {
      ReactDOM.render(React.createElement(plugin.viewPages.Team, { baseInfo: fullBaseInfo }), container);
      await settle();
      expect(container.querySelector('.cobs-root')).not.toBeNull();
      expect(document.head.querySelectorAll('style[data-cobs-style]')).toHaveLength(1);
      expect(container.textContent).toContain('Cluster overview');
      ReactDOM.unmountComponentAtNode(container);
      await settle();
      expect(container.innerHTML).toBe('');
      expect(document.head.querySelector('style[data-cobs-style]')).toBeNull();
    }
    expect(backend.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/status',
      'GET /api/v1/status',
    ]);
    expect(backend.unknown).toEqual([]);
    expect(liveListeners()).toEqual([]);
    expect(timers()).toEqual([]);
    // Vue itself marks globalThis once per page (__VUE__, its instance-setter registries; the dev build also
    // __VUE_DEVTOOLS_HOOK_REPLAY__); nothing else, and nothing per mount
    const vueOwned = [
      '__VUE__',
      '__VUE_DEVTOOLS_HOOK_REPLAY__',
      '__VUE_INSTANCE_SETTERS__',
      '__VUE_SSR_SETTERS__',
    ];
    const stubs = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'fetch'];
    const leaked = Object.keys(window).filter((k) => !globalsBefore.has(k) && !stubs.includes(k));
    expect(leaked.filter((k) => !vueOwned.includes(k))).toEqual([]);
  });

  it('takes new props (locale) on update and shares one style element between two panels', async () => {
    vi.stubGlobal('fetch', createFakeBackend({ 'GET /api/v1/status': ok(makeStatus()) }).fetch);
    const second = document.createElement('div');
    document.body.appendChild(second);
    ReactDOM.render(React.createElement(plugin.viewPages.Team, { baseInfo: fullBaseInfo }), container);
    ReactDOM.render(React.createElement(plugin.viewPages.Team, { baseInfo: fullBaseInfo }), second);
    await settle();
    expect(container.textContent).toContain('Cluster overview');
    ReactDOM.render(
      React.createElement(plugin.viewPages.Team, { baseInfo: { ...fullBaseInfo, currentLocale: 'zh' } }),
      container,
    );
    await settle();
    expect(container.textContent).toContain('集群概览');
    ReactDOM.unmountComponentAtNode(container);
    expect(document.head.querySelectorAll('style[data-cobs-style]')).toHaveLength(1);
    ReactDOM.unmountComponentAtNode(second);
    expect(document.head.querySelector('style[data-cobs-style]')).toBeNull();
    second.remove();
  });

  it('switches language from the page', async () => {
    vi.stubGlobal('fetch', createFakeBackend({ 'GET /api/v1/status': ok(makeStatus()) }).fetch);
    ReactDOM.render(React.createElement(plugin.viewPages.Team, { baseInfo: fullBaseInfo }), container);
    await settle();
    const select = container.querySelector<HTMLSelectElement>('select.cobs-lang')!;
    select.value = 'zh-CN';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(container.textContent).toContain('集群概览');
    ReactDOM.unmountComponentAtNode(container);
  });

  it.each([
    [401, 'UNAUTHENTICATED', 'session has expired'],
    [403, 'FORBIDDEN', 'no permission'],
    [502, 'UPSTREAM_ERROR', 'console or the cluster failed'],
    [502, null, 'backend is unreachable'],
  ])('shows what to do on %s %s, not an empty page', async (status, code, text) => {
    vi.stubGlobal('fetch', createFakeBackend({ 'GET /api/v1/status': fail(status, code, 'said no') }).fetch);
    ReactDOM.render(React.createElement(plugin.viewPages.Team, { baseInfo: fullBaseInfo }), container);
    await settle();
    expect(container.querySelector('[role="alert"]')?.textContent).toContain(text);
    expect(container.querySelector('.cobs-overview')).toBeNull();
    ReactDOM.unmountComponentAtNode(container);
  });

  it('Platform view opens straight on the overview of the team that holds the tools', async () => {
    localStorage.clear();
    const backend = createFakeBackend({
      'GET /api/v1/teams': ok({
        teams: [
          {
            name: 'dev',
            alias: 'Dev',
            namespace: 'dev',
            regions: [{ name: 'rainbond', alias: 'R' }],
            holdsTools: [],
          },
          {
            name: 'ops',
            alias: 'Ops',
            namespace: 'ops',
            regions: [{ name: 'rainbond', alias: 'R' }],
            holdsTools: ['hubble-ui', 'grafana'],
          },
        ],
        region: 'rainbond',
        toolsTeam: 'ops',
      }),
      'GET /api/v1/status': ok(makeStatus()),
    });
    vi.stubGlobal('fetch', backend.fetch);
    const baseInfo = { ...fullBaseInfo, team_name: undefined };
    ReactDOM.render(React.createElement(plugin.viewPages.Platform, { baseInfo }), container);
    await settle();
    await settle();
    expect(container.querySelector('.cobs-overview')).not.toBeNull();
    expect(backend.requests.filter((r) => r.path === '/api/v1/status').at(-1)).toMatchObject({
      query: { team: 'ops', region: 'rainbond' },
    });
    ReactDOM.unmountComponentAtNode(container);
  });

  it('never lets an error escape to the host', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.stubGlobal('fetch', createFakeBackend({}).fetch);
    // a broken baseInfo: reading the token throws
    const props: HostProps = {
      baseInfo: {
        get token(): string {
          throw new Error('boom');
        },
      },
    };
    expect(() => ReactDOM.render(React.createElement(plugin.viewPages.Team, props), container)).not.toThrow();
    await settle();
    expect(container.textContent).toContain('the plugin page failed');
    ReactDOM.unmountComponentAtNode(container);
  });
});

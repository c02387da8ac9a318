import { describe, expect, it } from 'vitest';
import type { PluginEntryRead, SlimRBDPlugin } from '../../clients/cluster/plugin-entry';
import {
  judgePluginEntry,
  namespaceOfHost,
  parseServiceAddress,
  pluginEntryView,
  type PluginSelf,
} from './plugin-entry.mapping';

const self: PluginSelf = {
  pluginId: 'cilium-observability',
  namespace: 'dev-team',
  port: 8080,
  bundlePath: '/static/main.js',
};
const HOST = 'cilium-observability.dev-team.svc.cluster.local:8080';
const plugin = (p: Partial<SlimRBDPlugin> = {}): SlimRBDPlugin => ({
  name: 'cilium-observability',
  labels: { 'plugin.rainbond.io/name': 'cilium-observability' },
  frontendService: `${HOST}/static/main.js`,
  backendService: HOST,
  frontendComponent: 'cilium-observability',
  ...p,
});
const found = (p: Partial<SlimRBDPlugin> = {}): PluginEntryRead => ({ kind: 'found', plugin: plugin(p) });

describe('parseServiceAddress', () => {
  it.each([
    [
      `${HOST}/static/main.js`,
      { host: 'cilium-observability.dev-team.svc.cluster.local', port: 8080, path: '/static/main.js' },
    ],
    ['http://svc.ns:9000', { host: 'svc.ns', port: 9000, path: '' }],
    ['https://Svc.NS.svc', { host: 'svc.ns.svc', port: 443, path: '' }],
    ['svc.ns', { host: 'svc.ns', port: 80, path: '' }],
    ['', null],
    ['not a url', null],
  ])('%j', (s, parsed) => expect(parseServiceAddress(s)).toEqual(parsed));
});

describe('namespaceOfHost', () => {
  it.each([
    ['svc.ns.svc.cluster.local', 'ns'],
    ['svc.ns.svc', 'ns'],
    ['svc.ns', 'ns'],
    ['svc', null],
    ['10.0.0.5', null],
    ['plugin.example.com', null],
  ])('%s → %s', (host, ns) => expect(namespaceOfHost(host)).toBe(ns));
});

describe('judgePluginEntry', () => {
  it.each<[string, PluginEntryRead, PluginSelf, Record<string, unknown>]>([
    ['present, enable label absent (market install)', found(), self, { state: 'ok', hostChecked: true }],
    [
      'present, enable=true (kubectl install)',
      found({ labels: { 'plugin.rainbond.io/enable': 'true' } }),
      self,
      { state: 'ok' },
    ],
    ['absent', { kind: 'absent' }, self, { state: 'missing', reason: 'absent' }],
    ['no CRD', { kind: 'no-crd' }, self, { state: 'missing', reason: 'no-crd' }],
    [
      'disabled',
      found({ labels: { 'plugin.rainbond.io/enable': 'false' } }),
      self,
      { state: 'disabled', value: 'false' },
    ],
    [
      'any value but "true" hides it (the UI compares with "true")',
      found({ labels: { 'plugin.rainbond.io/enable': 'False' } }),
      self,
      { state: 'disabled' },
    ],
    [
      'frontend in another namespace',
      found({ frontendService: 'cilium-observability.other.svc.cluster.local:8080/static/main.js' }),
      self,
      { state: 'elsewhere', field: 'frontend_service', reason: 'namespace' },
    ],
    [
      'frontend on another port',
      found({ frontendService: 'cilium-observability.dev-team.svc.cluster.local:9090/static/main.js' }),
      self,
      { state: 'elsewhere', reason: 'port' },
    ],
    [
      'frontend on another path',
      found({ frontendService: `${HOST}/main.js` }),
      self,
      { state: 'elsewhere', reason: 'path' },
    ],
    [
      'frontend empty (no component of that service_cname at install)',
      found({ frontendService: '' }),
      self,
      { state: 'elsewhere', reason: 'empty' },
    ],
    [
      'another Service name in the same namespace and port is not told apart (no Service lookup)',
      found({ backendService: 'other.dev-team.svc.cluster.local:8080' }),
      self,
      { state: 'ok' },
    ],
    [
      'backend in another namespace',
      found({ backendService: 'cilium-observability.x.svc.cluster.local:8080' }),
      self,
      { state: 'elsewhere', field: 'backend_service', reason: 'namespace' },
    ],
    [
      'own namespace unknown: port and path only',
      found({ frontendService: 'cilium-observability.other.svc:8080/static/main.js' }),
      { ...self, namespace: null },
      { state: 'ok', hostChecked: false },
    ],
    [
      'host not a Service name',
      found({ frontendService: '127.0.0.1:8080/static/main.js', backendService: '127.0.0.1:8080' }),
      self,
      { state: 'ok', hostChecked: false },
    ],
    ['not read yet', { kind: 'pending' }, self, { state: 'unknown', reason: 'pending' }],
    [
      'forbidden',
      { kind: 'error', status: 403, message: 'forbidden' },
      self,
      { state: 'unknown', reason: 'error', status: 403 },
    ],
  ])('%s', (_name, read, who, expected) => {
    expect(judgePluginEntry(read, who)).toMatchObject(expected);
  });
});

describe('pluginEntryView', () => {
  const view = (read: PluginEntryRead, locale: 'en' | 'zh-CN' = 'en') =>
    pluginEntryView(judgePluginEntry(read, self), self, locale, '2026-01-01T00:00:00Z');

  it('ok: no fix, addresses reported', () => {
    expect(view(found())).toMatchObject({
      state: 'ok',
      id: 'cilium-observability',
      fix: [],
      frontendService: `${HOST}/static/main.js`,
      backendService: HOST,
      checkedAt: '2026-01-01T00:00:00Z',
    });
  });

  it('missing: says the console has no entry and how to create one', () => {
    const v = view({ kind: 'absent' });
    expect(v.message).toMatch(
      /^The console has no plugin entry for this backend: RBDPlugin "cilium-observability" does not exist/,
    );
    expect(v.fix).toContain('npm run render -- rbdplugin --namespace dev-team | kubectl apply -f -');
    expect(v.frontendService).toBeNull();
    expect(view({ kind: 'absent' }, 'zh-CN').message).toMatch(/^控制台没有本后端的插件入口/);
  });

  it('disabled: the label and the command that enables it', () => {
    const v = view(found({ labels: { 'plugin.rainbond.io/enable': 'false' } }));
    expect(v.message).toContain('plugin.rainbond.io/enable=false');
    expect(v.fix).toContain(
      'kubectl label rbdplugins.rainbond.io cilium-observability plugin.rainbond.io/enable=true --overwrite',
    );
  });

  it('elsewhere: names the address it points at and this backend', () => {
    const other = 'cilium-observability.other.svc.cluster.local:8080/static/main.js';
    const v = view(found({ frontendService: other }));
    expect(v.message).toBe(
      `The plugin entry points elsewhere (frontend_service ${other}): the console loads the panel from another backend, not this one (dev-team:8080).`,
    );
    expect(view(found({ frontendService: other }), 'zh-CN').message).toContain(
      `插件入口指向别处（frontend_service ${other}）`,
    );
  });

  it('unknown after a 403: re-apply RBAC', () => {
    expect(view({ kind: 'error', status: 403, message: 'forbidden' }).fix).toEqual([
      'npm run render -- rbac --namespace dev-team | kubectl apply -f -',
    ]);
  });
});

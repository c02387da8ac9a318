/**
 * The plugin-entry self-check through the whole backend: the RBDPlugin served by the fake Kubernetes API (shaped
 * as Rainbond's CreatePlugin makes it), GET /api/v1/status → `plugin`, /metrics → the gauge, /readyz unaffected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../contract';
import { createPluginEntryReader } from '../../server/clients/cluster/plugin-entry';
import { silentLogger } from '../../server/log';
import { startFakeKubeApi } from '../fakes/kube-api';
import { sandboxCluster } from '../fixtures/cluster';
import { rbdPlugin } from '../fixtures/cluster/rbdplugin';
import { startStack, type Stack } from '../support/stack';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const SELF = { namespace: 'dev-team', port: 8080 };

async function status(s: Stack, locale = 'en'): Promise<Status> {
  const res = await fetch(s.api('status'), { headers: { ...s.headers(), 'Accept-Language': locale } });
  expect(res.status).toBe(200);
  return (await res.json()) as Status;
}

async function gauge(s: Stack): Promise<Record<string, number>> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  return Object.fromEntries(
    [...text.matchAll(/^cilium_observability_plugin_entry_state\{state="(\w+)"\} (\d+)$/gm)].map((m) => [
      m[1] ?? '',
      Number(m[2]),
    ]),
  );
}

describe('plugin-entry self-check (fake Kubernetes API)', () => {
  it.each([
    ['present, enabled, pointing at this backend', 'ok', [rbdPlugin({ namespace: 'dev-team' })]],
    ['absent', 'missing', []],
    ['disabled', 'disabled', [rbdPlugin({ namespace: 'dev-team', enable: 'false' })]],
    ['pointing elsewhere', 'elsewhere', [rbdPlugin({ namespace: 'other-team' })]],
  ] as const)('%s → %s in status and /metrics; /readyz stays ready', async (_name, state, extra) => {
    stack = await startStack({ objects: [...sandboxCluster(), ...extra], backend: { self: SELF } });
    const body = await status(stack);
    expect(body.plugin).toMatchObject({ state, id: 'cilium-observability' });
    const g = await gauge(stack);
    expect(g[state]).toBe(1);
    expect(Object.values(g).reduce((a, b) => a + b, 0)).toBe(1);
    expect((await fetch(`${stack.url}/readyz`)).status).toBe(200);
    if (state === 'elsewhere') {
      expect(body.plugin?.message).toContain(
        'points elsewhere (frontend_service cilium-observability.other-team.svc.cluster.local:8080/static/main.js)',
      );
    }
  });

  it('a cluster without the RBDPlugin CRD: missing, and says why', async () => {
    stack = await startStack({ withoutKinds: ['RBDPlugin'], backend: { self: SELF } });
    const body = await status(stack);
    expect(body.plugin).toMatchObject({ state: 'missing' });
    expect(body.plugin?.message).toMatch(/no RBDPlugin resource type \(rbdplugins\.rainbond\.io\)/);
  });

  it('words message and fix in the caller language', async () => {
    stack = await startStack({ backend: { self: SELF } });
    expect((await status(stack, 'zh-CN')).plugin?.message).toMatch(/^控制台没有本后端的插件入口/);
  });
});

describe('plugin-entry reader', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('sees the entry appear, get disabled and disappear on the next reads', async () => {
    const api = await startFakeKubeApi();
    cleanups.push(() => api.close());
    const reader = createPluginEntryReader({
      kubeConfig: api.kubeConfig(),
      pluginId: 'cilium-observability',
      log: silentLogger,
    });
    expect(reader.reading().read).toEqual({ kind: 'pending' });
    expect((await reader.refresh()).read).toEqual({ kind: 'absent' });

    api.apply(rbdPlugin({ namespace: 'dev-team' }));
    const r = await reader.refresh();
    expect(r.read).toMatchObject({
      kind: 'found',
      plugin: {
        name: 'cilium-observability',
        frontendService: 'cilium-observability.dev-team.svc.cluster.local:8080/static/main.js',
        backendService: 'cilium-observability.dev-team.svc.cluster.local:8080',
        frontendComponent: 'cilium-observability',
      },
    });
    expect(r.checkedAt).not.toBeNull();

    const disabled = rbdPlugin({ namespace: 'dev-team', enable: 'false' });
    api.apply(disabled);
    expect((await reader.refresh()).read).toMatchObject({
      plugin: { labels: { 'plugin.rainbond.io/enable': 'false' } },
    });

    api.remove('RBDPlugin', null, 'cilium-observability');
    expect((await reader.refresh()).read).toEqual({ kind: 'absent' });
    // It read the cluster-scoped object by name, and nothing the fake does not serve.
    expect(api.requests.map((q) => q.path)).toContain(
      '/apis/rainbond.io/v1alpha1/rbdplugins/cilium-observability',
    );
    expect(api.unknownRequests).toEqual([]);
  });

  it('reports an unreachable API server as an error reading, and never rejects', async () => {
    const api = await startFakeKubeApi();
    const kubeConfig = api.kubeConfig();
    await api.close();
    const reader = createPluginEntryReader({
      kubeConfig,
      pluginId: 'cilium-observability',
      log: silentLogger,
      timeoutMs: 2000,
    });
    await reader.start();
    reader.stop();
    expect(reader.reading().read).toMatchObject({ kind: 'error', status: null });
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePluginManifest } from './plugin-manifest';
import { renderRBDPlugin } from './rbdplugin';
import { defaultRenderOptions } from './render-options';
import { RBDPluginSchema } from './schemas/rbdplugin.schema';

const manifest = parsePluginManifest(readFileSync(new URL('../plugin.yaml', import.meta.url), 'utf8'));

describe('renderRBDPlugin', () => {
  it('builds frontend_service with the JS path and backend_service as host:port (contract §4.1)', () => {
    const cr = RBDPluginSchema.parse(
      renderRBDPlugin(manifest, defaultRenderOptions(manifest, { namespace: 'obs' })),
    );
    expect(cr.spec.frontend_service).toBe('cilium-observability.obs.svc.cluster.local:8080/static/main.js');
    expect(cr.spec.backend_service).toBe('cilium-observability.obs.svc.cluster.local:8080');
    expect(cr.metadata.labels).toMatchObject({
      'plugin.rainbond.io/enable': 'true',
      'plugin.rainbond.io/name': 'cilium-observability',
    });
    expect(cr.spec.plugin_views).toEqual(['Platform', 'Team']);
  });

  it.each([
    ['zh-CN', 'Cilium 网络观测'],
    ['en', 'Cilium Observability'],
  ] as const)('display_name follows --locale %s', (locale, expected) => {
    expect(renderRBDPlugin(manifest, defaultRenderOptions(manifest, { locale })).spec.display_name).toBe(
      expected,
    );
  });

  it('rejects a namespace that is not a DNS-1123 label', () => {
    expect(() => defaultRenderOptions(manifest, { namespace: 'Bad_NS' })).toThrow(
      /--namespace: expected a DNS-1123/,
    );
  });
});

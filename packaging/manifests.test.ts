import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePluginManifest } from './plugin-manifest';
import type { WatchedResource } from '../server/clients/cluster/resources';
import { renderManifests } from './manifests';
import { defaultRenderOptions, toYamlStream } from './render-options';

const manifest = parsePluginManifest(readFileSync(new URL('../plugin.yaml', import.meta.url), 'utf8'));
const res = (group: string, resource: string, verbs: WatchedResource['verbs']): WatchedResource => ({
  group,
  version: 'v1',
  resource,
  kind: resource,
  listPath: `/x/${resource}`,
  verbs,
});

describe('renderManifests', () => {
  const objects = renderManifests(manifest, defaultRenderOptions(manifest), [
    res('', 'services', ['list', 'watch']),
  ]);
  const kinds = objects.map((o) => o.kind);

  it('emits every object once, in apply order', () => {
    expect(kinds).toEqual([
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'PodDisruptionBudget',
      'Service',
      'RBDPlugin',
    ]);
  });

  it('runs two replicas spread over nodes, and a drain keeps one serving', () => {
    const deploy = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { replicas: number; template: { spec: { topologySpreadConstraints: unknown[] } } };
    };
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.template.spec.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }),
    ]);
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget') as unknown as { spec: unknown };
    expect(pdb.spec).toEqual({
      minAvailable: 1,
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': 'cilium-observability',
          'app.kubernetes.io/instance': 'cilium-observability',
        },
      },
    });
  });

  it('has no PodDisruptionBudget for a single replica', () => {
    const one = { ...manifest, deploy: { ...manifest.deploy, replicas: 1 } };
    expect(renderManifests(one, defaultRenderOptions(one), []).map((o) => o.kind)).not.toContain(
      'PodDisruptionBudget',
    );
  });

  it('omits the Namespace with --no-namespace', () => {
    const without = renderManifests(manifest, defaultRenderOptions(manifest, { createNamespace: false }), []);
    expect(without.map((o) => o.kind)).not.toContain('Namespace');
  });

  it('puts PORT, PLUGIN_ID and the env defaults into the ConfigMap', () => {
    const cm = objects.find((o) => o.kind === 'ConfigMap');
    expect(cm?.data).toEqual({
      PORT: '8080',
      PLUGIN_ID: 'cilium-observability',
      RAINBOND_CONSOLE_URL: 'http://rbd-app-ui.rbd-system:7070',
      LOG_LEVEL: 'info',
    });
  });

  it('round-trips through YAML unchanged', () => {
    const docs = toYamlStream(objects, 'header')
      .split(/^---$/m)
      .slice(1)
      .map((d) => parse(d) as unknown);
    expect(docs).toEqual(JSON.parse(JSON.stringify(objects)));
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { WatchedResource } from '../server/clients/cluster/resources';
import { parsePluginManifest } from './plugin-manifest';
import {
  clusterRoleRules,
  cpuMillis,
  defaultRenderOptions,
  md5Hex,
  memoryMiB,
  ramPackage,
  renderManifests,
  renderRamTemplate,
  renderRBDPlugin,
  splitImage,
  toYamlStream,
} from './render';
import { RainbondApplicationConfigSchema } from './schemas/ram.schema';
import { RBDPluginSchema } from './schemas/rbdplugin.schema';

const manifest = parsePluginManifest(readFileSync(new URL('../plugin.yaml', import.meta.url), 'utf8'));
const res = (group: string, resource: string, verbs: WatchedResource['verbs']): WatchedResource => ({
  group,
  version: 'v1',
  resource,
  kind: resource,
  listPath: `/x/${resource}`,
  verbs,
});

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

describe('clusterRoleRules', () => {
  it.each([
    [
      'merges resources of one group with equal verbs',
      [res('apps', 'deployments', ['list', 'watch']), res('apps', 'daemonsets', ['watch', 'list'])],
      [{ apiGroups: ['apps'], resources: ['daemonsets', 'deployments'], verbs: ['list', 'watch'] }],
    ],
    [
      'keeps different verb sets apart (no widening)',
      [res('', 'configmaps', ['get']), res('', 'services', ['list', 'watch'])],
      [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
      ],
    ],
    ['renders nothing for nothing', [], []],
  ])('%s', (_name, input, expected) => {
    expect(clusterRoleRules(input)).toEqual(expected);
  });
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
      'Service',
      'RBDPlugin',
    ]);
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

describe('renderRamTemplate', () => {
  const template = renderRamTemplate(manifest, defaultRenderOptions(manifest), [
    res('apps', 'deployments', ['list']),
  ]);

  it('matches the rainbond-oam RainbondApplicationConfig schema', () => {
    expect(() => RainbondApplicationConfigSchema.parse(template)).not.toThrow();
  });

  it('uses md5(plugin_id + ":" + service_cname) as service_share_uuid (share_services.py)', () => {
    expect(template.apps[0]?.service_share_uuid).toBe(md5Hex('cilium-observability:cilium-observability'));
    expect(md5Hex('a:b')).toBe('d8160c9b3dc20d4e931aeb4f45262155'); // printf 'a:b' | md5sum
  });

  it('points platform_plugin.frontend_component at the component service_cname', () => {
    expect(template.platform_plugin?.frontend_component).toBe(template.apps[0]?.service_cname);
    expect(template.platform_plugin).toMatchObject({
      is_platform_plugin: true,
      plugin_id: 'cilium-observability',
      plugin_type: 'JSInject',
      entry_path: '/static/main.js',
      inject_position: ['Platform', 'Team'],
      route_path: '/plugins/cilium-observability',
    });
  });

  it('keeps a single inner http port 8080 so "first port" is deterministic', () => {
    expect(template.apps[0]?.port_map_list).toEqual([
      expect.objectContaining({
        container_port: 8080,
        protocol: 'http',
        is_inner_service: true,
        is_outer_service: false,
      }),
    ]);
  });

  it('ships RBAC as k8s_resources without a namespace and runs the pod with that ServiceAccount', () => {
    expect(template.k8s_resources?.map((r) => r.kind)).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
    ]);
    const sa = parse(template.k8s_resources?.[0]?.content ?? '') as { metadata: Record<string, unknown> };
    expect(sa.metadata.namespace).toBeUndefined();
    expect(template.apps[0]?.component_k8s_attributes).toEqual([
      expect.objectContaining({ name: 'serviceAccountName', attribute_value: 'cilium-observability' }),
    ]);
  });

  it('is deterministic (same ids for the same manifest)', () => {
    const again = renderRamTemplate(manifest, defaultRenderOptions(manifest), [
      res('apps', 'deployments', ['list']),
    ]);
    expect(again).toEqual(template);
  });

  it('writes metadata.json.md5 in md5sum format matching metadata.json', () => {
    const pkg = ramPackage(manifest, template);
    const [json, md5] = pkg.files;
    expect(json?.path).toBe('cilium-observability-0.1.0-ram/metadata.json');
    expect(md5?.data.toString()).toBe(`${md5Hex(json?.data.toString() ?? '')}  metadata.json\n`);
  });
});

describe('unit conversions', () => {
  it.each([
    ['500m', 500],
    ['0.5', 500],
    ['2', 2000],
  ])('cpuMillis(%s) = %d', (q, n) => expect(cpuMillis(q)).toBe(n));

  it.each([
    ['384Mi', 384],
    ['1Gi', 1024],
    ['512Ki', 1],
  ])('memoryMiB(%s) = %d', (q, n) => expect(memoryMiB(q)).toBe(n));

  it.each([
    [
      'registry.cn-hangzhou.aliyuncs.com/goodrain/app:0.1.0',
      'registry.cn-hangzhou.aliyuncs.com',
      'goodrain',
      '0.1.0',
    ],
    ['localhost:5000/a/b/app:1', 'localhost:5000', 'a/b', '1'],
    ['goodrain/app:2', 'docker.io', 'goodrain', '2'],
  ])('splitImage(%s)', (image, hubUrl, namespace, tag) => {
    expect(splitImage(image)).toEqual({ hubUrl, namespace, tag });
  });
});

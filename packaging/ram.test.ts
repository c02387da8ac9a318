import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePluginManifest } from './plugin-manifest';
import type { WatchedResource } from '../server/clients/cluster/resources';
import { cpuMillis, memoryMiB, ramPackage, renderRamTemplate, splitImage } from './ram';
import { defaultRenderOptions, md5Hex } from './render-options';
import { RainbondApplicationConfigSchema } from './schemas/ram.schema';

const manifest = parsePluginManifest(readFileSync(new URL('../plugin.yaml', import.meta.url), 'utf8'));
const res = (group: string, resource: string, verbs: WatchedResource['verbs']): WatchedResource => ({
  group,
  version: 'v1',
  resource,
  kind: resource,
  listPath: `/x/${resource}`,
  verbs,
});

const SECRET = 's'.repeat(48);

describe('renderRamTemplate', () => {
  const template = renderRamTemplate(manifest, defaultRenderOptions(manifest, { sessionSecret: SECRET }), [
    res('apps', 'deployments', ['list']),
  ]);
  const envOf = (t: typeof template) =>
    Object.fromEntries((t.apps[0]?.service_env_map_list ?? []).map((e) => [e.attr_name, e.attr_value]));

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

  it('keeps the http port 8080 first ("first port" = frontend and backend) and the gateway 8081 second, inner only', () => {
    expect(template.apps[0]?.port_map_list).toEqual([
      {
        port_alias: 'CILIUM_OBSERVABILITY8080',
        protocol: 'http',
        tenant_id: '',
        container_port: 8080,
        is_outer_service: false,
        is_inner_service: true,
        name: 'http',
        k8s_service_name: 'cilium-observability',
      },
      {
        port_alias: 'CILIUM_OBSERVABILITY8081',
        protocol: 'http',
        tenant_id: '',
        container_port: 8081,
        is_outer_service: false,
        is_inner_service: true,
        name: 'gateway',
        k8s_service_name: 'cilium-observability',
      },
    ]);
    // Go ints in rainbond-oam's ComponentPort / ComponentEnv: a string or 8081.0 aborts the import.
    const json = JSON.stringify(template.apps[0]?.port_map_list);
    expect(json).toContain('"container_port":8081,');
    for (const e of template.apps[0]?.service_env_map_list ?? []) expect(e.container_port).toBe(0);
  });

  it("carries GATEWAY_PORT and, for SESSION_SECRET, the console's install-time placeholder, never a secret", () => {
    expect(envOf(template)).toMatchObject({ PORT: '8080', GATEWAY_PORT: '8081' });
    expect(template.apps[0]?.service_env_map_list.find((e) => e.attr_name === 'SESSION_SECRET')).toEqual({
      attr_name: 'SESSION_SECRET',
      name: 'SESSION_SECRET',
      is_change: true,
      attr_value: '**None:cilium_observability_session**',
      container_port: 0,
    });
    // the secret given for the manifests never reaches the package
    expect(JSON.stringify(template)).not.toContain(SECRET);
    // What Rainbond injects itself (worker/appm/conversion/version.go) or the kubectl path sets is not in it.
    for (const name of ['SELF_SERVICE', 'POD_IP', 'POD_NAMESPACE', '_POD_IP', '_NAMESPACE', '_SERVICE_ALIAS'])
      expect(envOf(template)[name]).toBeUndefined();
    expect(envOf(template).RAINBOND_REGION).toBeUndefined();
  });

  it('sets RAINBOND_REGION when given', () => {
    const withRegion = renderRamTemplate(
      manifest,
      defaultRenderOptions(manifest, { region: 'rainbond', sessionSecret: SECRET }),
      [],
    );
    expect(envOf(withRegion)).toMatchObject({ RAINBOND_REGION: 'rainbond' });
    expect(() => RainbondApplicationConfigSchema.parse(withRegion)).not.toThrow();
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

  it('is deterministic (same ids for the same manifest and secret)', () => {
    const again = renderRamTemplate(manifest, defaultRenderOptions(manifest, { sessionSecret: SECRET }), [
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

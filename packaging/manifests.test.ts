import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePluginManifest } from './plugin-manifest';
import type { WatchedResource } from '../server/clients/cluster/resources';
import { gatewayPortOf, pickSelfService } from '../server/clients/cluster/self-service';
import { loadConfig } from '../server/config';
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

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are read as plain data */
const SECRET = 's'.repeat(48);

describe('renderManifests', () => {
  const objects = renderManifests(manifest, defaultRenderOptions(manifest, { sessionSecret: SECRET }), [
    res('', 'services', ['list', 'watch']),
  ]);
  const kinds = objects.map((o) => o.kind);
  const one = (kind: string): any => objects.find((o) => o.kind === kind);
  const container = () => one('Deployment').spec.template.spec.containers[0];

  it('emits every object once, in apply order', () => {
    expect(kinds).toEqual([
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Secret',
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

  it('puts PORT, GATEWAY_PORT, PLUGIN_ID, the env defaults and SELF_SERVICE into the ConfigMap', () => {
    expect(one('ConfigMap').data).toEqual({
      PORT: '8080',
      GATEWAY_PORT: '8081',
      PLUGIN_ID: 'cilium-observability',
      RAINBOND_CONSOLE_URL: 'http://rbd-app-ui.rbd-system:7070',
      LOG_LEVEL: 'info',
      SELF_SERVICE: 'cilium-observability/cilium-observability',
    });
  });

  it('sets RAINBOND_REGION and SELF_SERVICE of another namespace from the options', () => {
    const opts = defaultRenderOptions(manifest, {
      namespace: 'obs',
      region: 'rainbond',
      sessionSecret: SECRET,
    });
    const cm: any = renderManifests(manifest, opts, []).find((o) => o.kind === 'ConfigMap');
    expect(cm.data).toMatchObject({ SELF_SERVICE: 'obs/cilium-observability', RAINBOND_REGION: 'rainbond' });
    expect(() => defaultRenderOptions(manifest, { region: 'no region!' })).toThrow(
      /--region: expected a Rainbond region name/,
    );
  });

  it('keeps SESSION_SECRET in a Secret the container reads through secretKeyRef', () => {
    const secret = one('Secret');
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'cilium-observability-session', namespace: 'cilium-observability' },
      stringData: { SESSION_SECRET: SECRET },
    });
    expect(secret.data).toBeUndefined();
    expect(container().env).toContainEqual({
      name: 'SESSION_SECRET',
      valueFrom: { secretKeyRef: { name: 'cilium-observability-session', key: 'SESSION_SECRET' } },
    });
    // Not in the ConfigMap, and a changed secret rolls the pods (env is read at container start).
    expect(JSON.stringify(one('ConfigMap'))).not.toContain(SECRET);
    const annotations = one('Deployment').spec.template.metadata.annotations;
    expect(annotations['checksum/secret']).toMatch(/^[0-9a-f]{64}$/);
    const other = renderManifests(
      manifest,
      defaultRenderOptions(manifest, { sessionSecret: 't'.repeat(48) }),
      [],
    );
    expect(
      (other.find((o) => o.kind === 'Deployment') as any).spec.template.metadata.annotations,
    ).not.toEqual(annotations);
  });

  it('draws a new random secret of at least 32 bytes when none is given, and refuses a short one', () => {
    const a = defaultRenderOptions(manifest).sessionSecret;
    const b = defaultRenderOptions(manifest).sessionSecret;
    expect(a).not.toBe(b);
    expect(Buffer.byteLength(a)).toBeGreaterThanOrEqual(32);
    expect(() => defaultRenderOptions(manifest, { sessionSecret: 'short' })).toThrow(
      /session secret: expected at least 32 bytes/,
    );
  });

  it('gives the pod its IP and namespace through the downward API', () => {
    expect(container().env).toEqual(
      expect.arrayContaining([
        { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
        {
          name: 'POD_NAMESPACE',
          valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
        },
      ]),
    );
  });

  it('exposes the API port first and the gateway port second, on the container and the Service', () => {
    expect(container().ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'gateway', containerPort: 8081, protocol: 'TCP' },
    ]);
    const svc = one('Service');
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'gateway', port: 8081, targetPort: 'gateway', protocol: 'TCP' },
    ]);
    // Every port is an integer, as the Kubernetes API wants.
    for (const p of [...svc.spec.ports, ...container().ports])
      expect(Number.isInteger(p.port ?? p.containerPort)).toBe(true);
  });

  it('is the Service the backend finds as its own, reaching the gateway on its second port', () => {
    const svc = one('Service');
    const slim = {
      namespace: svc.metadata.namespace,
      name: svc.metadata.name,
      labels: svc.metadata.labels,
      selector: svc.spec.selector,
      ports: svc.spec.ports,
    };
    expect(gatewayPortOf(slim, 8081)).toBe(8081);
    const podLabels = one('Deployment').spec.template.metadata.labels;
    expect(pickSelfService([slim], podLabels, 8081)).toEqual({
      namespace: 'cilium-observability',
      name: 'cilium-observability',
      port: 8081,
    });
  });

  it('gives the process a configuration server/config.ts accepts', () => {
    const env = { ...one('ConfigMap').data, SESSION_SECRET: SECRET, POD_IP: '10.0.0.7', POD_NAMESPACE: 'x' };
    const config = loadConfig(env);
    expect(config).toMatchObject({
      PORT: 8080,
      GATEWAY_PORT: 8081,
      SELF_SERVICE: 'cilium-observability/cilium-observability',
      SESSION_SECRET: SECRET,
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

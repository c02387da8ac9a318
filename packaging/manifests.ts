/**
 * Everything for `kubectl apply` (install path B): [Namespace], RBAC, ConfigMap, Deployment (spread over nodes),
 * PodDisruptionBudget when replicas > 1, Service, RBDPlugin.
 */
import { createHash } from 'node:crypto';
import type { WatchedResource } from '../server/clients/cluster/resources';
import type { PluginManifest } from './plugin-manifest';
import { renderRbac } from './rbac';
import { renderRBDPlugin } from './rbdplugin';
import { commonLabels, pluginEnv, type K8sObject, type RenderOptions } from './render-options';

export function renderManifests(
  m: PluginManifest,
  opts: RenderOptions,
  resources: readonly WatchedResource[],
): K8sObject[] {
  const labels = commonLabels(m);
  const meta = (name: string) => ({ name, namespace: opts.namespace, labels });
  const selector = { 'app.kubernetes.io/name': m.id, 'app.kubernetes.io/instance': m.id };
  const configMapName = `${m.id}-env`;
  const env = pluginEnv(m);
  const configChecksum = createHash('sha256').update(JSON.stringify(env)).digest('hex');
  const probe = (path: string, periodSeconds: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold: 3,
  });
  const objects: K8sObject[] = [];
  if (opts.createNamespace) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: opts.namespace, labels } });
  }
  objects.push(...renderRbac(m, opts, resources));
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(configMapName), data: env });
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(m.frontend.component),
    spec: {
      replicas: m.deploy.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: { ...labels, ...selector },
          annotations: { 'checksum/config': configChecksum },
        },
        spec: {
          serviceAccountName: m.rbac.serviceAccount,
          // replicas on different nodes where the cluster allows it; never blocks scheduling
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            },
          ],
          automountServiceAccountToken: true,
          // uid 1000 = user "node" of node:20-slim; numeric so the kubelet can verify runAsNonRoot.
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: m.frontend.component,
              image: opts.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: m.backend.port, protocol: 'TCP' }],
              envFrom: [{ configMapRef: { name: configMapName } }],
              livenessProbe: { ...probe('/healthz', 10), initialDelaySeconds: 5 },
              readinessProbe: probe('/readyz', 5),
              resources: m.deploy.resources,
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              // tsx keeps its transpile cache in os.tmpdir(); the root filesystem is read-only.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  });
  if (m.deploy.replicas > 1) {
    // a node drain keeps one replica serving
    objects.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(m.frontend.component),
      spec: { minAvailable: 1, selector: { matchLabels: selector } },
    });
  }
  objects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(m.frontend.component),
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: m.frontend.port, targetPort: 'http', protocol: 'TCP' }],
    },
  });
  objects.push(renderRBDPlugin(m, opts));
  return objects;
}

/**
 * Everything for `kubectl apply` (install path B): [Namespace], RBAC, ConfigMap, Secret (SESSION_SECRET),
 * Deployment (spread over nodes), PodDisruptionBudget when replicas > 1, Service (the API port first, the gateway
 * port second), RBDPlugin.
 */
import { createHash } from 'node:crypto';
import type { WatchedResource } from '../server/clients/cluster/resources';
import type { PluginManifest } from './plugin-manifest';
import { renderRbac } from './rbac';
import { renderRBDPlugin } from './rbdplugin';
import {
  commonLabels,
  gatewayPort,
  pluginEnv,
  selfService,
  type K8sObject,
  type RenderOptions,
} from './render-options';

/** The Secret holding SESSION_SECRET, e.g. "cilium-observability-session"; its key is SESSION_SECRET. */
export const sessionSecretName = (m: PluginManifest) => `${m.id}-session`;

export function renderManifests(
  m: PluginManifest,
  opts: RenderOptions,
  resources: readonly WatchedResource[],
): K8sObject[] {
  const labels = commonLabels(m);
  const meta = (name: string) => ({ name, namespace: opts.namespace, labels });
  const selector = { 'app.kubernetes.io/name': m.id, 'app.kubernetes.io/instance': m.id };
  const configMapName = `${m.id}-env`;
  const secretName = sessionSecretName(m);
  const env: Record<string, string> = {
    ...pluginEnv(m),
    // The Service the protected entries point to: ours, known here (an app-market install finds it instead).
    SELF_SERVICE: selfService(m, opts.namespace),
    ...(opts.region ? { RAINBOND_REGION: opts.region } : {}),
  };
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
  const configChecksum = sha256(JSON.stringify(env));
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
  // Every replica must seal and open tickets and sessions with the same key.
  objects.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(secretName),
    type: 'Opaque',
    stringData: { SESSION_SECRET: opts.sessionSecret },
  });
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
          // A new env or secret rolls the pods (env is read at container start); the hash reveals nothing.
          annotations: { 'checksum/config': configChecksum, 'checksum/secret': sha256(opts.sessionSecret) },
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
              ports: [
                { name: 'http', containerPort: m.backend.port, protocol: 'TCP' },
                { name: 'gateway', containerPort: gatewayPort(m), protocol: 'TCP' },
              ],
              envFrom: [{ configMapRef: { name: configMapName } }],
              env: [
                {
                  name: 'SESSION_SECRET',
                  valueFrom: { secretKeyRef: { name: secretName, key: 'SESSION_SECRET' } },
                },
                // Downward API: this replica's address for the others, and where its own Service lives.
                { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
                {
                  name: 'POD_NAMESPACE',
                  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
                },
              ],
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
      // The console and the RBDPlugin take the FIRST port as frontend and backend; the gateway listener is second.
      ports: [
        { name: 'http', port: m.frontend.port, targetPort: 'http', protocol: 'TCP' },
        { name: 'gateway', port: gatewayPort(m), targetPort: 'gateway', protocol: 'TCP' },
      ],
    },
  });
  objects.push(renderRBDPlugin(m, opts));
  return objects;
}

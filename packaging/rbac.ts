/** ServiceAccount, ClusterRole and ClusterRoleBinding; the rules come from the resources the backend reads. */
import type { WatchedResource } from '../server/clients/cluster/resources';
import type { PluginManifest } from './plugin-manifest';
import { commonLabels, type K8sObject, type RenderOptions } from './render-options';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/**
 * ClusterRole rules derived from the read resources: a resource listed twice (e.g. Services watched by the view and
 * listed for the plugin's own Service) gets the union of its verbs, then resources of one API group with equal verbs
 * share one rule. Nothing is added beyond what the list names, so RBAC is exactly what the backend calls.
 */
export function clusterRoleRules(resources: readonly WatchedResource[]): PolicyRule[] {
  const verbsOf = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const r of resources) {
    const id = `${r.group}|${r.resource}`;
    const entry = verbsOf.get(id) ?? { group: r.group, resource: r.resource, verbs: new Set<string>() };
    for (const v of r.verbs) entry.verbs.add(v);
    verbsOf.set(id, entry);
  }
  const byKey = new Map<string, PolicyRule>();
  for (const r of verbsOf.values()) {
    const verbs = [...r.verbs].sort();
    const key = `${r.group}|${verbs.join(',')}`;
    const rule = byKey.get(key) ?? { apiGroups: [r.group], resources: [], verbs };
    rule.resources.push(r.resource);
    byKey.set(key, rule);
  }
  return [...byKey.values()]
    .map((rule) => ({ ...rule, resources: [...rule.resources].sort() }))
    .sort(
      (a, b) =>
        (a.apiGroups[0] ?? '').localeCompare(b.apiGroups[0] ?? '') ||
        a.verbs.join().localeCompare(b.verbs.join()),
    );
}

/** ServiceAccount (namespaced; omit namespace for RAM k8s_resources), ClusterRole, ClusterRoleBinding. */
export function renderRbac(
  m: PluginManifest,
  opts: RenderOptions,
  resources: readonly WatchedResource[],
  { namespacedMetadata = true }: { namespacedMetadata?: boolean } = {},
): K8sObject[] {
  const ns = namespacedMetadata ? { namespace: opts.namespace } : {};
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: m.rbac.serviceAccount, ...ns, labels: commonLabels(m) },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: m.rbac.clusterRole, labels: commonLabels(m) },
      rules: clusterRoleRules(resources),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      // Named after the namespace so installs in two namespaces do not overwrite each other's binding.
      metadata: { name: `${m.rbac.clusterRole}-${opts.namespace}`, labels: commonLabels(m) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: m.rbac.clusterRole },
      // A RAM install rewrites a subject's namespace to the team's; a subject without one it drops.
      subjects: [{ kind: 'ServiceAccount', name: m.rbac.serviceAccount, namespace: opts.namespace }],
    },
  ];
}

/**
 * The single list of Kubernetes resources the cluster view reads. The informers are started from it and
 * the rendered ClusterRole is derived from it (packaging), so RBAC always covers exactly what the code calls.
 */
export interface WatchedResource {
  /** API group, "" for core. */
  group: string;
  version: string;
  /** Plural resource name, e.g. "daemonsets". */
  resource: string;
  kind: string;
  /** List path across all namespaces, e.g. "/apis/apps/v1/daemonsets". */
  listPath: string;
  verbs: readonly ('get' | 'list' | 'watch')[];
}

const rw = ['list', 'watch'] as const;

export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  {
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    listPath: '/apis/apps/v1/daemonsets',
    verbs: rw,
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    listPath: '/apis/apps/v1/deployments',
    verbs: rw,
  },
  {
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    listPath: '/api/v1/services',
    verbs: rw,
  },
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    listPath: '/api/v1/configmaps',
    verbs: rw,
  },
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    listPath: '/api/v1/namespaces',
    verbs: rw,
  },
];

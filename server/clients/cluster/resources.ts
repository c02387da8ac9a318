/**
 * The Kubernetes resources the backend reads. The cluster view's informers are started from WATCHED_RESOURCES and
 * the rendered ClusterRole from READ_RESOURCES (packaging), so RBAC always covers exactly what the code calls.
 * Each entry may narrow what is watched with one or more selectors: one list+watch runs per selector and
 * the results are merged, so a cluster with 30,000 pods or thousands of Deployments costs only what we read.
 */
export interface WatchSelector {
  /** Kubernetes label selector, e.g. "k8s-app in (hubble-relay,hubble-ui)". */
  labelSelector?: string;
  /** Kubernetes field selector, e.g. "metadata.name=cilium-config". */
  fieldSelector?: string;
}

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
  /** One list+watch per selector (merged by namespace/name); absent = one unfiltered watch. */
  watches?: readonly WatchSelector[];
  /**
   * The view syncs without it: a 404 (API not served) or 403 (not granted) on its list counts as "none" and is
   * retried at the next resync, with one warning.
   */
  optional?: boolean;
}

const rw = ['list', 'watch'] as const;

/** Labels Grafana / Prometheus carry in Cilium's monitoring example (app=…) and kube-prometheus-stack. */
const MONITORING_APP = 'app in (grafana,prometheus,kube-prometheus-stack-prometheus)';
const MONITORING_NAME = 'app.kubernetes.io/name in (grafana,prometheus)';

export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  {
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    listPath: '/apis/apps/v1/daemonsets',
    verbs: rw,
    // The Cilium agent, in whatever namespace it was installed.
    watches: [{ labelSelector: 'k8s-app=cilium' }],
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    listPath: '/apis/apps/v1/deployments',
    verbs: rw,
    watches: [
      { labelSelector: 'io.cilium/app=operator' },
      { labelSelector: 'k8s-app in (hubble-relay,hubble-ui)' },
      { labelSelector: MONITORING_APP },
      { labelSelector: MONITORING_NAME },
    ],
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    listPath: '/apis/apps/v1/statefulsets',
    verbs: rw,
    watches: [
      // prometheus-operator's StatefulSet: this label in every version (app.kubernetes.io/name only from v0.85).
      { labelSelector: 'operator.prometheus.io/name' },
      // Grafana / Prometheus charts run as a StatefulSet (grafana useStatefulSet, prometheus server.statefulSet).
      { labelSelector: MONITORING_NAME },
    ],
  },
  {
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    listPath: '/api/v1/services',
    verbs: rw,
    watches: [
      { labelSelector: 'k8s-app in (hubble-relay,hubble-ui)' },
      { labelSelector: MONITORING_APP },
      { labelSelector: MONITORING_NAME },
      // kube-prometheus-stack's headless Service made by prometheus-operator.
      { fieldSelector: 'metadata.name=prometheus-operated' },
    ],
  },
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    listPath: '/api/v1/configmaps',
    verbs: rw,
    watches: [
      { fieldSelector: 'metadata.name=cilium-config' },
      // The dynamic Hubble metrics exporter's list (hubble.metrics.dynamic.config.configMapName).
      { fieldSelector: 'metadata.name=cilium-dynamic-metrics-config' },
      // grafana.ini: `grafana-config` (app=grafana) in the example, `<release>-grafana` in kube-prometheus-stack;
      // the example's dashboards (grafana-cilium-dashboard, …) carry app=grafana too.
      { labelSelector: 'app=grafana' },
      { labelSelector: 'app.kubernetes.io/name=grafana' },
      // Dashboards for the grafana chart's sidecar: its default label, also the Cilium chart's dashboards.label.
      { labelSelector: 'grafana_dashboard' },
    ],
  },
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    listPath: '/apis/discovery.k8s.io/v1/endpointslices',
    verbs: rw,
    // The EndpointSlice controller copies a Service's labels onto its slices: the Services' own selectors.
    watches: [
      { labelSelector: 'k8s-app in (hubble-relay,hubble-ui)' },
      { labelSelector: MONITORING_APP },
      { labelSelector: MONITORING_NAME },
      { labelSelector: 'kubernetes.io/service-name=prometheus-operated' },
    ],
    optional: true,
  },
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    listPath: '/api/v1/namespaces',
    verbs: rw,
  },
  // Network policies, for "why was this dropped?": which policies select the pod that dropped a flow.
  {
    group: 'cilium.io',
    version: 'v2',
    resource: 'ciliumnetworkpolicies',
    kind: 'CiliumNetworkPolicy',
    listPath: '/apis/cilium.io/v2/ciliumnetworkpolicies',
    verbs: rw,
    optional: true,
  },
  {
    group: 'cilium.io',
    version: 'v2',
    resource: 'ciliumclusterwidenetworkpolicies',
    kind: 'CiliumClusterwideNetworkPolicy',
    listPath: '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies',
    verbs: rw,
    optional: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    listPath: '/apis/networking.k8s.io/v1/networkpolicies',
    verbs: rw,
    optional: true,
  },
];

/**
 * The backend's own RBDPlugin (cluster-scoped, name = PLUGIN_ID), read by GET for the plugin-entry self-check.
 * Not part of the cluster view: a cluster without the CRD must not keep the view from syncing.
 */
export const PLUGIN_ENTRY_RESOURCE: WatchedResource = {
  group: 'rainbond.io',
  version: 'v1alpha1',
  resource: 'rbdplugins',
  kind: 'RBDPlugin',
  listPath: '/apis/rainbond.io/v1alpha1/rbdplugins',
  verbs: ['get'],
};

/**
 * The plugin's own Service when SELF_SERVICE is unset (and its gateway port when set): `list` in the pod's own
 * namespace, with a field selector for SELF_SERVICE (self-service.ts; no `get`, no EndpointSlices). The ClusterRole
 * grants it cluster-wide already for the Services the view watches; named here so RBAC stays derived from what the
 * code calls if that watch ever narrows.
 */
export const SELF_SERVICE_RESOURCE: WatchedResource = {
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  listPath: '/api/v1/services',
  verbs: ['list'],
};

/** Everything the backend reads from Kubernetes; the rendered ClusterRole is derived from this list. */
export const READ_RESOURCES: readonly WatchedResource[] = [
  ...WATCHED_RESOURCES,
  PLUGIN_ENTRY_RESOURCE,
  SELF_SERVICE_RESOURCE,
];

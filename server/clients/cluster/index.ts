/** The cluster view's public surface: the app wiring imports from here only. */
export { createClusterView, type ClusterViewOptions } from './cluster-view';
export { computeClusterState, EMPTY_STATE, grafanaRisks, parseIni, type DetectOptions } from './detect';
export { isTeamNamespace, type SlimNamespace } from './namespaces';
export {
  buildInventory,
  toSlim,
  type Inventory,
  type SlimConfigMap,
  type SlimEndpointSlice,
  type SlimService,
  type SlimWorkload,
} from './objects';
export { WATCHED_RESOURCES, type WatchedResource, type WatchSelector } from './resources';
export type { ClusterSnapshot, ClusterState, ClusterView, HubbleMetricsConfig, ToolTarget } from './types';

/**
 * What the rest of the backend knows about the cluster: a narrow interface over the watch-backed cache.
 * Implemented by cluster/cluster-view.ts (informers via @kubernetes/client-node).
 */
import type {
  CiliumStatus,
  HubbleStatus,
  MonitoringStatus,
  ReadyCount,
  RiskCode,
  ServiceRef,
  ToolId,
} from '../../../contract';
import type { HubbleMetricsConfig } from '../../cilium/hubble-metrics';
import type { PolicySummary } from '../../cilium/policies';
import type { LoadedDashboards } from './grafana';

export type { HubbleMetricsConfig, LoadedDashboards };

/** Where a ready count came from: the Service's EndpointSlices, its workload (no slice at all), or nothing. */
export type Readiness = 'endpoints' | 'workload' | 'none';

/** One tool as found in the cluster (Service + its endpoints; the workload adds the version). */
export interface ToolTarget {
  id: ToolId;
  /** ready = at least one ready endpoint behind the Service. */
  state: 'missing' | 'not-ready' | 'ready';
  /** `port` is the Service's `port` (hubble-ui: 80), which Rainbond maps third-party endpoints by. */
  service: ServiceRef | null;
  /** Ready / all endpoints of the Service (or ready / desired replicas of its workload, see `readiness`). */
  workload: ReadyCount;
  readiness?: Readiness;
  /** Image tag of the tool, e.g. "v0.13.2" for hubble-ui, "9.3.6" for Grafana; null when unknown. */
  version: string | null;
  /** Risk codes currently true for this tool (messages are localised by the status service). */
  risks: RiskCode[];
}

export interface ClusterState {
  cilium: CiliumStatus;
  hubble: HubbleStatus;
  monitoring: MonitoringStatus;
  tools: Record<ToolId, ToolTarget>;
  /** The hubble-relay Service (port = Service port, 80 or 443), for the insights features. */
  relay: (ServiceRef & { tls: boolean }) | null;
  hubbleMetrics: HubbleMetricsConfig;
  /** Agent / operator metrics listen addresses from cilium-config, e.g. ":9962" (1.11: ":9090"); null = off. */
  ciliumMetrics: { agent: string | null; operator: string | null };
  /** Cilium dashboards the detected Grafana has loaded, and its dashboard sidecar if it has one. */
  grafanaDashboards: LoadedDashboards;
  /** Namespaces that exist, for checking a team's namespace; kept as a Set for O(1) lookups. */
  namespaces: ReadonlySet<string>;
}

export interface ClusterSnapshot {
  /** True once every informer has listed once. */
  synced: boolean;
  /** True while the API server is unreachable; state is the last good view. */
  stale: boolean;
  /** RFC 3339 time of the last successful (re)list or watch event. */
  lastSyncAt: string | null;
  state: ClusterState;
}

export interface ClusterView {
  /** Starts list+watch; resolves when the first sync is done or rejects after a timeout. Never throws after. */
  start(): Promise<void>;
  /** Stops every watch. */
  stop(): Promise<void>;
  /** O(1): the precomputed view; recomputed on change, not per call. */
  snapshot(): ClusterSnapshot;
  /** Network policies (CNP, CCNP, NetworkPolicy) of every namespace; [] where their API is not served. */
  policies(): readonly PolicySummary[];
}

/**
 * The watch-backed cluster view: one client-node informer (list+watch) per selector in WATCHED_RESOURCES,
 * a slim in-memory inventory, and a ClusterState recomputed (debounced) only when something changed, so
 * snapshot() is O(1). Informers stop on error; each is restarted with backoff and relists, which also
 * catches deletions missed while the API server was away. Meanwhile the last state is kept and marked stale.
 */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  NetworkingV1Api,
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';
import { computeClusterState, EMPTY_STATE } from './detect';
import {
  toSlim,
  type Inventory,
  type SlimConfigMap,
  type SlimEndpointSlice,
  type SlimNamespace,
  type SlimObject,
  type SlimService,
  type SlimWorkload,
} from './objects';
import type { PolicySummary } from './policies';
import { WATCHED_RESOURCES, type WatchedResource, type WatchSelector } from './resources';
import type { ClusterSnapshot, ClusterState, ClusterView } from './types';

export interface ClusterViewOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  metrics?: Metrics;
  /** CILIUM_NAMESPACE, e.g. "kube-system"; unset = find the DaemonSet k8s-app=cilium in any namespace. */
  ciliumNamespace?: string;
  /** MONITORING_NAMESPACE, e.g. "monitoring"; unset = look in every namespace. */
  monitoringNamespace?: string;
  /** start() rejects when the first list of every resource takes longer; default 30 s. */
  syncTimeoutMs?: number;
  /** Delay between a change and the recompute; default 50 ms. */
  debounceMs?: number;
  /** First retry delay after an informer error, doubled up to maxBackoffMs; default 500 ms / 30 s. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Relist everything this often even without errors (bounds silent watch loss); default 10 min, 0 = never. */
  resyncMs?: number;
  /** A list that has not answered after this long counts as failed (then retried); default 30 s. */
  listTimeoutMs?: number;
  /** For tests: the resources to watch; default WATCHED_RESOURCES. */
  resources?: readonly WatchedResource[];
}

type Lister = (sel: WatchSelector) => Promise<KubernetesListObject<KubernetesObject>>;

interface Slot {
  resource: WatchedResource;
  selector: WatchSelector;
  lister: Lister;
  items: Map<string, SlimObject>;
  /** resourceVersion per key, to skip the add callbacks client-node replays right after a list. */
  versions: Map<string, string>;
  informer: ListWatch<KubernetesObject> | null;
  /** Bumped on every (re)start; callbacks of older informers are ignored. */
  generation: number;
  listed: boolean;
  /** An optional resource the API server does not serve or grant (404 / 403): counted as none until a resync. */
  absent: boolean;
  /** The warning about it was logged (once per process, not at every resync). */
  absentLogged: boolean;
  healthy: boolean;
  failures: number;
  retry: NodeJS.Timeout | null;
}

const describe = (s: Slot) =>
  [s.resource.resource, s.selector.labelSelector, s.selector.fieldSelector].filter(Boolean).join(' ');

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** 404: the API server does not serve the resource (e.g. no discovery.k8s.io/v1); 403: RBAC does not grant it. */
const isAbsent = (e: unknown) => e instanceof ApiException && (e.code === 404 || e.code === 403);

/** The `message` of a Kubernetes Status body, else the HTTP code. */
function statusMessage(e: unknown): string {
  let body = (e as ApiException<unknown>).body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      body = null;
    }
  }
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.slice(0, 300) : `HTTP ${(e as ApiException<unknown>).code}`;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : JSON.stringify(e);
}

/** Rejects when `p` has not settled after `ms` (an API server that accepts but never answers). */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`list ${what}: no answer after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function createClusterView(opts: ClusterViewOptions): ClusterView {
  const kc = opts.kubeConfig;
  const log = opts.log.child({ component: 'cluster-view' });
  const debounceMs = opts.debounceMs ?? 50;
  const initialBackoffMs = opts.initialBackoffMs ?? 500;
  const maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  const resyncMs = opts.resyncMs ?? 600_000;
  const listTimeoutMs = opts.listTimeoutMs ?? 30_000;
  const detect = { ciliumNamespace: opts.ciliumNamespace, monitoringNamespace: opts.monitoringNamespace };

  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const networking = kc.makeApiClient(NetworkingV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const cilium = { group: 'cilium.io', version: 'v2' };
  const listers: Record<string, Lister> = {
    endpointslices: (s) => discovery.listEndpointSliceForAllNamespaces(s),
    daemonsets: (s) => apps.listDaemonSetForAllNamespaces(s),
    deployments: (s) => apps.listDeploymentForAllNamespaces(s),
    statefulsets: (s) => apps.listStatefulSetForAllNamespaces(s),
    services: (s) => core.listServiceForAllNamespaces(s),
    configmaps: (s) => core.listConfigMapForAllNamespaces(s),
    namespaces: (s) => core.listNamespace(s),
    networkpolicies: (s) => networking.listNetworkPolicyForAllNamespaces(s),
    ciliumnetworkpolicies: (s) =>
      custom.listCustomObjectForAllNamespaces({ ...cilium, plural: 'ciliumnetworkpolicies', ...s }),
    ciliumclusterwidenetworkpolicies: (s) =>
      custom.listClusterCustomObject({ ...cilium, plural: 'ciliumclusterwidenetworkpolicies', ...s }),
  };

  const slots: Slot[] = (opts.resources ?? WATCHED_RESOURCES).flatMap((resource) => {
    const lister = listers[resource.resource];
    if (!lister) throw new Error(`cluster view: no lister for resource ${resource.resource}`);
    return (resource.watches ?? [{}]).map((selector) => ({
      resource,
      selector,
      lister,
      items: new Map<string, SlimObject>(),
      versions: new Map<string, string>(),
      informer: null,
      generation: 0,
      listed: false,
      absent: false,
      absentLogged: false,
      healthy: true,
      failures: 0,
      retry: null,
    }));
  });

  let stopped = false;
  let state: ClusterState = EMPTY_STATE;
  let policies: readonly PolicySummary[] = [];
  let synced = false;
  let stale = false;
  let lastSyncAt: string | null = null;
  let current: ClusterSnapshot = { synced, stale, lastSyncAt, state };
  let recomputeTimer: NodeJS.Timeout | null = null;
  let resyncTimer: NodeJS.Timeout | null = null;
  let started: Promise<void> | null = null;
  let onSynced: (() => void) | null = null;

  const publish = () => {
    current = { synced, stale, lastSyncAt, state };
  };

  function recompute() {
    if (recomputeTimer) clearTimeout(recomputeTimer);
    recomputeTimer = null;
    const t0 = performance.now();
    state = computeClusterState(inventory(), detect);
    policies = collectPolicies();
    log.debug('cluster state recomputed', { ms: Math.round((performance.now() - t0) * 100) / 100 });
    publish();
  }

  function changed() {
    if (stopped || recomputeTimer) return;
    recomputeTimer = setTimeout(recompute, debounceMs);
  }

  /** Policies of every kind, keyed by kind + namespace/name. */
  function collectPolicies(): PolicySummary[] {
    const out = new Map<string, PolicySummary>();
    for (const slot of slots)
      for (const [key, o] of slot.items) if (o.type === 'policy') out.set(`${o.value.kind}/${key}`, o.value);
    return [...out.values()];
  }

  function inventory(): Inventory {
    const workloads = new Map<string, SlimWorkload>();
    const services = new Map<string, SlimService>();
    const configMaps = new Map<string, SlimConfigMap>();
    const endpointSlices = new Map<string, SlimEndpointSlice>();
    const namespaces = new Map<string, SlimNamespace>();
    for (const slot of slots) {
      for (const [key, o] of slot.items) {
        // The same object may match two selectors of one resource: merged by kind + namespace/name.
        if (o.type === 'workload') workloads.set(`${o.value.kind}/${key}`, o.value);
        else if (o.type === 'service') services.set(key, o.value);
        else if (o.type === 'configmap') configMaps.set(key, o.value);
        else if (o.type === 'endpointslice') endpointSlices.set(key, o.value);
        else if (o.type === 'namespace') namespaces.set(o.value.name, o.value);
      }
    }
    return {
      workloads: [...workloads.values()],
      services: [...services.values()],
      configMaps: [...configMaps.values()],
      endpointSlices: [...endpointSlices.values()],
      namespaces: [...namespaces.values()],
    };
  }

  function touch() {
    lastSyncAt = new Date().toISOString();
  }

  function updateHealth() {
    const nowStale = slots.some((s) => !s.healthy);
    const nowSynced = slots.every((s) => s.listed);
    if (nowStale !== stale) {
      stale = nowStale;
      if (stale) log.warn('kubernetes API unreachable: keeping the last cluster state', { lastSyncAt });
      else log.info('kubernetes API reachable again: cluster view recovered');
    }
    if (nowSynced && !synced) {
      synced = true;
      recompute();
      log.info('cluster view synced', { watches: slots.length });
      onSynced?.();
    }
    publish();
  }

  function markHealthy(slot: Slot) {
    slot.failures = 0;
    if (!slot.healthy) {
      slot.healthy = true;
      updateHealth();
    }
  }

  /** Stores an object; false when this exact version is already stored. */
  function put(slot: Slot, o: KubernetesObject): boolean {
    const key = keyOf(o);
    const version = o.metadata?.resourceVersion;
    if (version !== undefined && slot.versions.get(key) === version && slot.items.has(key)) return false;
    const slim = toSlim(slot.resource.kind, o);
    if (slim) {
      slot.items.set(key, slim);
      if (version !== undefined) slot.versions.set(key, version);
    } else {
      slot.items.delete(key);
      slot.versions.delete(key);
    }
    return true;
  }

  function drop(slot: Slot, o: KubernetesObject) {
    slot.items.delete(keyOf(o));
    slot.versions.delete(keyOf(o));
  }

  function onFailure(slot: Slot, err: unknown) {
    if (stopped) return;
    slot.failures += 1;
    const delay =
      Math.min(maxBackoffMs, initialBackoffMs * 2 ** (slot.failures - 1)) * (0.8 + Math.random() * 0.4);
    const fields = { watch: describe(slot), error: errorText(err), retryInMs: Math.round(delay) };
    if (slot.failures === 1) log.warn('watch failed', fields);
    else log.debug('watch failed again', fields);
    if (slot.healthy) {
      slot.healthy = false;
      updateHealth();
    }
    restartLater(slot, delay);
  }

  function restartLater(slot: Slot, delay: number) {
    if (slot.retry) clearTimeout(slot.retry);
    slot.retry = setTimeout(() => {
      slot.retry = null;
      restart(slot);
    }, delay);
  }

  function restart(slot: Slot) {
    if (stopped) return;
    const old = slot.informer;
    slot.generation += 1;
    slot.informer = null;
    if (old) void old.stop();
    startSlot(slot);
  }

  /** An optional resource answered 404 / 403: hold none of it, count as listed, and look again at the next resync. */
  function markAbsent(slot: Slot, err: unknown) {
    if (!slot.absentLogged) {
      slot.absentLogged = true;
      log.warn('resource not readable: continuing without it', {
        watch: describe(slot),
        status: (err as ApiException<unknown>).code,
        // The Status message only, e.g. 'endpointslices.discovery.k8s.io is forbidden: User "…" cannot list …'.
        error: statusMessage(err),
      });
    }
    slot.absent = true;
    slot.items = new Map();
    slot.versions = new Map();
    slot.listed = true;
    touch();
    markHealthy(slot);
    changed();
    updateHealth();
  }

  function startSlot(slot: Slot) {
    const gen = ++slot.generation;
    slot.absent = false;
    const live = () => gen === slot.generation && !stopped;
    const { labelSelector, fieldSelector } = slot.selector;
    const listFn = async () => {
      const t0 = performance.now();
      try {
        const list = await withTimeout(
          slot.lister({ labelSelector, fieldSelector }),
          listTimeoutMs,
          describe(slot),
        );
        opts.metrics?.observeUpstream(
          'kubernetes',
          `list ${slot.resource.resource}`,
          'ok',
          (performance.now() - t0) / 1000,
        );
        if (live()) {
          // A fresh list replaces what we had: objects deleted while we were away disappear here.
          slot.items = new Map();
          slot.versions = new Map();
          for (const o of list.items) put(slot, o);
          slot.listed = true;
          touch();
          markHealthy(slot);
          changed();
          // Last: on the final first list this recomputes at once (clearing the debounce) and resolves start().
          updateHealth();
        }
        return list;
      } catch (e) {
        opts.metrics?.observeUpstream(
          'kubernetes',
          `list ${slot.resource.resource}`,
          'error',
          (performance.now() - t0) / 1000,
        );
        if (live() && slot.resource.optional && isAbsent(e)) markAbsent(slot, e);
        throw e;
      }
    };
    const informer = new ListWatch<KubernetesObject>(
      slot.resource.listPath,
      new Watch(kc),
      listFn,
      false,
      labelSelector,
      fieldSelector,
    );
    const onObject = (remove: boolean) => (o: KubernetesObject) => {
      if (!live()) return;
      if (remove) drop(slot, o);
      else if (!put(slot, o)) return;
      touch();
      markHealthy(slot);
      publish();
      changed();
    };
    informer.on('add', onObject(false));
    informer.on('update', onObject(false));
    informer.on('delete', onObject(true));
    informer.on('error', (err) => {
      if (live() && !slot.absent) onFailure(slot, err);
    });
    slot.informer = informer;
    informer.start().catch((err: unknown) => {
      if (live() && !slot.absent) onFailure(slot, err);
    });
  }

  function scheduleResync() {
    if (resyncMs <= 0 || stopped) return;
    resyncTimer = setTimeout(() => {
      for (const slot of slots) if (!slot.retry) restart(slot);
      scheduleResync();
    }, resyncMs);
  }

  const timeoutMs = opts.syncTimeoutMs ?? 30_000;

  if (opts.metrics) {
    opts.metrics.gauge('cluster_view_synced', 'Whether every informer has listed once (1) or not (0).', () =>
      synced ? 1 : 0,
    );
    opts.metrics.gauge(
      'cluster_view_stale',
      'Whether the Kubernetes API is unreachable (1) or not (0).',
      () => (stale ? 1 : 0),
    );
    opts.metrics.gauge(
      'cluster_view_last_sync_age_seconds',
      'Seconds since the last list or watch event.',
      () => (lastSyncAt ? (Date.now() - Date.parse(lastSyncAt)) / 1000 : NaN),
    );
  }

  return {
    start() {
      if (started) return started;
      stopped = false;
      started = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          onSynced = null;
          const pending = slots.filter((s) => !s.listed).map(describe);
          reject(
            new AppError(
              'UNAVAILABLE',
              `cluster view not synced after ${timeoutMs} ms; still listing: ${pending.join(', ')}`,
            ),
          );
        }, timeoutMs);
        onSynced = () => {
          clearTimeout(timer);
          onSynced = null;
          resolve();
        };
      });
      for (const slot of slots) startSlot(slot);
      scheduleResync();
      return started;
    },
    async stop() {
      stopped = true;
      if (recomputeTimer) clearTimeout(recomputeTimer);
      if (resyncTimer) clearTimeout(resyncTimer);
      recomputeTimer = null;
      resyncTimer = null;
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.retry) clearTimeout(slot.retry);
          slot.retry = null;
          slot.generation += 1;
          const inf = slot.informer;
          slot.informer = null;
          if (inf) await inf.stop();
        }),
      );
    },
    snapshot: () => current,
    policies: () => policies,
  };
}

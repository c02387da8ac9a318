/**
 * Reads the backend's own RBDPlugin (rainbond.io/v1alpha1, cluster-scoped, name = PLUGIN_ID) at start and then
 * every `intervalMs`, by GET. The console's market install swallows a failed RBDPlugin creation, so this is how
 * anyone learns that the menu entry is missing, disabled or loads another backend. Never affects readiness.
 */
import { ApiException, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';
import { PLUGIN_ENTRY_RESOURCE } from './resources';

/** The fields of an RBDPlugin the self-check uses (goodrain/rainbond pkg/apis/rainbond/v1alpha1/rbdplugin_types.go). */
export interface SlimRBDPlugin {
  name: string;
  labels: Record<string, string>;
  /** spec.frontend_service, e.g. "cilium-observability.dev.svc.cluster.local:8080/static/main.js"; "" when unset. */
  frontendService: string;
  /** spec.backend_service, e.g. "cilium-observability.dev.svc.cluster.local:8080"; "" when unset. */
  backendService: string;
  /** spec.frontend_component: the service_cname the console looked for at install. */
  frontendComponent: string;
}

export type PluginEntryRead =
  | { kind: 'pending' }
  | { kind: 'found'; plugin: SlimRBDPlugin }
  /** 404 for the object: the CRD exists, our RBDPlugin does not. */
  | { kind: 'absent' }
  /** 404 for the resource type: no rbdplugins.rainbond.io CRD (Rainbond before v6.6, or no Rainbond). */
  | { kind: 'no-crd' }
  /** Any other failure, e.g. 403 (RBAC) or the API server unreachable; status null without an HTTP answer. */
  | { kind: 'error'; status: number | null; message: string };

export interface PluginEntryReading {
  read: PluginEntryRead;
  /** RFC 3339 time the last read finished, null before the first. */
  checkedAt: string | null;
}

export interface PluginEntryReader {
  /** Reads now and then every intervalMs; resolves after the first read. Never rejects. */
  start(): Promise<void>;
  stop(): void;
  /** Reads now (also what the timer calls). */
  refresh(): Promise<PluginEntryReading>;
  /** O(1): the last reading. */
  reading(): PluginEntryReading;
}

export interface PluginEntryReaderOptions {
  kubeConfig: KubeConfig;
  /** PLUGIN_ID, e.g. "cilium-observability". */
  pluginId: string;
  log: Logger;
  metrics?: Metrics;
  /** Default 30 s. */
  intervalMs?: number;
  /** One GET that has not answered after this long counts as failed; default 10 s. */
  timeoutMs?: number;
  /** Called after every read, e.g. to log a change of state. */
  onReading?: (r: PluginEntryReading) => void;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** RBDPlugin JSON → the fields we use; tolerant of missing spec/labels (the CRD requires none). */
export function toSlimRBDPlugin(o: unknown): SlimRBDPlugin {
  const obj = (o ?? {}) as {
    metadata?: { name?: unknown; labels?: unknown };
    spec?: Record<string, unknown>;
  };
  const labels = obj.metadata?.labels;
  return {
    name: str(obj.metadata?.name),
    labels:
      labels && typeof labels === 'object'
        ? Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === 'string'))
        : {},
    frontendService: str(obj.spec?.frontend_service),
    backendService: str(obj.spec?.backend_service),
    frontendComponent: str(obj.spec?.frontend_component),
  };
}

/** Kubernetes Status body of an ApiException (a string or an object, depending on the client path). */
function statusBody(e: ApiException<unknown>): { message?: string; details?: { name?: string } } {
  const b = e.body;
  if (typeof b === 'string') {
    try {
      return JSON.parse(b) as { message?: string; details?: { name?: string } };
    } catch {
      return { message: b.slice(0, 200) };
    }
  }
  return (b ?? {}) as { message?: string; details?: { name?: string } };
}

/** Maps a failed GET to a reading: the API server names the object in `details.name` only when the type exists. */
export function classifyReadError(e: unknown, pluginId: string): PluginEntryRead {
  if (e instanceof ApiException) {
    const body = statusBody(e);
    if (e.code === 404) return body.details?.name === pluginId ? { kind: 'absent' } : { kind: 'no-crd' };
    return { kind: 'error', status: e.code, message: body.message ?? `HTTP ${e.code}` };
  }
  return { kind: 'error', status: null, message: e instanceof Error ? e.message : String(e) };
}

export function createPluginEntryReader(opts: PluginEntryReaderOptions): PluginEntryReader {
  const api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
  const log = opts.log.child({ component: 'plugin-entry' });
  const intervalMs = opts.intervalMs ?? 30_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const { group, version, resource: plural } = PLUGIN_ENTRY_RESOURCE;
  let current: PluginEntryReading = { read: { kind: 'pending' }, checkedAt: null };
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<PluginEntryReading> | null = null;
  let stopped = false;

  async function readOnce(): Promise<PluginEntryRead> {
    const t0 = performance.now();
    let timeout: NodeJS.Timeout | undefined;
    try {
      const obj: unknown = await Promise.race([
        api.getClusterCustomObject({ group, version, plural, name: opts.pluginId }),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`no answer after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      opts.metrics?.observeUpstream('kubernetes', 'get rbdplugins', 'ok', (performance.now() - t0) / 1000);
      return { kind: 'found', plugin: toSlimRBDPlugin(obj) };
    } catch (e) {
      const read = classifyReadError(e, opts.pluginId);
      // A 404 is an answer, not a failed call.
      const outcome = read.kind === 'error' ? 'error' : 'ok';
      opts.metrics?.observeUpstream('kubernetes', 'get rbdplugins', outcome, (performance.now() - t0) / 1000);
      return read;
    } finally {
      clearTimeout(timeout);
    }
  }

  function refresh(): Promise<PluginEntryReading> {
    inFlight ??= readOnce()
      .then((read) => {
        current = { read, checkedAt: new Date().toISOString() };
        if (read.kind === 'error')
          log.debug('plugin entry read failed', { status: read.status, error: read.message });
        opts.onReading?.(current);
        return current;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  return {
    async start() {
      stopped = false;
      await refresh();
      if (stopped || timer) return;
      timer = setInterval(() => void refresh(), intervalMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
    },
    refresh,
    reading: () => current,
  };
}

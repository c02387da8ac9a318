/**
 * A loopback fake of the Kubernetes API server, speaking the real wire format for what client-node uses:
 * list (`kind: XList`, `metadata.resourceVersion`, label/field selectors), watch (`?watch=true` → chunked JSON
 * lines `{type, object}`, ERROR 410 `Status` for a too-old resourceVersion), GET of one object, 404 `Status`
 * for anything else (recorded in `unknownRequests`). Binds 127.0.0.1 on an ephemeral port.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

interface ResourceDef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** Kinds the fake serves; anything else is an unknown request. */
const RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  // Cilium's CRDs (cilium.io/v2; CiliumClusterwideNetworkPolicy is cluster-scoped).
  {
    group: 'cilium.io',
    version: 'v2',
    plural: 'ciliumnetworkpolicies',
    kind: 'CiliumNetworkPolicy',
    namespaced: true,
  },
  {
    group: 'cilium.io',
    version: 'v2',
    plural: 'ciliumclusterwidenetworkpolicies',
    kind: 'CiliumClusterwideNetworkPolicy',
    namespaced: false,
  },
  // Rainbond's CRD (goodrain/rainbond config/crd/rainbond.io_rbdplugins.yaml: scope Cluster, served v1alpha1).
  { group: 'rainbond.io', version: 'v1alpha1', plural: 'rbdplugins', kind: 'RBDPlugin', namespaced: false },
];
const BY_KIND = new Map(RESOURCES.map((r) => [r.kind, r]));

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeKubeApi {
  /** e.g. "http://127.0.0.1:41234" */
  url: string;
  /** A KubeConfig pointing at the fake (`insecure-skip-tls-verify` so client-node accepts plain http). */
  kubeConfig(): KubeConfig;
  /** Create or replace (by kind/namespace/name); emits ADDED or MODIFIED to matching watches. */
  apply(obj: KubeObject): KubeObject;
  applyMany(objs: KubeObject[]): void;
  /** Delete; emits DELETED. Returns false when the object did not exist. */
  remove(kind: string, namespace: string | null, name: string): boolean;
  /** Read the stored object (a copy), e.g. to modify and re-apply. */
  get(kind: string, namespace: string | null, name: string): KubeObject | undefined;
  /** true: end every watch and refuse (reset) new connections, like an API server going away. */
  setDown(down: boolean): void;
  /** End every open watch (the server side closes them, as an API server does on timeout); clients reconnect. */
  dropWatches(): void;
  /** Forget the event history: the next watch from an older resourceVersion gets ERROR 410 (Expired). */
  compactHistory(): void;
  /** Number of watches currently open, optionally for one plural resource (e.g. "services"). */
  openWatches(plural?: string): number;
  requests: RecordedRequest[];
  unknownRequests: RecordedRequest[];
  close(): Promise<void>;
}

// ---------- selectors ----------

type Requirement = (labels: Record<string, string>) => boolean;

/** Parses a Kubernetes label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`). */
export function parseLabelSelector(sel: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts.map((raw) => {
    const p = raw.trim();
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
    if (m) {
      const [, key = '', op, list = ''] = m;
      const values = list.split(',').map((v) => v.trim());
      return op === 'in'
        ? (l) => l[key] !== undefined && values.includes(l[key])
        : (l) => l[key] === undefined || !values.includes(l[key]);
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(p);
    if (m) {
      const [, key = '', op, value = ''] = m;
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(p);
    if (m) {
      const [, not, key = ''] = m;
      return not ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
    }
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(p)}`);
  });
}

class SelectorError extends Error {}

/** Field selectors the real server supports for every kind: metadata.name, metadata.namespace. */
function parseFieldSelector(sel: string): ((o: KubeObject) => boolean)[] {
  return sel
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const m = /^\s*(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*?)\s*$/.exec(p);
      if (!m) throw new SelectorError(`field label not supported: ${p.split(/[!=]/)[0]}`);
      const [, field, op, value] = m;
      const get = (o: KubeObject) =>
        field === 'metadata.name' ? o.metadata.name : (o.metadata.namespace ?? '');
      return op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value;
    });
}

// ---------- server ----------

interface Watcher {
  res: http.ServerResponse;
  def: ResourceDef;
  namespace: string | null;
  match: (o: KubeObject) => boolean;
  timer: NodeJS.Timeout | null;
}

interface HistoryEntry {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  previous: KubeObject | null;
}

/** Events kept per resource for watches resuming from an older resourceVersion. */
const HISTORY_LIMIT = 5_000;

const statusBody = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

export async function startFakeKubeApi(
  opts: {
    objects?: KubeObject[];
    /** Kinds this API server does not serve, e.g. ["RBDPlugin"] for a cluster without Rainbond's CRD. */
    withoutKinds?: string[];
    /** Kinds the caller is not granted: 403 Forbidden with the API server's message, e.g. ["EndpointSlice"]. */
    forbiddenKinds?: string[];
  } = {},
): Promise<FakeKubeApi> {
  const served = RESOURCES.filter((r) => !(opts.withoutKinds ?? []).includes(r.kind));
  let rv = 1;
  let down = false;
  const store = new Map<string, Map<string, KubeObject>>(RESOURCES.map((r) => [r.plural, new Map()]));
  const history = new Map<string, HistoryEntry[]>(RESOURCES.map((r) => [r.plural, []]));
  /** Oldest resourceVersion a watch may resume from, per resource. */
  const oldestRv = new Map<string, number>(RESOURCES.map((r) => [r.plural, 1]));
  const watchers = new Set<Watcher>();
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  const unknownRequests: RecordedRequest[] = [];

  const keyOf = (ns: string | undefined | null, name: string) => `${ns ?? ''}/${name}`;
  const clone = <T>(o: T): T => structuredClone(o);

  function send(w: Watcher, type: string, object: unknown) {
    w.res.write(JSON.stringify({ type, object }) + '\n');
  }

  /** Sends one event to one watch, if it concerns it. */
  function deliver(w: Watcher, e: HistoryEntry) {
    if (w.namespace !== null && (e.object.metadata.namespace ?? '') !== w.namespace) return;
    const now = w.match(e.object);
    if (e.type === 'MODIFIED' && e.previous) {
      // As the real server does: an object leaving or entering a selector is DELETED / ADDED for that watch.
      const before = w.match(e.previous);
      if (before && !now) send(w, 'DELETED', e.object);
      else if (!before && now) send(w, 'ADDED', e.object);
      else if (now) send(w, 'MODIFIED', e.object);
    } else if (now) send(w, e.type, e.object);
  }

  function dispatch(def: ResourceDef, e: HistoryEntry) {
    for (const w of watchers) if (w.def === def) deliver(w, e);
  }

  function record(def: ResourceDef, e: HistoryEntry) {
    const h = history.get(def.plural) ?? [];
    h.push(e);
    // Trimmed in chunks so bulk loads (30,000 pods) stay linear.
    if (h.length > 2 * HISTORY_LIMIT) {
      const dropped = h.splice(0, h.length - HISTORY_LIMIT);
      oldestRv.set(def.plural, (dropped[dropped.length - 1]?.rv ?? 0) + 1);
    }
    history.set(def.plural, h);
    dispatch(def, e);
  }

  function apply(input: KubeObject): KubeObject {
    const def = BY_KIND.get(input.kind);
    if (!def) throw new Error(`fake kube-api: kind ${input.kind} not supported`);
    const obj = clone(input);
    if (!def.namespaced) delete obj.metadata.namespace;
    else obj.metadata.namespace ??= 'default';
    const bucket = store.get(def.plural);
    if (!bucket) throw new Error(`fake kube-api: no store for ${def.plural}`);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const previous = bucket.get(key) ?? null;
    rv += 1;
    obj.metadata.resourceVersion = String(rv);
    obj.metadata.uid = previous?.metadata.uid ?? obj.metadata.uid ?? `uid-${def.plural}-${rv}`;
    obj.metadata.creationTimestamp =
      previous?.metadata.creationTimestamp ?? obj.metadata.creationTimestamp ?? new Date().toISOString();
    bucket.set(key, obj);
    record(def, { rv, type: previous ? 'MODIFIED' : 'ADDED', object: obj, previous });
    return clone(obj);
  }

  function remove(kind: string, namespace: string | null, name: string): boolean {
    const def = BY_KIND.get(kind);
    if (!def) throw new Error(`fake kube-api: kind ${kind} not supported`);
    const bucket = store.get(def.plural);
    const key = keyOf(def.namespaced ? namespace : null, name);
    const existing = bucket?.get(key);
    if (!bucket || !existing) return false;
    bucket.delete(key);
    rv += 1;
    const obj = clone(existing);
    obj.metadata.resourceVersion = String(rv);
    record(def, { rv, type: 'DELETED', object: obj, previous: null });
    return true;
  }

  for (const o of opts.objects ?? []) apply(o);

  /** Resolves a path to a resource, an optional namespace and an optional name. */
  function route(
    pathname: string,
  ): { def: ResourceDef; namespace: string | null; name: string | null } | null {
    const seg = pathname.split('/').filter((s) => s !== '');
    let rest: string[];
    let group: string;
    let version: string;
    if (seg[0] === 'api' && seg[1] === 'v1') {
      group = '';
      version = 'v1';
      rest = seg.slice(2);
    } else if (seg[0] === 'apis' && seg.length >= 3) {
      group = seg[1] ?? '';
      version = seg[2] ?? '';
      rest = seg.slice(3);
    } else return null;
    const find = (plural: string | undefined) =>
      served.find((r) => r.group === group && r.version === version && r.plural === plural);
    // /namespaces/{ns}/{plural}[/{name}]
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const def = find(rest[2]);
      if (!def || !def.namespaced || rest.length > 4) return null;
      return { def, namespace: rest[1] ?? null, name: rest[3] ?? null };
    }
    // /{plural}[/{name}] (cluster-scoped get, or list across namespaces)
    if (rest.length === 1 || rest.length === 2) {
      const def = find(rest[0]);
      if (!def) return null;
      if (rest.length === 2 && def.namespaced) return null;
      return { def, namespace: null, name: rest[1] ?? null };
    }
    return null;
  }

  function reply(res: http.ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(u.searchParams.entries());
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname, query, status: 0 };
    requests.push(rec);
    const fail = (status: number, reason: string, message: string, unknown = false) => {
      rec.status = status;
      if (unknown) unknownRequests.push(rec);
      reply(res, status, statusBody(status, reason, message));
    };

    const r = route(u.pathname);
    // The real server's answer for a resource type it does not serve (no details).
    if (!r) return fail(404, 'NotFound', 'the server could not find the requested resource', true);
    if (opts.forbiddenKinds?.includes(r.def.kind)) {
      return fail(
        403,
        'Forbidden',
        `${r.def.plural}.${r.def.group} is forbidden: User "system:serviceaccount:rbd-plugins:cilium-observability" cannot list resource "${r.def.plural}" in API group "${r.def.group}" at the cluster scope`,
      );
    }
    if (req.method !== 'GET') {
      return fail(405, 'MethodNotAllowed', `fake kube-api: ${req.method} ${u.pathname} not supported`, true);
    }
    const bucket = store.get(r.def.plural) ?? new Map<string, KubeObject>();

    if (r.name !== null) {
      const obj = bucket.get(keyOf(r.namespace, r.name));
      if (!obj) {
        // As the real server words it: the resource.group, and the object in `details` (only for a known type).
        const resource = r.def.group ? `${r.def.plural}.${r.def.group}` : r.def.plural;
        rec.status = 404;
        return reply(res, 404, {
          ...statusBody(404, 'NotFound', `${resource} "${r.name}" not found`),
          details: { name: r.name, ...(r.def.group ? { group: r.def.group } : {}), kind: r.def.plural },
        });
      }
      rec.status = 200;
      return reply(res, 200, obj);
    }

    let match: (o: KubeObject) => boolean;
    try {
      const labelReqs = parseLabelSelector(query.labelSelector ?? '');
      const fieldReqs = parseFieldSelector(query.fieldSelector ?? '');
      match = (o) => labelReqs.every((m) => m(o.metadata.labels ?? {})) && fieldReqs.every((m) => m(o));
    } catch (e) {
      return fail(400, 'BadRequest', (e as Error).message);
    }
    const inScope = (o: KubeObject) => r.namespace === null || o.metadata.namespace === r.namespace;

    if (query.watch === 'true' || query.watch === '1') {
      const from = Number(query.resourceVersion ?? '0');
      rec.status = 200;
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      // Send the headers now: the client waits for them before it reads events.
      res.flushHeaders();
      const w: Watcher = { res, def: r.def, namespace: r.namespace, match, timer: null };
      if (!Number.isFinite(from) || from < (oldestRv.get(r.def.plural) ?? 1) - 1) {
        // What the real server sends for a compacted resourceVersion: one ERROR event, then it closes.
        res.end(
          JSON.stringify({
            type: 'ERROR',
            object: statusBody(410, 'Expired', `too old resource version: ${query.resourceVersion} (${rv})`),
          }) + '\n',
        );
        return;
      }
      watchers.add(w);
      if (from === 0) {
        for (const o of bucket.values()) if (inScope(o) && match(o)) send(w, 'ADDED', o);
      } else {
        for (const e of history.get(r.def.plural) ?? []) if (e.rv > from) deliver(w, e);
      }
      const timeout = Number(query.timeoutSeconds ?? '0');
      if (timeout > 0) w.timer = setTimeout(() => res.end(), timeout * 1000);
      const cleanup = () => {
        if (w.timer) clearTimeout(w.timer);
        watchers.delete(w);
      };
      res.on('close', cleanup);
      return;
    }

    const items: KubeObject[] = [];
    for (const o of bucket.values()) if (inScope(o) && match(o)) items.push(o);
    rec.status = 200;
    reply(res, 200, {
      kind: `${r.def.kind}List`,
      apiVersion: r.def.group ? `${r.def.group}/${r.def.version}` : r.def.version,
      metadata: { resourceVersion: String(rv) },
      items,
    });
  });

  server.on('connection', (s) => {
    if (down) {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function endWatches() {
    for (const w of watchers) {
      if (w.timer) clearTimeout(w.timer);
      w.res.end();
    }
    watchers.clear();
  }

  return {
    url,
    kubeConfig() {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
        users: [{ name: 'fake', token: 'fake-token' }],
        contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
        currentContext: 'fake',
      });
      return kc;
    },
    apply,
    applyMany(objs) {
      for (const o of objs) apply(o);
    },
    remove,
    get(kind, namespace, name) {
      const def = BY_KIND.get(kind);
      const o = def ? store.get(def.plural)?.get(keyOf(def.namespaced ? namespace : null, name)) : undefined;
      return o ? clone(o) : undefined;
    },
    setDown(d) {
      down = d;
      if (d) {
        endWatches();
        for (const s of sockets) s.destroy();
        sockets.clear();
      }
    },
    dropWatches: endWatches,
    compactHistory() {
      for (const r of RESOURCES) {
        history.set(r.plural, []);
        oldestRv.set(r.plural, rv + 1);
      }
    },
    openWatches(plural) {
      let n = 0;
      for (const w of watchers) if (!plural || w.def.plural === plural) n++;
      return n;
    },
    requests,
    unknownRequests,
    async close() {
      endWatches();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

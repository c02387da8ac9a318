/**
 * Pure aggregation of a team's flows into its service map: one node per component / workload (other namespaces
 * by namespace and workload, reserved identities and kube-dns as such), one edge per client → server, protocol and
 * server port with verdict, drop-reason and HTTP counts. Replies are turned around so every edge points at the
 * server. Capped: other namespaces' workloads fold into their namespace first, then the least busy nodes into
 * "other"; edges beyond the cap go, quietest first (those with drops are kept first). `truncated` says it happened.
 */
import { classifyEndpoint, type EndpointClass } from '../../../contract/endpoints';
import type {
  DropExplanation,
  FlowEndpoint,
  FlowPolicy,
  FlowView,
  PolicyRef,
} from '../../../contract/insights';
import {
  MAP_MAX_EDGES,
  MAP_MAX_NODES,
  MAP_OTHER_NODE,
  type MapEdge,
  type MapNode,
} from '../../../contract/map';
import { componentOf } from './flows.names';
import type { TeamDirectory } from './team-directory';

export interface MapBuildOptions {
  namespace: string;
  directory: TeamDirectory | null;
  maxNodes?: number;
  maxEdges?: number;
  /** The deciding policy and explanation of a dropped / audited flow (drop-explain); called for those only. */
  explain?: (v: FlowView) => { policy: FlowPolicy | null; explanation: DropExplanation | null };
  /** A drop reason in words (drop-reasons.ts, in the request's language). */
  reasonText?: (reason: string) => string;
}

export interface BuiltMap {
  nodes: MapNode[];
  edges: MapEdge[];
  /** Nodes or edges were folded or left out. */
  folded: boolean;
}

/** Latency samples kept per edge for its p95. */
const MAX_SAMPLES = 2000;

interface EdgeAcc {
  source: string;
  target: string;
  family: string;
  port: number | null;
  l7: Set<string>;
  flows: number;
  forwarded: number;
  dropped: number;
  audited: number;
  dropReasons: Map<string, number>;
  http: { '2xx': number; '3xx': number; '4xx': number; '5xx': number } | null;
  latencies: number[];
  latencySeen: number;
  policies: Map<string, PolicyRef>;
  policyAttribution: 'flow' | 'likely' | null;
  policyDirection: FlowPolicy['direction'];
  nextSteps: Set<string>;
}

/** Next steps kept per edge. */
const MAX_STEPS = 8;

const FORWARDED = new Set(['FORWARDED', 'REDIRECTED', 'TRANSLATED', 'TRACED']);
const DROPPED = new Set(['DROPPED', 'ERROR']);

/** The tag (without direction) that selects a node's flows in the flow table, e.g. "label=k8s:service_alias=gr1a". */
function filterOf(c: EndpointClass, ep: FlowEndpoint, alias: string | null): string | null {
  if (alias) return `label=k8s:service_alias=${alias}`;
  switch (c.kind) {
    case 'world':
      return `label=${ep.labels.find((l) => l.startsWith('reserved:world')) ?? 'reserved:world'}`;
    case 'host':
      return `label=reserved:${c.name}`;
    case 'apiserver':
      return 'label=reserved:kube-apiserver';
    case 'dns':
      return 'label=k8s:k8s-app=kube-dns';
    case 'namespace':
      return `pod=${c.namespace}/`;
    default:
      if (!ep.workload) return ep.pod ? `pod=${ep.namespace}/${ep.pod}` : null;
      return c.namespace === null ? null : `pod=${c.namespace}/${ep.workload}-`;
  }
}

function nodeOf(ep: FlowEndpoint, o: MapBuildOptions): MapNode {
  const c = classifyEndpoint(ep, o.namespace);
  const component = c.namespace === o.namespace ? componentOf(ep, o.namespace, o.directory) : null;
  if (component)
    return {
      id: `component:${component.alias}`,
      kind: 'component',
      name: component.name,
      namespace: o.namespace,
      component,
      filter: filterOf(c, ep, component.alias),
      flows: 0,
      folded: 0,
    };
  const teamWorkload = c.kind === 'workload' && c.namespace === o.namespace && ep.workload;
  return {
    id: c.id,
    kind: c.kind,
    name: c.kind === 'world' ? 'world' : c.name,
    namespace: c.namespace,
    filter: teamWorkload ? `workload=${ep.workload}` : filterOf(c, ep, null),
    flows: 0,
    folded: 0,
  };
}

function l4Family(v: FlowView): string {
  const p = v.l4?.protocol.toLowerCase() ?? '';
  if (p.startsWith('icmp')) return 'icmp';
  return p || (v.l7 ? v.l7.type : 'unknown');
}

function p95(samples: number[]): number | undefined {
  if (samples.length === 0) return undefined;
  const s = [...samples].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? 0) * 1000) / 1000;
}

const refKey = (r: PolicyRef) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

function addFlow(acc: EdgeAcc, v: FlowView, o: MapBuildOptions): void {
  acc.flows++;
  if (v.l7 && v.l7.type !== 'other') acc.l7.add(v.l7.type);
  if (FORWARDED.has(v.verdict)) acc.forwarded++;
  else if (DROPPED.has(v.verdict)) {
    acc.dropped++;
    const r = v.dropReason ?? 'DROP_REASON_UNKNOWN';
    acc.dropReasons.set(r, (acc.dropReasons.get(r) ?? 0) + 1);
  } else if (v.verdict === 'AUDIT') acc.audited++;
  if ((DROPPED.has(v.verdict) || v.verdict === 'AUDIT') && o.explain) {
    const { policy: p, explanation } = o.explain(v);
    for (const step of explanation?.nextSteps ?? [])
      if (acc.nextSteps.size < MAX_STEPS) acc.nextSteps.add(step);
    if (p && p.effect === 'deny') {
      if (acc.policyAttribution !== 'flow') acc.policyAttribution = p.attribution;
      acc.policyDirection = p.direction;
      for (const r of p.policies) acc.policies.set(refKey(r), r);
    }
  }
  if (v.l7?.type === 'http' && v.l7.code > 0) {
    acc.http ??= { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
    const bucket = `${Math.floor(v.l7.code / 100)}xx`;
    if (bucket in acc.http) acc.http[bucket as '2xx']++;
    if (v.l7.latencyMs !== null) {
      acc.latencySeen++;
      // reservoir sampling keeps the p95 honest for busy edges at a bounded cost
      if (acc.latencies.length < MAX_SAMPLES) acc.latencies.push(v.l7.latencyMs);
      else {
        const j = Math.floor(Math.random() * acc.latencySeen);
        if (j < MAX_SAMPLES) acc.latencies[j] = v.l7.latencyMs;
      }
    }
  }
}

function emptyEdge(source: string, target: string, family: string, port: number | null): EdgeAcc {
  return {
    source,
    target,
    family,
    port,
    l7: new Set(),
    flows: 0,
    forwarded: 0,
    dropped: 0,
    audited: 0,
    dropReasons: new Map(),
    http: null,
    latencies: [],
    latencySeen: 0,
    policies: new Map(),
    policyAttribution: null,
    policyDirection: 'unknown',
    nextSteps: new Set(),
  };
}

function mergeInto(a: EdgeAcc, b: EdgeAcc): void {
  a.flows += b.flows;
  a.forwarded += b.forwarded;
  a.dropped += b.dropped;
  a.audited += b.audited;
  for (const t of b.l7) a.l7.add(t);
  for (const [r, n] of b.dropReasons) a.dropReasons.set(r, (a.dropReasons.get(r) ?? 0) + n);
  if (b.http) {
    a.http ??= { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
    for (const k of ['2xx', '3xx', '4xx', '5xx'] as const) a.http[k] += b.http[k];
  }
  a.latencies = a.latencies.concat(b.latencies).slice(0, MAX_SAMPLES);
  a.latencySeen += b.latencySeen;
  for (const [k, r] of b.policies) a.policies.set(k, r);
  if (b.policyAttribution === 'flow' || (b.policyAttribution && !a.policyAttribution))
    a.policyAttribution = b.policyAttribution;
  if (a.policyDirection === 'unknown') a.policyDirection = b.policyDirection;
  for (const step of b.nextSteps) if (a.nextSteps.size < MAX_STEPS) a.nextSteps.add(step);
}

const edgeKey = (e: { source: string; target: string; family: string; port: number | null }) =>
  `${e.source}\u0000${e.target}\u0000${e.family}\u0000${e.port ?? ''}`;

function toEdge(a: EdgeAcc, reasonText: (r: string) => string): MapEdge {
  const protocol = a.l7.has('http') ? 'http' : a.l7.has('dns') ? 'dns' : a.family;
  const http = a.http ? { ...a.http, ...(a.latencies.length ? { p95Ms: p95(a.latencies) } : {}) } : undefined;
  return {
    source: a.source,
    target: a.target,
    protocol,
    port: a.port,
    flows: a.flows,
    forwarded: a.forwarded,
    dropped: a.dropped,
    audited: a.audited,
    dropReasons: Object.fromEntries([...a.dropReasons].sort((x, y) => y[1] - x[1])),
    dropReasonTexts: Object.fromEntries([...a.dropReasons.keys()].map((r) => [r, reasonText(r)])),
    ...(http ? { http } : {}),
    policy: a.policyAttribution
      ? {
          effect: 'deny',
          attribution: a.policyAttribution,
          direction: a.policyDirection,
          policies: [...a.policies.values()],
        }
      : null,
    nextSteps: [...a.nextSteps],
  };
}

/** Flows → nodes and edges, capped at maxNodes / maxEdges. */
export function buildServiceMap(flows: Iterable<FlowView>, o: MapBuildOptions): BuiltMap {
  const maxNodes = Math.max(2, o.maxNodes ?? MAP_MAX_NODES);
  const maxEdges = Math.max(1, o.maxEdges ?? MAP_MAX_EDGES);
  const nodes = new Map<string, MapNode>();
  const edges = new Map<string, EdgeAcc>();
  // endpoint → node is the same for every flow of a pod: memoised by pod and security identity (which stands
  // for the labels; joining the labels per flow cost more than the rest of the aggregation)
  const memo = new Map<string, MapNode>();
  const nodeFor = (ep: FlowEndpoint) => {
    const key = `${ep.namespace}\u0000${ep.workload}\u0000${ep.pod}\u0000${ep.identity}\u0000${ep.labels.length}`;
    let n = memo.get(key);
    if (!n) {
      n = nodeOf(ep, o);
      memo.set(key, n);
      if (!nodes.has(n.id)) nodes.set(n.id, n);
    }
    return nodes.get(n.id) as MapNode;
  };

  for (const v of flows) {
    const reply = v.isReply === true;
    const client = nodeFor(reply ? v.destination : v.source);
    const server = nodeFor(reply ? v.source : v.destination);
    const family = l4Family(v);
    const port = family === 'icmp' ? null : ((reply ? v.l4?.sourcePort : v.l4?.destinationPort) ?? null);
    const key = edgeKey({ source: client.id, target: server.id, family, port });
    let acc = edges.get(key);
    if (!acc) {
      acc = emptyEdge(client.id, server.id, family, port);
      edges.set(key, acc);
    }
    addFlow(acc, v, o);
  }

  let folded = false;
  let current = [...edges.values()];
  /** Moves every node `target` maps into that node and re-keys (merges) the edges; self-loops it makes go. */
  const fold = (target: (n: MapNode) => MapNode | null) => {
    const moved = new Map<string, string>();
    for (const n of [...nodes.values()]) {
      const t = target(n);
      if (!t) continue;
      folded = true;
      moved.set(n.id, t.id);
      nodes.delete(n.id);
      const existing = nodes.get(t.id);
      if (existing) existing.folded += 1 + n.folded;
      else nodes.set(t.id, { ...t, folded: 1 + n.folded });
    }
    const merged = new Map<string, EdgeAcc>();
    for (const e of current) {
      const source = moved.get(e.source) ?? e.source;
      const target2 = moved.get(e.target) ?? e.target;
      if (source === target2 && (moved.has(e.source) || moved.has(e.target))) continue;
      const k = edgeKey({ source, target: target2, family: e.family, port: e.port });
      const m = merged.get(k);
      if (m) mergeInto(m, e);
      else merged.set(k, { ...e, source, target: target2 });
    }
    current = [...merged.values()];
  };

  // 1: other namespaces' workloads into their namespace
  if (nodes.size > maxNodes)
    fold((n) =>
      n.kind === 'workload' && n.namespace !== null && n.namespace !== o.namespace
        ? {
            id: `namespace:${n.namespace}`,
            kind: 'namespace',
            name: n.namespace,
            namespace: n.namespace,
            filter: `pod=${n.namespace}/`,
            flows: 0,
            folded: 0,
          }
        : null,
    );
  // 2: the least busy nodes into "other"
  if (nodes.size > maxNodes) {
    const traffic = new Map<string, number>();
    for (const e of current) {
      traffic.set(e.source, (traffic.get(e.source) ?? 0) + e.flows);
      traffic.set(e.target, (traffic.get(e.target) ?? 0) + e.flows);
    }
    const ranked = [...nodes.values()].sort(
      (a, b) => (traffic.get(b.id) ?? 0) - (traffic.get(a.id) ?? 0) || a.id.localeCompare(b.id),
    );
    const keep = new Set(ranked.slice(0, maxNodes - 1).map((n) => n.id));
    const other: MapNode = {
      id: MAP_OTHER_NODE,
      kind: 'namespace',
      name: MAP_OTHER_NODE,
      namespace: null,
      filter: null,
      flows: 0,
      folded: 0,
    };
    fold((n) => (keep.has(n.id) || n.id === MAP_OTHER_NODE ? null : other));
  }
  // 3: edges beyond the cap, quietest first; edges with drops stay longest
  if (current.length > maxEdges) {
    folded = true;
    current = current
      .sort((a, b) => Number(b.dropped > 0) - Number(a.dropped > 0) || b.flows - a.flows)
      .slice(0, maxEdges);
  }

  const flowsOf = new Map<string, number>();
  for (const e of current) {
    flowsOf.set(e.source, (flowsOf.get(e.source) ?? 0) + e.flows);
    if (e.target !== e.source) flowsOf.set(e.target, (flowsOf.get(e.target) ?? 0) + e.flows);
  }
  const outNodes = [...nodes.values()]
    .map((n) => ({ ...n, flows: flowsOf.get(n.id) ?? 0 }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const outEdges = current
    .map((e) => toEdge(e, o.reasonText ?? ((r) => r)))
    .sort(
      (a, b) =>
        a.source.localeCompare(b.source) ||
        a.target.localeCompare(b.target) ||
        (a.port ?? 0) - (b.port ?? 0) ||
        a.protocol.localeCompare(b.protocol),
    );
  return { nodes: outNodes, edges: outEdges, folded };
}

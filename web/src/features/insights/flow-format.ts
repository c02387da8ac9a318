/** FlowView → table cells, Summary cards → display values, filters → the matching Hubble UI link; all pure. */
import type { Link } from '../../../../contract';
import type { FlowView, SummaryCard } from '../../../../contract/insights';
import type { FlowFilter } from './insights.api';
import { FLOW_PROTOCOLS, FLOW_VERDICTS } from '../../../../contract/flow-filters';
import { HUBBLE_DROPPED_LINK, HUBBLE_NAMESPACE_LINK } from '../../../../contract/names';
import { classifyEndpoint, type NodeKind } from '../../../../contract/endpoints';
import { parseTag, type FlowTag } from '../../../../contract/flow-tags';
import type { MapEdge, MapNode } from '../../../../contract/map';

export { HUBBLE_DROPPED_LINK, HUBBLE_NAMESPACE_LINK };

type Verdict = NonNullable<FlowFilter['verdict']>;
type Protocol = NonNullable<FlowFilter['protocol']>;

export const VERDICTS: readonly Verdict[] = FLOW_VERDICTS;
export const PROTOCOLS: readonly Protocol[] = FLOW_PROTOCOLS;

/** The windows the summary and the map offer. */
export const WINDOWS = ['5m', '15m', '1h'];

/** e.g. "shop/checkout-7d9f" or "api.example.com" or "10.0.0.12" */
export function endpointLabel(ep: FlowView['source']): string {
  if (ep.pod) return ep.namespace ? `${ep.namespace}/${ep.pod}` : ep.pod;
  if (ep.workload) return ep.namespace ? `${ep.namespace}/${ep.workload}` : ep.workload;
  if (ep.names[0]) return ep.names[0];
  if (ep.ip) return ep.ip;
  const reserved = ep.labels.find((l) => l.startsWith('reserved:'));
  return reserved ? reserved.slice('reserved:'.length) : '?';
}

/** e.g. "TCP :8080", "UDP :53", "ICMPv4" */
export function protocolLabel(flow: FlowView): string {
  if (!flow.l4) return flow.l7 ? flow.l7.type.toUpperCase() : '';
  const port = flow.l4.destinationPort;
  return `${flow.l4.protocol.toUpperCase()}${port ? ` :${port}` : ''}`;
}

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  5: 'REFUSED',
};

/** e.g. "DNS api.example.com. NXDOMAIN", "GET /cart → 503 (12 ms)" */
export function l7Summary(flow: FlowView): string {
  const l7 = flow.l7;
  if (!l7) return '';
  if (l7.type === 'dns') return `DNS ${l7.query} ${RCODES[l7.rcode] ?? `rcode ${l7.rcode}`}`;
  if (l7.type === 'http') {
    const latency = l7.latencyMs === null ? '' : ` (${Math.round(l7.latencyMs)} ms)`;
    return `${l7.method} ${l7.url}${l7.code ? ` → ${l7.code}` : ''}${latency}`;
  }
  return l7.summary;
}

/** Local wall-clock time with milliseconds, e.g. "14:03:07.123"; the raw string when unparsable. */
export function flowTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** Card value for display, e.g. 12.5 per_second → "12.5/s", 0.012 ratio → "1.2%", 0.25 seconds → "250 ms". */
export function formatCardValue(card: Pick<SummaryCard, 'value' | 'unit'>): string | null {
  const v = card.value;
  if (v === null || !Number.isFinite(v)) return null;
  const n = (x: number) =>
    Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
  if (card.unit === 'ratio') return `${n(v * 100)}%`;
  if (card.unit === 'seconds') return v < 1 ? `${n(v * 1000)} ms` : `${n(v)} s`;
  return `${n(v)}/s`;
}

/** The Hubble UI link for the table's verdict filter: the dropped view for DROPPED, else the namespace view. */
export function hubbleLinkFor(links: readonly Link[], verdict?: Verdict): string | null {
  const url = (id: string) => links.find((l) => l.id === id)?.url;
  return (verdict === 'DROPPED' ? url(HUBBLE_DROPPED_LINK) : undefined) ?? url(HUBBLE_NAMESPACE_LINK) ?? null;
}

/** Newest first, capped, e.g. after SSE appends; identical (time,node,summary) entries are dropped. */
export function mergeFlows(existing: FlowView[], incoming: FlowView[], cap: number): FlowView[] {
  const seen = new Set<string>();
  const out: FlowView[] = [];
  const all = [...incoming, ...existing].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  for (const f of all) {
    const key = `${f.time}|${f.node}|${f.summary}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
    if (out.length >= cap) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Rainbond names, map → filter tags, table columns
// ---------------------------------------------------------------------------------------------------------------

/** How an endpoint reads, e.g. { name: "订单服务", detail: "在线商城", kind: "component" }. */
export interface EndpointView {
  name: string;
  /** App name of a component, namespace of kube-dns, "" otherwise. */
  detail: string;
  kind: NodeKind;
}

/** Components by their Rainbond name, other namespaces as "namespace/workload", reserved identities as such. */
export function endpointView(ep: FlowView['source'], teamNamespace: string): EndpointView {
  if (ep.component) return { name: ep.component.name, detail: ep.component.appName, kind: 'component' };
  const c = classifyEndpoint(ep, teamNamespace);
  switch (c.kind) {
    case 'world':
      return {
        name: ep.names[0] ?? (ep.ip || 'world'),
        detail: ep.names[0] && ep.ip ? ep.ip : '',
        kind: 'world',
      };
    case 'dns':
      return { name: 'kube-dns', detail: ep.namespace, kind: 'dns' };
    case 'namespace':
      return { name: `${ep.namespace}/${ep.pod || ep.ip}`, detail: '', kind: 'namespace' };
    case 'workload':
      return c.namespace === teamNamespace
        ? { name: c.name, detail: '', kind: 'workload' }
        : { name: `${c.namespace}/${c.name}`, detail: '', kind: 'workload' };
    default:
      return { name: c.name, detail: '', kind: c.kind };
  }
}

/** A map node's filter ("label=k8s:service_alias=gr1a") as a tag on one side, e.g. from:label=…; null when it has none. */
export function nodeTag(node: Pick<MapNode, 'filter'>, direction: FlowTag['direction']): FlowTag | null {
  return node.filter ? parseTag(`${direction}:${node.filter}`) : null;
}

/** Tags for clicking a node: its flows on either side. */
export const nodeTags = (node: Pick<MapNode, 'filter'>): FlowTag[] => {
  const t = nodeTag(node, 'either');
  return t ? [t] : [];
};

/** Tags for clicking an edge: from its client, to its server, to the server port. */
export function edgeTags(
  edge: Pick<MapEdge, 'source' | 'target' | 'port'>,
  nodes: ReadonlyMap<string, Pick<MapNode, 'filter'>>,
): FlowTag[] {
  const from = nodes.get(edge.source);
  const to = nodes.get(edge.target);
  const out = [from && nodeTag(from, 'from'), to && nodeTag(to, 'to')].filter((t): t is FlowTag => !!t);
  if (edge.port !== null)
    out.push({ kind: 'port', direction: 'to', value: String(edge.port), negated: false });
  return out;
}

export const FLOW_COLUMNS = [
  'time',
  'source',
  'sourcePod',
  'sourceIp',
  'destination',
  'destinationPod',
  'destinationIp',
  'port',
  'l7',
  'direction',
  'verdict',
  'tcpFlags',
  'node',
] as const;
export type FlowColumn = (typeof FLOW_COLUMNS)[number];
/** What a Hubble UI user sees first: who talks to whom, on which port, what happened, when. */
export const DEFAULT_COLUMNS: readonly FlowColumn[] = [
  'time',
  'source',
  'destination',
  'port',
  'l7',
  'verdict',
];
export const COLUMNS_STORAGE_KEY = 'cobs.insights.columns';

/** The chosen columns from storage, in table order; the defaults when nothing (valid) is stored. */
export function loadColumns(storage: Pick<Storage, 'getItem'> | null): FlowColumn[] {
  try {
    const raw = storage?.getItem(COLUMNS_STORAGE_KEY);
    const list = raw ? (JSON.parse(raw) as unknown) : null;
    if (Array.isArray(list)) {
      const cols = FLOW_COLUMNS.filter((c) => list.includes(c));
      if (cols.length) return cols;
    }
  } catch {
    // a broken value or no storage (privacy mode) gives the defaults
  }
  return [...DEFAULT_COLUMNS];
}

export function saveColumns(storage: Pick<Storage, 'setItem'> | null, columns: readonly FlowColumn[]): void {
  try {
    storage?.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(columns));
  } catch {
    // storage full or blocked: the choice lasts until reload
  }
}

/** e.g. "SYN, ACK"; "" without TCP flags. */
export const tcpFlags = (f: FlowView): string => f.l4?.flags.join(', ') ?? '';

/** Locale keys of the traffic directions. */
export const DIRECTION_KEYS = {
  ingress: 'insights.dir.ingress',
  egress: 'insights.dir.egress',
  unknown: 'insights.dir.unknown',
} as const;

/** Locale keys of the map's node kinds. */
export const NODE_KIND_KEYS = {
  component: 'insights.map.kind.component',
  workload: 'insights.map.kind.workload',
  namespace: 'insights.map.kind.namespace',
  world: 'insights.map.kind.world',
  host: 'insights.map.kind.host',
  dns: 'insights.map.kind.dns',
  apiserver: 'insights.map.kind.apiserver',
} as const;

/** Locale keys of the table's columns. */
export const COLUMN_KEYS = {
  time: 'insights.col.time',
  source: 'insights.col.source',
  sourcePod: 'insights.col.sourcePod',
  sourceIp: 'insights.col.sourceIp',
  destination: 'insights.col.destination',
  destinationPod: 'insights.col.destinationPod',
  destinationIp: 'insights.col.destinationIp',
  port: 'insights.col.port',
  l7: 'insights.col.l7',
  direction: 'insights.col.direction',
  verdict: 'insights.col.verdict',
  tcpFlags: 'insights.col.tcpFlags',
  node: 'insights.col.node',
} as const satisfies Record<FlowColumn, string>;

/** The name of the side that decided a drop, e.g. "订单数据库"; null when unknown. */
export function deciderOf(
  f: FlowView,
  teamNamespace: string,
): { name: string; elsewhere: string | null } | null {
  const at = f.explanation?.enforcedAt;
  if (!at) return null;
  const ep = f[at];
  return {
    name: endpointView(ep, teamNamespace).name,
    elsewhere: f.explanation?.enforcedInTeam === false && ep.namespace ? ep.namespace : null,
  };
}

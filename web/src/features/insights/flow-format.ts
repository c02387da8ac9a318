/** FlowView → table cells, Summary cards → display values, filters → the matching Hubble UI link; all pure. */
import type { Link } from '../../../../contract';
import type { FlowView, SummaryCard } from '../../../../contract/insights';
import type { FlowFilter } from './insights.api';
import { FLOW_PROTOCOLS, FLOW_VERDICTS } from '../../../../contract/flow-filters';
import { HUBBLE_DROPPED_LINK, HUBBLE_NAMESPACE_LINK } from '../../../../contract/names';

export { HUBBLE_DROPPED_LINK, HUBBLE_NAMESPACE_LINK };

type Verdict = NonNullable<FlowFilter['verdict']>;
type Protocol = NonNullable<FlowFilter['protocol']>;

export const VERDICTS: readonly Verdict[] = FLOW_VERDICTS;
export const PROTOCOLS: readonly Protocol[] = FLOW_PROTOCOLS;

export const isVerdict = (v: string): v is Verdict => (VERDICTS as readonly string[]).includes(v);
export const isProtocol = (v: string): v is Protocol => (PROTOCOLS as readonly string[]).includes(v);

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

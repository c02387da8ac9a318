/**
 * Relay filters for one team: the enforced whitelist (one side of every flow in the team's namespace), narrowed by
 * the user's tags, and the blacklist (negated tags, hide toggles). Tags only ever add constraints to the team's
 * whitelist entries, so a tag naming another namespace can narrow but never widen what is returned; a filter
 * whose constraints cannot both hold (e.g. source in "shop/" AND source in "billing/") is left out.
 * Tags of one kind and direction OR (like `hubble observe --from-pod a --from-pod b`); different ones AND.
 * matchesRelayFilters() re-checks every flow the same way, so a Relay that ignores a field changes nothing.
 */
import {
  HIDE_LABELS,
  type FlowTag,
  type HideToggle,
  type TagDirection,
  type TagKind,
} from '../../../contract/flow-tags';
import { AppError } from '../../errors';
import { labelIndex, parseLabel } from '../../cilium/policies';
import type { FlowFilter, HubbleEndpoint, HubbleFlow } from '../../clients/hubble/schemas';

export interface RelayFilters {
  whitelist: FlowFilter[];
  blacklist: FlowFilter[];
}

export interface TeamFilterInput {
  /** The team's Kubernetes namespace, always from the server-side ctx, e.g. "shop". */
  namespace: string;
  /** e.g. "DROPPED" (FlowsQuerySchema). */
  verdict?: string;
  /** "tcp" | "udp" | "icmp" | "sctp" | "dns" | "http" (FlowsQuerySchema). */
  protocol?: string;
  /** Filter tags, narrowing the team's whitelist. */
  tags?: readonly FlowTag[];
  /** Special flows to leave out (Relay blacklist). */
  hide?: readonly HideToggle[];
  /** false on Relays before Cilium 1.13 (no workload filter): workload tags are sent as pod-name prefixes. */
  workloadFilters?: boolean;
}

/** Whitelist entries at most (each tag with `either` doubles them). */
export const MAX_WHITELIST = 64;

type Side = 'source' | 'destination';
type Field = keyof FlowFilter;

/** The FlowFilter field of each per-side tag kind, after its `source_` / `destination_` prefix. */
const SIDE_FIELDS: Partial<Record<TagKind, 'pod' | 'workload' | 'label' | 'ip' | 'fqdn' | 'port'>> = {
  pod: 'pod',
  workload: 'workload',
  label: 'label',
  ip: 'ip',
  dns: 'fqdn',
  port: 'port',
};

/** The FlowFilter field of a tag kind on one side, e.g. ("dns", "source") → "source_fqdn"; null for flow-wide kinds. */
function sideField(kind: TagKind, side: Side): Field | null {
  const field = SIDE_FIELDS[kind];
  return field ? `${side}_${field}` : null;
}

const FLOW_WIDE: Partial<Record<TagKind, Field>> = {
  'http-status': 'http_status_code',
  verdict: 'verdict',
  protocol: 'protocol',
};

const sidesOf = (d: TagDirection): Side[] =>
  d === 'from' ? ['source'] : d === 'to' ? ['destination'] : ['source', 'destination'];

/** "shop/checkout-" → { ns: "shop", prefix: "checkout-" }; "/x" → any namespace; "x" → the team's namespace. */
function podPattern(v: string, teamNs: string): { ns: string | null; prefix: string } {
  const i = v.indexOf('/');
  if (i < 0) return { ns: teamNs, prefix: v };
  return { ns: i === 0 ? null : v.slice(0, i), prefix: v.slice(i + 1) };
}

/** Pod patterns both of "a" and "b" allow, e.g. ["shop/"] ∩ ["shop/cart-", "billing/"] → ["shop/cart-"]. */
function intersectPods(a: string[], b: string[]): string[] {
  const out = new Set<string>();
  for (const x of a)
    for (const y of b) {
      const p = podPattern(x, 'default');
      const q = podPattern(y, 'default');
      if (p.ns !== null && q.ns !== null && p.ns !== q.ns) continue;
      const ns = p.ns ?? q.ns;
      const longer = p.prefix.length >= q.prefix.length ? p.prefix : q.prefix;
      const shorter = longer === p.prefix ? q.prefix : p.prefix;
      if (!longer.startsWith(shorter)) continue;
      out.add(`${ns ?? ''}/${longer}`);
    }
  return [...out];
}

type Values = string[] | { name: string; kind: string }[];

/** A field's values AND another set of values for the same field; [] = cannot hold. */
function intersect(field: Field, a: Values, b: Values): Values {
  if (field === 'source_pod' || field === 'destination_pod')
    return intersectPods(a as string[], b as string[]);
  if (field === 'source_label' || field === 'destination_label')
    // label selectors AND by joining their requirements: ["a"] ∧ ["b", "c"] → ["a,b", "a,c"]
    return (a as string[]).flatMap((x) => (b as string[]).map((y) => `${x},${y}`));
  if (field === 'source_workload' || field === 'destination_workload') {
    const key = (w: { name: string; kind: string }) => `${w.kind}/${w.name}`;
    const keys = new Set((b as { name: string; kind: string }[]).map(key));
    return (a as { name: string; kind: string }[]).filter((w) => keys.has(key(w)));
  }
  const set = new Set(b as string[]);
  return (a as string[]).filter((x) => set.has(x));
}

/** Adds `field ∈ values` to a filter; null when the filter can no longer match anything. */
function constrain(f: FlowFilter, field: Field, values: Values): FlowFilter | null {
  const have = f[field] as Values | undefined;
  const next = have ? intersect(field, have, values) : values;
  if (next.length === 0) return null;
  return { ...f, [field]: next };
}

/** "Deployment:checkout" → { kind: "Deployment", name: "checkout" }; "checkout" → any kind. */
function workloadOf(v: string): { name: string; kind: string } {
  const i = v.indexOf(':');
  return i < 0 ? { name: v, kind: '' } : { kind: v.slice(0, i), name: v.slice(i + 1) };
}

/** The values a positive tag group puts into `field`. */
function valuesFor(kind: TagKind, values: string[], teamNs: string, workloads: boolean): Values {
  if (kind === 'pod')
    return values.map((v) => {
      const p = podPattern(v, teamNs);
      return `${p.ns ?? ''}/${p.prefix}`;
    });
  if (kind === 'workload') {
    if (workloads) return values.map(workloadOf);
    // Relay < 1.13 has no workload filter: a Deployment's / StatefulSet's pods are named "<workload>-…"
    return values.map((v) => `/${workloadOf(v).name}-`);
  }
  return values;
}

function workloadField(kind: TagKind, side: Side, workloads: boolean): Field | null {
  if (kind === 'workload' && !workloads) return side === 'source' ? 'source_pod' : 'destination_pod';
  return sideField(kind, side);
}

/** The enforced whitelist and the blacklist for one team and its tags; throws INVALID_INPUT when they explode. */
export function buildRelayFilters(q: TeamFilterInput): RelayFilters {
  const ns = q.namespace;
  const workloads = q.workloadFilters !== false;
  const base: FlowFilter = {
    ...(q.verdict ? { verdict: [q.verdict] } : {}),
    ...(q.protocol ? { protocol: [q.protocol] } : {}),
  };
  let whitelist: FlowFilter[] = [
    { source_pod: [`${ns}/`], ...base },
    { destination_pod: [`${ns}/`], ...base },
  ];
  const blacklist: FlowFilter[] = [];
  const tags = q.tags ?? [];

  // positive tags grouped by (kind, direction): values OR inside a group, groups AND
  const groups = new Map<string, { kind: TagKind; direction: TagDirection; values: string[] }>();
  for (const t of tags) {
    if (t.negated) continue;
    const key = `${t.kind}\u0000${t.direction}`;
    const g = groups.get(key) ?? { kind: t.kind, direction: t.direction, values: [] };
    g.values.push(t.value);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const wide = FLOW_WIDE[g.kind];
    const next: FlowFilter[] = [];
    for (const f of whitelist) {
      if (wide) {
        const c = constrain(f, wide, g.values);
        if (c) next.push(c);
        continue;
      }
      for (const side of sidesOf(g.direction)) {
        const field = workloadField(g.kind, side, workloads);
        if (!field) continue;
        const c = constrain(f, field, valuesFor(g.kind, g.values, ns, workloads));
        if (c) next.push(c);
      }
    }
    whitelist = dedupe(next);
    if (whitelist.length > MAX_WHITELIST)
      throw new AppError('INVALID_INPUT', `too many filter combinations; use fewer "either" tags`, {
        fields: [{ field: 'filters', problem: `more than ${MAX_WHITELIST} Relay filters` }],
      });
  }

  for (const t of tags) {
    if (!t.negated) continue;
    const wide = FLOW_WIDE[t.kind];
    if (wide) {
      blacklist.push({ [wide]: [t.value] });
      continue;
    }
    for (const side of sidesOf(t.direction)) {
      const field = workloadField(t.kind, side, workloads);
      if (field) blacklist.push({ [field]: valuesFor(t.kind, [t.value], ns, workloads) });
    }
  }
  for (const h of q.hide ?? []) {
    const labels = [...HIDE_LABELS[h]];
    blacklist.push({ source_label: labels }, { destination_label: labels });
  }
  assertTeamScoped(whitelist, ns);
  return { whitelist, blacklist };
}

function dedupe(filters: FlowFilter[]): FlowFilter[] {
  const seen = new Set<string>();
  return filters.filter((f) => {
    const k = JSON.stringify(f);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Every whitelist entry keeps one side inside the team's namespace (the guarantee this module exists for). */
function assertTeamScoped(whitelist: FlowFilter[], ns: string): void {
  const inside = (pods: string[] | undefined) =>
    pods !== undefined && pods.every((p) => p.startsWith(`${ns}/`));
  for (const f of whitelist)
    if (!inside(f.source_pod) && !inside(f.destination_pod))
      throw new AppError('INTERNAL', 'flow filter lost the team scope', { filter: f });
}

// ---------------------------------------------------------------------------------------------------------------
// The same semantics on a decoded flow (Hubble's filters: pod prefix, label selector, CIDR, FQDN glob, port,
// http status prefix, workload name/kind, verdict, protocol).
// ---------------------------------------------------------------------------------------------------------------

function podMatches(patterns: string[], ep: HubbleEndpoint | null): boolean {
  if (!ep || !ep.pod_name) return false;
  return patterns.some((p) => {
    const { ns, prefix } = podPattern(p, 'default');
    return (ns === null || ns === ep.namespace) && ep.pod_name.startsWith(prefix);
  });
}

/** One Cilium label selector, requirements joined by ",": "k8s:app=web", "reserved:host", "k8s:tier!=db", "!app". */
export function labelSelectorMatches(selector: string, labels: readonly string[]): boolean {
  const index = labelIndex(labels);
  return selector.split(',').every((raw) => {
    let req = raw.trim();
    if (req === '') return true;
    const not = req.startsWith('!');
    if (not) req = req.slice(1);
    const neq = req.indexOf('!=');
    const [keyPart, value] =
      neq >= 0 ? [req.slice(0, neq), req.slice(neq + 2)] : (req.split(/==?/, 2) as [string, string?]);
    const { source, key } = parseLabel(keyPart);
    const have = index.get(source === 'any' ? key : `${source}:${key}`);
    if (not) return have === undefined;
    if (neq >= 0) return have !== value;
    return value === undefined ? have !== undefined : have === value;
  });
}

function ipToBigInt(ip: string): { v: bigint; bits: number } | null {
  if (ip.includes(':')) {
    const [head = '', tail = ''] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
    const parts = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    if (parts.length !== 8) return null;
    let v = 0n;
    for (const p of parts) v = (v << 16n) + BigInt(parseInt(p || '0', 16));
    return { v, bits: 128 };
  }
  const o = ip.split('.').map(Number);
  if (o.length !== 4 || o.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return null;
  return { v: BigInt(((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!), bits: 32 };
}

/** "10.0.0.5" equals, "10.0.0.0/8" contains. */
export function ipMatches(pattern: string, ip: string): boolean {
  if (!ip) return false;
  const slash = pattern.indexOf('/');
  if (slash < 0) return pattern === ip;
  const net = ipToBigInt(pattern.slice(0, slash));
  const addr = ipToBigInt(ip);
  const len = Number(pattern.slice(slash + 1));
  if (!net || !addr || net.bits !== addr.bits || len > net.bits) return false;
  const shift = BigInt(net.bits - len);
  return net.v >> shift === addr.v >> shift;
}

/** Hubble's FQDN pattern: "*" matches within one label run, e.g. "*.stripe.com" ⊃ "api.stripe.com". */
function fqdnMatches(pattern: string, names: readonly string[]): boolean {
  const re = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/\.$/, '')
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[-a-z0-9_.]*')}\\.?$`,
  );
  return names.some((n) => re.test(n.toLowerCase()));
}

/** "404" exact, "4+" = 400–499, "40+" = 400–409. */
export function httpStatusMatches(pattern: string, code: number): boolean {
  if (!code) return false;
  const c = String(code);
  return pattern.endsWith('+') ? c.startsWith(pattern.slice(0, -1)) : c === pattern;
}

function portsOf(flow: HubbleFlow): { source: number; destination: number } | null {
  const l4 = flow.l4;
  const p = l4?.TCP ?? l4?.UDP ?? l4?.SCTP;
  return p ? { source: p.source_port, destination: p.destination_port } : null;
}

function protocolMatches(p: string, flow: HubbleFlow): boolean {
  const l4 = flow.l4;
  switch (p.toLowerCase()) {
    case 'tcp':
      return Boolean(l4?.TCP);
    case 'udp':
      return Boolean(l4?.UDP);
    case 'sctp':
      return Boolean(l4?.SCTP);
    case 'icmp':
      return Boolean(l4?.ICMPv4 || l4?.ICMPv6);
    case 'icmpv4':
      return Boolean(l4?.ICMPv4);
    case 'icmpv6':
      return Boolean(l4?.ICMPv6);
    case 'dns':
      return Boolean(flow.l7?.dns);
    case 'http':
      return Boolean(flow.l7?.http);
    case 'kafka':
      return Boolean(flow.l7?.kafka);
    default:
      return false;
  }
}

/** One FlowFilter on a decoded flow: every set field holds (AND), values within a field OR. */
export function matchesFilter(flow: HubbleFlow, f: FlowFilter): boolean {
  const src = flow.source;
  const dst = flow.destination;
  const ports = portsOf(flow);
  const checks: [string[] | undefined, (v: string) => boolean][] = [
    [f.source_ip, (v) => ipMatches(v, flow.IP?.source ?? '')],
    [f.destination_ip, (v) => ipMatches(v, flow.IP?.destination ?? '')],
    [f.source_label, (v) => labelSelectorMatches(v, src?.labels ?? [])],
    [f.destination_label, (v) => labelSelectorMatches(v, dst?.labels ?? [])],
    [f.source_fqdn, (v) => fqdnMatches(v, flow.source_names)],
    [f.destination_fqdn, (v) => fqdnMatches(v, flow.destination_names)],
    [f.source_port, (v) => ports !== null && String(ports.source) === v],
    [f.destination_port, (v) => ports !== null && String(ports.destination) === v],
    [f.http_status_code, (v) => Boolean(flow.l7?.http) && httpStatusMatches(v, flow.l7?.http?.code ?? 0)],
    [f.verdict, (v) => flow.verdict === v],
    [f.protocol, (v) => protocolMatches(v, flow)],
    [f.node_name, (v) => flow.node_name === v],
    [f.traffic_direction, (v) => flow.traffic_direction === v],
  ];
  if (f.source_pod?.length && !podMatches(f.source_pod, src)) return false;
  if (f.destination_pod?.length && !podMatches(f.destination_pod, dst)) return false;
  for (const [values, test] of checks) if (values?.length && !values.some(test)) return false;
  const wl = (want: { name: string; kind: string }[] | undefined, ep: HubbleEndpoint | null) =>
    !want?.length ||
    want.some((w) => (ep?.workloads ?? []).some((x) => x.name === w.name && (!w.kind || x.kind === w.kind)));
  return wl(f.source_workload, src) && wl(f.destination_workload, dst);
}

/** whitelist (OR) minus blacklist (OR), as Relay applies them. */
export function matchesRelayFilters(flow: HubbleFlow, f: RelayFilters): boolean {
  if (f.whitelist.length > 0 && !f.whitelist.some((w) => matchesFilter(flow, w))) return false;
  return !f.blacklist.some((b) => matchesFilter(flow, b));
}

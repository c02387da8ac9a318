/**
 * Flow filter tags, without zod, so the panel and the server share one parser: Hubble UI's `flows-filter` syntax
 * `[!]<direction>:<kind>=<value>`, e.g. "from:pod=shop/checkout-", "!either:label=k8s:k8s-app=kube-dns",
 * "to:port=5432", "http-status=5+". A list is comma-separated, as in Hubble UI's URL.
 */
import { FLOW_PROTOCOLS, FLOW_VERDICTS } from './flow-filters';

export const TAG_KINDS = [
  'pod',
  'workload',
  'label',
  'ip',
  'dns',
  'port',
  'http-status',
  'verdict',
  'protocol',
] as const;
export type TagKind = (typeof TAG_KINDS)[number];

/** Which side of the flow a tag is about; `either` = source or destination. */
export const TAG_DIRECTIONS = ['from', 'to', 'either'] as const;
export type TagDirection = (typeof TAG_DIRECTIONS)[number];

/** Kinds about the whole flow, not one side: their direction is always `either`. */
export const FLOW_WIDE_KINDS: readonly TagKind[] = ['http-status', 'verdict', 'protocol'];

export interface FlowTag {
  kind: TagKind;
  direction: TagDirection;
  /** e.g. "shop/checkout-" (pod: namespace/pod-name prefix), "k8s:app=web", "10.0.0.0/8", "*.stripe.com", "5432". */
  value: string;
  /** A negated tag excludes what it matches (Relay blacklist). */
  negated: boolean;
}

/** At most this many tags per request (each may double Relay's whitelist). */
export const MAX_TAGS = 12;

/** Toggles that hide Hubble UI's "special" flows, each a Relay blacklist entry. */
export const HIDE_TOGGLES = ['kube-dns', 'host', 'remote-node', 'prometheus'] as const;
export type HideToggle = (typeof HIDE_TOGGLES)[number];

/** Label selectors of what each toggle hides (on either side of a flow), as Hubble UI's blacklist has them. */
export const HIDE_LABELS: Record<HideToggle, readonly string[]> = {
  'kube-dns': ['k8s:k8s-app=kube-dns'],
  host: ['reserved:host'],
  'remote-node': ['reserved:remote-node'],
  // Cilium's monitoring example labels Prometheus app=prometheus; kube-prometheus-stack app.kubernetes.io/name.
  prometheus: ['k8s:app=prometheus', 'k8s:app.kubernetes.io/name=prometheus'],
};

const VALUE_RULES: Record<TagKind, (v: string) => boolean> = {
  // "namespace/pod-prefix", "pod-prefix" (the team's namespace) or "/pod-prefix" (any namespace)
  pod: (v) => /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?\/?[a-z0-9.-]*$/.test(v) && v !== '' && v !== '/',
  // "name" or "Kind:name", e.g. "Deployment:checkout"
  workload: (v) => /^([A-Za-z]+:)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v),
  // one requirement of a Cilium label selector: "k8s:app=web", "app", "reserved:world", "k8s:tier!=db"
  label: (v) => /^[A-Za-z0-9_.\-/:]+((!=|==|=)[A-Za-z0-9_.\-/:]*)?$/.test(v),
  ip: (v) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(v) && /[.:]/.test(v),
  dns: (v) => /^[A-Za-z0-9*_.-]+$/.test(v) && v.length <= 253,
  port: (v) => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535,
  // Hubble's http_status_code prefixes: "404", "5+", "40+"
  'http-status': (v) => /^[1-5](\d{2}|\d?\+)$/.test(v),
  verdict: (v) => (FLOW_VERDICTS as readonly string[]).includes(v),
  protocol: (v) => (FLOW_PROTOCOLS as readonly string[]).includes(v),
};

export const isTagKind = (k: string): k is TagKind => (TAG_KINDS as readonly string[]).includes(k);
export const isHideToggle = (k: string): k is HideToggle => (HIDE_TOGGLES as readonly string[]).includes(k);

/** "[!][direction:]kind=value" → FlowTag, or null when malformed; no direction = `either`. */
export function parseTag(input: string): FlowTag | null {
  let s = input.trim();
  const negated = s.startsWith('!');
  if (negated) s = s.slice(1);
  const m = /^(?:(from|to|either):)?([a-z-]+)=(.+)$/.exec(s);
  if (!m) return null;
  const [, dir, kind = '', value = ''] = m;
  if (!isTagKind(kind) || !VALUE_RULES[kind](value)) return null;
  const direction = FLOW_WIDE_KINDS.includes(kind)
    ? 'either'
    : ((dir as TagDirection | undefined) ?? 'either');
  return { kind, direction, value, negated };
}

/** FlowTag → "[!]direction:kind=value" (the inverse of parseTag). */
export const formatTag = (t: FlowTag): string => `${t.negated ? '!' : ''}${t.direction}:${t.kind}=${t.value}`;

/** "from:pod=a/b,to:port=80" → tags and the entries that did not parse, e.g. { tags: [...], invalid: ["to:port=x"] }. */
export function parseTags(list: string): { tags: FlowTag[]; invalid: string[] } {
  const tags: FlowTag[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const part of list.split(',')) {
    if (part.trim() === '') continue;
    const t = parseTag(part);
    if (!t) invalid.push(part.trim());
    else if (!seen.has(formatTag(t))) {
      seen.add(formatTag(t));
      tags.push(t);
    }
  }
  return { tags, invalid };
}

export const formatTags = (tags: readonly FlowTag[]): string => tags.map(formatTag).join(',');

/** "kube-dns,host" → the known toggles, e.g. ["kube-dns", "host"], and the unknown ones. */
export function parseHide(list: string): { hide: HideToggle[]; invalid: string[] } {
  const hide: HideToggle[] = [];
  const invalid: string[] = [];
  for (const part of list.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    if (isHideToggle(p)) {
      if (!hide.includes(p)) hide.push(p);
    } else invalid.push(p);
  }
  return { hide: HIDE_TOGGLES.filter((h) => hide.includes(h)), invalid };
}

/**
 * Which network policies select a pod, in Cilium's terms: CiliumNetworkPolicy (namespaced; its endpointSelector
 * only ever matches pods of its own namespace), CiliumClusterwideNetworkPolicy (any namespace) and Kubernetes
 * NetworkPolicy (podSelector in its namespace; policyTypes default to Ingress, plus Egress when it has egress
 * rules). Pods are matched by the labels Hubble carries, e.g. "k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop".
 */

export const POLICY_KINDS = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'NetworkPolicy',
] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** Short names for kubectl, e.g. `kubectl -n shop get cnp db-ingress -o yaml`. */
export const POLICY_SHORT_NAMES: Record<PolicyKind, string> = {
  CiliumNetworkPolicy: 'cnp',
  CiliumClusterwideNetworkPolicy: 'ccnp',
  NetworkPolicy: 'networkpolicy',
};

export interface SelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** A Kubernetes label selector; an empty one selects every pod (of the policy's namespace). */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: SelectorRequirement[];
}

/** One rule of a policy: who it selects and which directions it restricts. */
export interface PolicyRule {
  selector: LabelSelector;
  ingress: boolean;
  egress: boolean;
  /** CNP nodeSelector rules apply to nodes (host policies), never to pods. */
  hostOnly: boolean;
}

/** A policy as the cluster view keeps it, e.g. { kind: "CiliumNetworkPolicy", namespace: "shop", name: "db", rules }. */
export interface PolicySummary {
  kind: PolicyKind;
  name: string;
  /** null for CiliumClusterwideNetworkPolicy. */
  namespace: string | null;
  rules: PolicyRule[];
}

/** Splits "k8s:app=web" into source "k8s", key "app", value "web"; "reserved:host" has value "". */
export function parseLabel(label: string): { source: string; key: string; value: string } {
  const eq = label.indexOf('=');
  const head = eq < 0 ? label : label.slice(0, eq);
  const value = eq < 0 ? '' : label.slice(eq + 1);
  const colon = head.indexOf(':');
  if (colon > 0 && !head.slice(0, colon).includes('/'))
    return { source: head.slice(0, colon), key: head.slice(colon + 1), value };
  return { source: 'any', key: head, value };
}

/** Labels by key (any source) and by "source:key", e.g. { "app": "web", "k8s:app": "web" }. */
export function labelIndex(labels: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of labels) {
    const { source, key, value } = parseLabel(l);
    out.set(`${source}:${key}`, value);
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

/** A selector key as Cilium reads it: "k8s:app" (that source), "any:app" or "app" (any source). */
const lookup = (index: Map<string, string>, key: string) =>
  index.get(key.startsWith('any:') ? key.slice(4) : key);

export function selectorMatches(sel: LabelSelector, index: Map<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (lookup(index, k) !== v) return false;
  for (const r of sel.matchExpressions) {
    const v = lookup(index, r.key);
    if (r.operator === 'Exists' && v === undefined) return false;
    if (r.operator === 'DoesNotExist' && v !== undefined) return false;
    if (r.operator === 'In' && (v === undefined || !r.values.includes(v))) return false;
    if (r.operator === 'NotIn' && v !== undefined && r.values.includes(v)) return false;
  }
  return true;
}

/** The directions in which `policy` restricts a pod with these labels in `namespace`; null when it does not select it. */
export function policySelects(
  policy: PolicySummary,
  pod: { namespace: string; labels: readonly string[] },
): { ingress: boolean; egress: boolean } | null {
  if (policy.namespace !== null && policy.namespace !== pod.namespace) return null;
  const index = labelIndex(pod.labels);
  let ingress = false;
  let egress = false;
  let selected = false;
  for (const r of policy.rules) {
    if (r.hostOnly || !selectorMatches(r.selector, index)) continue;
    selected = true;
    ingress ||= r.ingress;
    egress ||= r.egress;
  }
  return selected ? { ingress, egress } : null;
}

/** Policies that restrict `pod` in `direction`, e.g. the CNPs putting shop/postgres into ingress default-deny. */
export function policiesSelecting(
  policies: readonly PolicySummary[],
  pod: { namespace: string; labels: readonly string[] },
  direction: 'ingress' | 'egress',
): PolicySummary[] {
  return policies.filter((p) => policySelects(p, pod)?.[direction] === true);
}

/** Whether a policy has ingress / egress rules at all (for "shows ingress and egress"). */
export function policyDirections(p: PolicySummary): { ingress: boolean; egress: boolean } {
  return {
    ingress: p.rules.some((r) => !r.hostOnly && r.ingress),
    egress: p.rules.some((r) => !r.hostOnly && r.egress),
  };
}

const KIND_FROM_LABEL = 'io.cilium.k8s.policy.derived-from';

/**
 * A policy kind from what a flow says: `kind` (Cilium ≥ 1.17) or the rule's "derived-from" label, e.g.
 * "k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy"; "" when neither says.
 */
export function policyKindOf(p: { kind: string; labels: readonly string[] }): string {
  if (p.kind) return p.kind;
  for (const l of p.labels) {
    const { key, value } = parseLabel(l);
    if (key === KIND_FROM_LABEL) return value;
  }
  return '';
}

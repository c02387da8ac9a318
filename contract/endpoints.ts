/**
 * How a flow endpoint is named, without zod (server map and panel table share it): Rainbond components of the
 * team's namespace by their component name, other pods by workload (other namespaces as "namespace/workload"),
 * Cilium's reserved identities and kube-dns as such.
 */

export const NODE_KINDS = [
  'component',
  'workload',
  'namespace',
  'world',
  'host',
  'dns',
  'apiserver',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** Pod label Rainbond puts on every component's pods, as Hubble carries it, e.g. "k8s:service_alias=gr1a2b3c". */
export const SERVICE_ALIAS_LABEL = 'k8s:service_alias=';
export const KUBE_DNS_LABEL = 'k8s:k8s-app=kube-dns';

/** The endpoint fields classification reads (a FlowView endpoint has them all). */
export interface EndpointLike {
  namespace: string;
  pod: string;
  workload: string;
  labels: readonly string[];
  ip: string;
  names: readonly string[];
}

/** What an endpoint is, e.g. { kind: "workload", name: "reporter", namespace: "billing" }. */
export interface EndpointClass {
  kind: NodeKind;
  /** Display name before component names are applied: workload, pod, reserved identity or IP. */
  name: string;
  namespace: string | null;
  /** The component alias from the pod labels (team namespace only), e.g. "gr1a2b3c". */
  alias: string | null;
  /** Map node id, e.g. "workload:shop/checkout", "world", "dns". Components: "component:<alias>". */
  id: string;
}

/** The Rainbond component alias of an endpoint, e.g. "gr1a2b3c"; null when not a component's pod. */
export function componentAlias(labels: readonly string[]): string | null {
  const l = labels.find((x) => x.startsWith(SERVICE_ALIAS_LABEL));
  return l ? l.slice(SERVICE_ALIAS_LABEL.length) || null : null;
}

const hasReserved = (labels: readonly string[], name: string) => labels.includes(`reserved:${name}`);

/** Classifies one endpoint relative to the team's namespace (aliases are only read there). */
export function classifyEndpoint(ep: EndpointLike, teamNamespace: string): EndpointClass {
  const l = ep.labels;
  if (hasReserved(l, 'kube-apiserver'))
    return { kind: 'apiserver', name: 'kube-apiserver', namespace: null, alias: null, id: 'apiserver' };
  if (l.includes(KUBE_DNS_LABEL))
    return { kind: 'dns', name: 'kube-dns', namespace: ep.namespace || null, alias: null, id: 'dns' };
  if (hasReserved(l, 'host')) return { kind: 'host', name: 'host', namespace: null, alias: null, id: 'host' };
  for (const r of ['remote-node', 'health', 'ingress', 'init', 'unmanaged'])
    if (hasReserved(l, r)) return { kind: 'host', name: r, namespace: null, alias: null, id: r };
  if (ep.namespace === '') {
    const name = ep.names[0] ?? (ep.ip || 'world');
    return { kind: 'world', name, namespace: null, alias: null, id: 'world' };
  }
  const base = ep.workload || ep.pod;
  if (ep.namespace === teamNamespace) {
    const alias = componentAlias(l);
    const name = base || ep.ip || '?';
    return { kind: 'workload', name, namespace: ep.namespace, alias, id: `workload:${ep.namespace}/${name}` };
  }
  if (!ep.workload)
    return {
      kind: 'namespace',
      name: ep.namespace,
      namespace: ep.namespace,
      alias: null,
      id: `namespace:${ep.namespace}`,
    };
  return {
    kind: 'workload',
    name: ep.workload,
    namespace: ep.namespace,
    alias: null,
    id: `workload:${ep.namespace}/${ep.workload}`,
  };
}

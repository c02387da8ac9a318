/**
 * Which namespaces may hold the cluster's tools. Rainbond marks the namespaces it makes for teams with
 * `app.kubernetes.io/managed-by: rainbond` (or `creator: Rainbond` on its older path; a 32-hex-character name
 * before 5.2): anyone with write access to a team can create objects there, so nothing in them is ever taken for
 * Cilium, Hubble, Prometheus or Grafana. `default` can be a team namespace too — it is judged by its labels.
 */

/** A namespace as the cluster view keeps it. */
export interface SlimNamespace {
  name: string;
  /** Rainbond made it for a team (or adopted it as one). */
  team: boolean;
}

/** Rainbond's own test (worker/appm/store/store.go `filterOutNotRainbondNamespace`), on labels and name. */
export function isTeamNamespace(name: string, labels: Record<string, string>): boolean {
  return (
    labels['app.kubernetes.io/managed-by'] === 'rainbond' ||
    labels.creator === 'Rainbond' ||
    /^[0-9a-f]{32}$/.test(name)
  );
}

/** Where Cilium's chart and guides install it; lower ranks first, others after them by name. */
export const CILIUM_NAMESPACES = ['kube-system', 'cilium'] as const;

/**
 * Where monitoring stacks are usually installed: Cilium's monitoring example (`cilium-monitoring`),
 * kube-prometheus (`monitoring`, also what kube-prometheus-stack's guides use), and the release-named ones.
 */
export const MONITORING_NAMESPACES = [
  'cilium-monitoring',
  'monitoring',
  'kube-prometheus-stack',
  'prometheus',
  'prometheus-stack',
  'observability',
] as const;

/** Rank of a namespace in a preference list (its index), or the list's length for any other. */
export const rankIn = (list: readonly string[], ns: string): number => {
  const i = list.indexOf(ns);
  return i < 0 ? list.length : i;
};

/**
 * Namespaces that may hold a tool: known and not a team's, or exactly the pinned one (an operator's
 * CILIUM_NAMESPACE / MONITORING_NAMESPACE wins over the labels).
 */
export function eligibleNamespaces(
  namespaces: readonly SlimNamespace[],
  pinned: string | undefined,
): (ns: string) => boolean {
  if (pinned) return (ns) => ns === pinned;
  const ok = new Set(namespaces.filter((n) => !n.team).map((n) => n.name));
  return (ns) => ok.has(ns);
}

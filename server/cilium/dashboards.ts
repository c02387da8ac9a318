/**
 * Cilium's Grafana dashboards, by the UIDs their JSON carries in every version: the monitoring example's
 * ConfigMaps (grafana-cilium-dashboard, …) and the Helm chart's files (files/cilium-agent/dashboards/…,
 * files/cilium-operator/dashboards/…, files/hubble/dashboards/…). A link is only shown for a UID found loaded.
 */

export const CILIUM_DASHBOARDS = [
  { id: 'cilium-metrics', uid: 'vtuWtdumz' },
  { id: 'cilium-operator', uid: '1GC0TT4Wz' },
  { id: 'hubble', uid: '5HftnJAWz' },
  { id: 'hubble-l7-http', uid: '3g264CZVz' },
] as const;

export type CiliumDashboardId = (typeof CILIUM_DASHBOARDS)[number]['id'];

/** Values longer than this are not scanned (a ConfigMap holds at most 1 MiB). */
export const DASHBOARD_SCAN_LIMIT = 1_048_576;

const KNOWN = new Set<string>(CILIUM_DASHBOARDS.map((d) => d.uid));
/** `"uid": "vtuWtdumz"`, pretty-printed or not; the value is at most 40 characters (Grafana's limit). */
const UID = /"uid"\s*:\s*"([^"\\]{1,40})"/g;

/** The Cilium dashboard UIDs a dashboard JSON text holds, e.g. ["5HftnJAWz"]; [] for other or oversized text. */
export function ciliumDashboardUids(text: string): string[] {
  if (text.length > DASHBOARD_SCAN_LIMIT || !text.includes('"uid"')) return [];
  const found = new Set<string>();
  for (const m of text.matchAll(UID)) if (m[1] && KNOWN.has(m[1])) found.add(m[1]);
  return [...found];
}

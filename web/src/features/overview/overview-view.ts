/** Status.cluster → the rows the overview shows; pure, so the mapping is tested without rendering. */
import type { ReadyCount, Status } from '../../../../contract';
import type { MessageKey } from '../../locales/zh-CN';

export interface OverviewRow {
  label: MessageKey;
  /** Display value, e.g. "3/3", "1.17.5"; null renders as "—". */
  value: string | null;
  /** For ready counts: whether ready < desired (highlighted). */
  short?: boolean;
  /** For lists such as the Hubble metrics, shown as small tags. */
  list?: string[];
}

export interface OverviewSection {
  id: 'cilium' | 'hubble' | 'monitoring';
  title: MessageKey;
  state: string;
  rows: OverviewRow[];
  /** More than one namespace qualified: which one is used, the others, and the setting that picks one. */
  ambiguity?: { chosen: string; others: string; env: 'CILIUM_NAMESPACE' | 'MONITORING_NAMESPACE' };
}

/** e.g. chosen "kube-system", candidates ["cilium"] → the ambiguity note; none without other candidates. */
const ambiguity = (
  chosen: string | null,
  candidates: string[] | undefined,
  env: 'CILIUM_NAMESPACE' | 'MONITORING_NAMESPACE',
): OverviewSection['ambiguity'] =>
  chosen && candidates && candidates.length > 0 ? { chosen, others: candidates.join(', '), env } : undefined;

const count = (label: MessageKey, c: ReadyCount): OverviewRow => ({
  label,
  value: `${c.ready}/${c.desired}`,
  short: c.ready < c.desired,
});

export function overviewSections(cluster: Status['cluster']): OverviewSection[] {
  const { cilium, hubble, monitoring } = cluster;
  return [
    {
      id: 'cilium',
      title: 'overview.cilium',
      state: cilium.state,
      rows: [
        { label: 'overview.version', value: cilium.version },
        { label: 'overview.namespace', value: cilium.namespace },
        count('overview.agents', cilium.agents),
        count('overview.operator', cilium.operator),
      ],
      ambiguity: ambiguity(cilium.namespace, cilium.candidates, 'CILIUM_NAMESPACE'),
    },
    {
      id: 'hubble',
      title: 'overview.hubble',
      state: hubble.state,
      rows: [
        count('overview.relay', hubble.relay),
        count('overview.ui', hubble.ui),
        hubble.metrics.enabled
          ? { label: 'overview.metrics', value: null, list: hubble.metrics.list }
          : { label: 'overview.metrics', value: null, list: [] },
      ],
    },
    {
      id: 'monitoring',
      title: 'overview.monitoring',
      state: monitoring.state,
      rows: [
        { label: 'overview.namespace', value: monitoring.namespace },
        count('overview.prometheus', monitoring.prometheus),
        count('overview.grafana', monitoring.grafana),
      ],
      ambiguity: ambiguity(monitoring.namespace, monitoring.candidates, 'MONITORING_NAMESPACE'),
    },
  ];
}

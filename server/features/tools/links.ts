/**
 * Deep links into a tool, built on the tool's gateway URL: Grafana's Cilium / Hubble dashboards (by their UIDs),
 * Hubble UI on the team's namespace (all flows, dropped flows) in the URL scheme of the detected hubble-ui
 * version, Prometheus targets and a Hubble flows graph. No gateway URL (access closed) → no links: the panel only
 * shows links the user can open.
 */
import { hubbleUiUrl } from '../../cilium/hubble-ui-urls';
import type { ClusterState } from '../../clients/cluster/types';
import type { Locale } from '../../../contract';
import type { Link, ToolId } from '../../../contract';
import { HUBBLE_DROPPED_LINK, HUBBLE_NAMESPACE_LINK } from '../../../contract/names';

export interface ToolLinkOptions {
  /** The team's Kubernetes namespace, e.g. "shop". */
  teamNamespace: string;
  /** The tool's gateway URL when access is open, e.g. "http://grafana.example.com"; null when closed. */
  baseUrl: string | null;
  locale: Locale;
}

type Titles = Record<Locale, string>;
const t = (titles: Titles, locale: Locale) => titles[locale];

/** Stable dashboard UIDs across Cilium versions (monitoring example and Helm chart). */
export const GRAFANA_DASHBOARDS: { id: string; uid: string; title: Titles }[] = [
  { id: 'cilium-metrics', uid: 'vtuWtdumz', title: { en: 'Cilium Metrics', 'zh-CN': 'Cilium 指标' } },
  { id: 'cilium-operator', uid: '1GC0TT4Wz', title: { en: 'Cilium Operator', 'zh-CN': 'Cilium Operator' } },
  { id: 'hubble', uid: '5HftnJAWz', title: { en: 'Hubble', 'zh-CN': 'Hubble 网络指标' } },
];

/** PromQL of the Prometheus graph link: flows per second by verdict. */
export const FLOWS_EXPR = 'sum by (verdict) (rate(hubble_flows_processed_total[5m]))';

export function buildToolLinks(tool: ToolId, state: ClusterState, opts: ToolLinkOptions): Link[] {
  if (!opts.baseUrl) return [];
  const base = opts.baseUrl.replace(/\/+$/, '');
  const { locale } = opts;
  switch (tool) {
    case 'grafana':
      return GRAFANA_DASHBOARDS.map((d) => ({
        id: d.id,
        title: t(d.title, locale),
        url: `${base}/d/${d.uid}`,
      }));
    case 'hubble-ui': {
      const uiVersion = state.tools['hubble-ui'].version;
      const namespace = opts.teamNamespace;
      const flows = hubbleUiUrl(base, uiVersion, { namespace });
      const dropped = hubbleUiUrl(base, uiVersion, { namespace, verdict: 'DROPPED' });
      return [
        {
          id: HUBBLE_NAMESPACE_LINK,
          title: t({ en: `Service map of ${namespace}`, 'zh-CN': `${namespace} 的服务拓扑` }, locale),
          url: flows,
        },
        {
          id: HUBBLE_DROPPED_LINK,
          title: t({ en: `Dropped flows in ${namespace}`, 'zh-CN': `${namespace} 中被丢弃的流量` }, locale),
          url: dropped,
        },
      ];
    }
    case 'prometheus':
      return [
        {
          id: 'targets',
          title: t({ en: 'Scrape targets', 'zh-CN': '采集目标' }, locale),
          url: `${base}/targets`,
        },
        {
          id: 'hubble-flows',
          title: t({ en: 'Hubble flows by verdict', 'zh-CN': '按判定统计的 Hubble 流量' }, locale),
          url: `${base}/graph?g0.expr=${encodeURIComponent(FLOWS_EXPR)}&g0.tab=0&g0.range_input=1h`,
        },
      ];
  }
}

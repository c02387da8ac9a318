/**
 * Deep links into a tool, built on the tool's gateway URL: Grafana's Cilium / Hubble dashboards that this
 * Grafana has loaded (by their UIDs; none loaded → no dashboard links, the overview hints say how to load them),
 * Hubble UI on the team's namespace (all flows, dropped flows) in the URL scheme of the detected hubble-ui
 * version, Prometheus targets and a Hubble flows graph. No gateway URL (access closed) → no links: the panel only
 * shows links the user can open.
 */
import { CILIUM_DASHBOARDS, type CiliumDashboardId } from '../../cilium/dashboards';
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

const DASHBOARD_TITLES: Record<CiliumDashboardId, Titles> = {
  'cilium-metrics': { en: 'Cilium Metrics', 'zh-CN': 'Cilium 指标' },
  'cilium-operator': { en: 'Cilium Operator', 'zh-CN': 'Cilium Operator' },
  hubble: { en: 'Hubble', 'zh-CN': 'Hubble 网络指标' },
  'hubble-l7-http': { en: 'Hubble L7 HTTP by workload', 'zh-CN': 'Hubble L7 HTTP（按工作负载）' },
};

/** Cilium's dashboards with their stable UIDs and titles, in link order. */
export const GRAFANA_DASHBOARDS = CILIUM_DASHBOARDS.map((d) => ({ ...d, title: DASHBOARD_TITLES[d.id] }));

/** PromQL of the Prometheus graph link: flows per second by verdict. */
export const FLOWS_EXPR = 'sum by (verdict) (rate(hubble_flows_processed_total[5m]))';

export function buildToolLinks(tool: ToolId, state: ClusterState, opts: ToolLinkOptions): Link[] {
  if (!opts.baseUrl) return [];
  const base = opts.baseUrl.replace(/\/+$/, '');
  const { locale } = opts;
  switch (tool) {
    case 'grafana': {
      const loaded = new Set(state.grafanaDashboards.uids);
      return GRAFANA_DASHBOARDS.filter((d) => loaded.has(d.uid)).map((d) => ({
        id: d.id,
        title: t(d.title, locale),
        url: `${base}/d/${d.uid}`,
      }));
    }
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

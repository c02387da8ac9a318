/** The insights feature's calls: summary, Relay status, flows (JSON or the live SSE stream's URL). */
import type { Tool } from '../../../../contract';
import type { FlowProtocol, FlowVerdict } from '../../../../contract/flow-filters';
import type { Flows, RelayStatus, Summary } from '../../../../contract/insights';
import type { ServiceMap } from '../../../../contract/map';
import type { HttpClient } from '../../lib/http';
import { useServices, type Scope } from '../../lib/services';

/** Flow table filters, e.g. `{ verdict: "DROPPED", protocol: "dns", limit: 100 }`. */
export interface FlowFilter {
  verdict?: FlowVerdict;
  protocol?: FlowProtocol;
  limit?: number;
  /** Filter tags as the server reads them, e.g. "from:pod=shop/checkout-,!to:port=53" (formatTags). */
  filters?: string;
  /** Special flows to hide, e.g. "kube-dns,host". */
  hide?: string;
}

/** The map's query, e.g. `{ since: "5m", hide: "kube-dns" }`. */
export interface MapFilter {
  since: string;
  verdict?: FlowVerdict;
  hide?: string;
}

const FLOWS_PATH = '/api/v1/insights/flows';

export const createInsightsApi = (http: HttpClient) => ({
  /** `window` e.g. "5m", "1h". */
  summary: (s: Scope, window = '5m') => http.get<Summary>('/api/v1/insights/summary', { ...s, window }),
  relay: (s: Scope) => http.get<RelayStatus>('/api/v1/insights/relay', s),
  flows: (s: Scope, f: FlowFilter) => http.get<Flows>(FLOWS_PATH, { ...s, ...f }),
  /** For EventSource: the same path with follow=true; `lang` because EventSource cannot send Accept-Language. */
  flowStreamUrl: (s: Scope, f: FlowFilter, lang?: string) =>
    http.url(FLOWS_PATH, { ...s, ...f, follow: 'true', lang }),
  /** The team's service map. */
  map: (s: Scope, f: MapFilter) => http.get<ServiceMap>('/api/v1/insights/map', { ...s, ...f }),
  /** The Hubble UI tool, for its deep links (`links`) into the team's namespace. */
  hubbleUi: (s: Scope) => http.get<Tool>('/api/v1/tools/hubble-ui', s),
});

export const useInsightsApi = () => createInsightsApi(useServices().http);

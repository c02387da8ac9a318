/** The insights feature's calls: summary, Relay status, flows (JSON or the live SSE stream's URL). */
import type { Tool } from '../../../../contract';
import type { FlowProtocol, FlowVerdict } from '../../../../contract/flow-filters';
import type { Flows, RelayStatus, Summary } from '../../../../contract/insights';
import type { HttpClient } from '../../lib/http';
import { useServices, type Scope } from '../../lib/services';

/** Flow table filters, e.g. `{ verdict: "DROPPED", protocol: "dns", limit: 100 }`. */
export interface FlowFilter {
  verdict?: FlowVerdict;
  protocol?: FlowProtocol;
  limit?: number;
}

const FLOWS_PATH = '/api/v1/insights/flows';

export const createInsightsApi = (http: HttpClient) => ({
  /** `window` e.g. "5m", "1h". */
  summary: (s: Scope, window = '5m') => http.get<Summary>('/api/v1/insights/summary', { ...s, window }),
  relay: (s: Scope) => http.get<RelayStatus>('/api/v1/insights/relay', s),
  flows: (s: Scope, f: FlowFilter) => http.get<Flows>(FLOWS_PATH, { ...s, ...f }),
  /** For EventSource: the same path with follow=true. */
  flowStreamUrl: (s: Scope, f: FlowFilter) => http.url(FLOWS_PATH, { ...s, ...f, follow: 'true' }),
  /** The Hubble UI tool, for its deep links (`links`) into the team's namespace. */
  hubbleUi: (s: Scope) => http.get<Tool>('/api/v1/tools/hubble-ui', s),
});

export const useInsightsApi = () => createInsightsApi(useServices().http);

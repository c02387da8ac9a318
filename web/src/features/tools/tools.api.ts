/** The tools feature's calls: register a tool in Rainbond, remove it, open or close its external access. */
import type { RiskCode, Tool, ToolId } from '../../../../contract';
import type { HttpClient } from '../../lib/http';
import { useServices, type Scope } from '../../lib/services';

/** e.g. "/api/v1/tools/hubble-ui" */
const toolPath = (id: ToolId) => `/api/v1/tools/${encodeURIComponent(id)}`;

export const createToolsApi = (http: HttpClient) => ({
  register: (s: Scope, id: ToolId) => http.post<Tool>(`${toolPath(id)}/registration`, s, {}),
  unregister: (s: Scope, id: ToolId) => http.delete<Tool>(`${toolPath(id)}/registration`, s),
  /** `acknowledgedRisks` answers a 409 RISKS_NOT_ACKNOWLEDGED, e.g. ["ANONYMOUS_ADMIN"]. */
  setAccess: (s: Scope, id: ToolId, external: boolean, acknowledgedRisks?: RiskCode[]) =>
    http.put<Tool>(
      `${toolPath(id)}/access`,
      s,
      acknowledgedRisks ? { external, acknowledgedRisks } : { external },
    ),
});

export const useToolsApi = () => createToolsApi(useServices().http);

/** The tools feature's calls: register a tool in Rainbond, remove it, open or close its access, launch it. */
import type { AccessMode, LaunchResult, RiskCode, Tool, ToolId } from '../../../../contract';
import type { HttpClient } from '../../lib/http';
import { useServices, type Scope } from '../../lib/services';

/** e.g. "/api/v1/tools/hubble-ui" */
const toolPath = (id: ToolId) => `/api/v1/tools/${encodeURIComponent(id)}`;

export const createToolsApi = (http: HttpClient) => ({
  register: (s: Scope, id: ToolId) => http.post<Tool>(`${toolPath(id)}/registration`, s, {}),
  unregister: (s: Scope, id: ToolId) => http.delete<Tool>(`${toolPath(id)}/registration`, s),
  /** `mode` only when opening (the backend defaults to protected); `acknowledgedRisks` for open, e.g. ["NO_AUTH"]. */
  setAccess: (s: Scope, id: ToolId, external: boolean, mode?: AccessMode, acknowledgedRisks?: RiskCode[]) =>
    http.put<Tool>(`${toolPath(id)}/access`, s, {
      external,
      ...(external && mode ? { mode } : {}),
      ...(acknowledgedRisks ? { acknowledgedRisks } : {}),
    }),
  /** A single-use launch URL on the tool's protected gateway host, landing on `path`, e.g. "/d/vtuWtdumz". */
  launch: (s: Scope, id: ToolId, path: string) =>
    http.post<LaunchResult>(`${toolPath(id)}/launch`, s, { path }),
});

export const useToolsApi = () => createToolsApi(useServices().http);

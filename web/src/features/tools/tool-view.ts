/** Tool → what its card shows and allows; pure. */
import type { RiskCode, Tool } from '../../../../contract';

export interface ToolView {
  found: boolean;
  ready: boolean;
  registered: boolean;
  /** e.g. "Cilium Observability (#12)" */
  app: string | null;
  componentStatus: string | null;
  /** e.g. "2/3" */
  endpoints: string | null;
  endpointsHealthy: boolean;
  canRegister: boolean;
  canRemove: boolean;
  /** Access can only be opened on a registered tool (the backend answers 409 NOT_REGISTERED otherwise). */
  canToggleAccess: boolean;
  external: boolean;
  urls: string[];
  /** Opening access must be confirmed in a dialog that names each risk. */
  needsConfirmation: boolean;
}

export function toolView(tool: Tool): ToolView {
  const reg = tool.registration;
  return {
    found: tool.state !== 'missing',
    ready: tool.state === 'ready',
    registered: reg !== null,
    app: reg ? `${reg.appName ?? ''}${reg.appName ? ' ' : ''}(#${reg.appId})` : null,
    componentStatus: reg?.componentStatus ?? null,
    endpoints: reg ? `${reg.endpoints.healthy}/${reg.endpoints.total}` : null,
    endpointsHealthy: reg ? reg.endpoints.total > 0 && reg.endpoints.healthy === reg.endpoints.total : false,
    canRegister: tool.state !== 'missing' && reg === null,
    canRemove: reg !== null,
    canToggleAccess: reg !== null,
    external: tool.access.external,
    urls: tool.access.external ? tool.access.urls : [],
    needsConfirmation: tool.risks.length > 0,
  };
}

/** What a card asks for when its switch moves; acknowledgedRisks only after a confirmed dialog. */
export interface AccessChange {
  external: boolean;
  acknowledgedRisks?: RiskCode[];
}

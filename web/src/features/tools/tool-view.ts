/** Tool → what its card shows and allows; pure. */
import type { AccessChangeRecord, AccessMode, RiskCode, Tool, ToolRole } from '../../../../contract';

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
  /** protected (behind the plugin's gateway, opened through a launch) or open (public); null when closed. */
  mode: AccessMode | null;
  /** Opening it openly must be confirmed in a dialog that names each risk (protected needs none). */
  needsConfirmation: boolean;
  /** The caller may register, remove, open and close it (no `permissions` = an older backend: yes). */
  mayManage: boolean;
  /** Who may, when the caller may not, e.g. "enterprise-admin"; the card says so and disables its controls. */
  requiredRole: ToolRole | null;
  /** Who last opened or closed its access and when; null when unknown. */
  lastChange: AccessChangeRecord | null;
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
    mode: tool.access.external ? tool.access.mode : null,
    needsConfirmation: tool.risks.length > 0,
    mayManage: tool.permissions?.manage ?? true,
    requiredRole: tool.permissions && !tool.permissions.manage ? tool.permissions.required : null,
    lastChange: reg ? (tool.lastAccessChange ?? null) : null,
  };
}

/** e.g. "2025-05-01T08:00:00.000Z" → "May 1, 2025, 4:00 PM" (en) in the browser's zone; the ISO string if unparsable. */
export function formatChangeTime(iso: string, locale: 'zh-CN' | 'en'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** What a card asks for when its switch or mode moves; acknowledgedRisks only after a confirmed dialog. */
export interface AccessChange {
  external: boolean;
  /** When opening: protected (default) or open. */
  mode?: AccessMode;
  acknowledgedRisks?: RiskCode[];
}

/** Pure helpers of the registration service: naming, matching console objects, building our state. */
import type { ConsoleEndpoint, ConsolePort } from '../../clients/rainbond/types';
import type { ToolConsoleState } from './types';

/** Port alias the console accepts (`^[A-Z][A-Z0-9_]*$`), e.g. ("hubble-ui", 80) → "HUBBLE_UI80". */
export function portAliasFor(k8sName: string, port: number): string {
  return `${k8sName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}${port}`;
}

/** Healthy = endpoint status "healthy" (region: Ready). */
export function endpointHealth(endpoints: ConsoleEndpoint[]): { healthy: number; total: number } {
  return { healthy: endpoints.filter((e) => e.status === 'healthy').length, total: endpoints.length };
}

type Access = ToolConsoleState['access'];
const CLOSED: Access = { external: false, mode: null, urls: [] };

/** The tool's own port: external (open) when the console says it is outer; URLs from its gateway domains. */
export function accessOf(port: ConsolePort | undefined): Access {
  if (!port || !port.isOuter) return CLOSED;
  const urls = port.domains.map((d) => {
    const scheme = d.protocol === 'https' || d.protocol === 'httptohttps' ? 'https' : 'http';
    return `${scheme}://${d.domain}`;
  });
  return { external: true, mode: 'open', urls: [...new Set(urls)] };
}

/**
 * The tool's access from its own port (open) and its gateway entry's port (protected). Both outer happens only
 * while two changes race: it is reported as open (it is reachable without a login), with every URL.
 */
export function combineAccess(direct: Access, entry: Access): Access {
  if (direct.external) return { ...direct, urls: [...new Set([...direct.urls, ...entry.urls])] };
  if (entry.external) return { ...entry, mode: 'protected' };
  return CLOSED;
}

/** k8s_component_name of a tool's gateway entry, e.g. "prometheus-gateway". */
export const entryNameOf = (tool: string) => `${tool}-gateway`;

export const UNREGISTERED: ToolConsoleState = { registration: null, access: CLOSED };

/** Status values for which a start is not needed. */
export const isStartedStatus = (status: string) => status === 'running' || status === 'starting';

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

/** External when the console says the port is outer; URLs from its gateway domains, only while external. */
export function accessOf(port: ConsolePort | undefined): { external: boolean; urls: string[] } {
  if (!port || !port.isOuter) return { external: false, urls: [] };
  const urls = port.domains.map((d) => {
    const scheme = d.protocol === 'https' || d.protocol === 'httptohttps' ? 'https' : 'http';
    return `${scheme}://${d.domain}`;
  });
  return { external: true, urls: [...new Set(urls)] };
}

export const UNREGISTERED: ToolConsoleState = { registration: null, access: { external: false, urls: [] } };

/** Status values for which a start is not needed. */
export const isStartedStatus = (status: string) => status === 'running' || status === 'starting';

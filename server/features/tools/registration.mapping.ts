/** Pure helpers of the registration service: naming, matching console objects, building our state. */
import type { ToolId } from '../../../contract';
import type {
  ConsoleApp,
  ConsoleComponentSummary,
  ConsoleEndpoint,
  ConsolePort,
} from '../../clients/rainbond/types';
import type { ToolConsoleState } from './types';

/** Display names used as the component's service_cname, e.g. "Hubble UI". */
export const TOOL_TITLES: Record<ToolId, string> = {
  'hubble-ui': 'Hubble UI',
  grafana: 'Grafana',
  prometheus: 'Prometheus',
};

/**
 * The console only accepts `^[a-zA-Z0-9_.\-\u4e00-\u9fa5]+$` (≤128) as app name
 * (console/services/group_service.py:check_app_name), so "Cilium Observability" becomes "Cilium-Observability".
 */
export function toConsoleAppName(name: string): string {
  const cleaned = name
    .trim()
    .replace(/[^a-zA-Z0-9_.\-\u4e00-\u9fa5]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128);
  return cleaned === '' ? 'cilium-observability' : cleaned;
}

/** Port alias the console accepts (`^[A-Z][A-Z0-9_]*$`), e.g. ("hubble-ui", 80) → "HUBBLE_UI80". */
export function portAliasFor(tool: ToolId, port: number): string {
  return `${tool.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}${port}`;
}

/** Our app: by k8s_app when the console lists it, else by one of the names we may have given it. */
export function findApp(apps: ConsoleApp[], k8sApp: string, names: string[]): ConsoleApp | null {
  const byK8s = apps.find((a) => a.k8sApp === k8sApp);
  if (byK8s) return byK8s;
  return apps.find((a) => a.k8sApp === null && names.includes(a.appName)) ?? null;
}

/** Components to inspect for a tool, likeliest first (display name matches the tool title). */
export function candidatesFor(
  components: ConsoleComponentSummary[],
  tool: ToolId,
): ConsoleComponentSummary[] {
  const title = TOOL_TITLES[tool];
  return [...components].sort((a, b) => Number(b.cname === title) - Number(a.cname === title));
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

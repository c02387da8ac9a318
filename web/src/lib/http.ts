/** The backend's HTTP API (shared/plugin-api.md) as typed calls through the console's plugin proxy. */
import type { z } from 'zod';
import type { RiskCode, Status, Teams, Tool, ToolId } from '../../../contract';
import type { Flows, FlowsQuerySchema, RelayStatus, Summary } from '../../../contract/insights';
import { ApiError } from './errors';

/** Team and region every /api/v1 call carries, e.g. `{ team: "dev-team", region: "rainbond" }`. */
export interface Scope {
  team: string;
  region: string;
}

type FlowsQuery = z.infer<typeof FlowsQuerySchema>;
/** Flow table filters, e.g. `{ verdict: "DROPPED", protocol: "dns", limit: 100 }`. */
export interface FlowFilter {
  verdict?: FlowsQuery['verdict'];
  protocol?: FlowsQuery['protocol'];
  limit?: number;
}

export interface ApiClientOptions {
  /** e.g. "/console/regions/rainbond/backend/plugins/cilium-observability" */
  base: string;
  /** Console JWT; null leaves authentication to the `token` cookie. */
  token: string | null;
  /** The panel's language, sent as Accept-Language so hints, risks and diagnoses come in it, e.g. "zh-CN". */
  locale?: () => string;
  fetch?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** `/console/regions/{region}/backend/plugins/{pluginId}` */
export const apiBase = (region: string, pluginId: string) =>
  `/console/regions/${encodeURIComponent(region)}/backend/plugins/${encodeURIComponent(pluginId)}`;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function readError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: an older console's empty 502, an HTML error page…
  }
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string')
    return new ApiError(res.status, err.code, err.message, err.details);
  return new ApiError(res.status, null, res.statusText || `HTTP ${res.status}`);
}

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token) headers.Authorization = `GRJWT ${options.token}`;
    if (options.locale) headers['Accept-Language'] = options.locale();
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(options.base + path, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, null, e instanceof Error ? e.message : String(e));
    }
    if (!res.ok) throw await readError(res);
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError(res.status, null, 'the answer was not JSON');
    }
  }

  const tool = (id: ToolId) => `/api/v1/tools/${encodeURIComponent(id)}`;

  return {
    teams: () => call<Teams>('GET', '/api/v1/teams'),
    status: (s: Scope) => call<Status>('GET', `/api/v1/status${query({ ...s })}`),
    tool: (s: Scope, id: ToolId) => call<Tool>('GET', `${tool(id)}${query({ ...s })}`),
    register: (s: Scope, id: ToolId, appName?: string) =>
      call<Tool>('POST', `${tool(id)}/registration${query({ ...s })}`, appName ? { appName } : {}),
    unregister: (s: Scope, id: ToolId) => call<Tool>('DELETE', `${tool(id)}/registration${query({ ...s })}`),
    setAccess: (s: Scope, id: ToolId, external: boolean, acknowledgedRisks?: RiskCode[]) =>
      call<Tool>(
        'PUT',
        `${tool(id)}/access${query({ ...s })}`,
        acknowledgedRisks ? { external, acknowledgedRisks } : { external },
      ),
    summary: (s: Scope, window = '5m') =>
      call<Summary>('GET', `/api/v1/insights/summary${query({ ...s, window })}`),
    relay: (s: Scope) => call<RelayStatus>('GET', `/api/v1/insights/relay${query({ ...s })}`),
    flows: (s: Scope, f: FlowFilter) => call<Flows>('GET', `/api/v1/insights/flows${query({ ...s, ...f })}`),
    /** For EventSource, which cannot send headers: the console's `token` cookie authenticates it. */
    flowStreamUrl: (s: Scope, f: FlowFilter) =>
      `${options.base}/api/v1/insights/flows${query({ ...s, ...f, follow: 'true' })}`,
  };
}

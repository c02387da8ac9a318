/** The one HTTP client of the panel: JSON calls to the backend through the console's plugin proxy. */
import { ApiError } from './errors';

/** Query parameters; undefined and "" are left out, e.g. `{ team: "dev-team", verdict: undefined }`. */
export type QueryParams = Record<string, string | number | undefined>;

export interface HttpClientOptions {
  /** e.g. "/console/regions/rainbond/backend/plugins/cilium-observability" */
  base: string;
  /** Console JWT; null leaves authentication to the `token` cookie. */
  token: string | null;
  /** The panel's language, sent as Accept-Language so hints, risks and diagnoses come in it, e.g. "zh-CN". */
  locale?: () => string;
  fetch?: typeof fetch;
}

export interface HttpClient {
  get<T>(path: string, query?: QueryParams): Promise<T>;
  post<T>(path: string, query: QueryParams, body: unknown): Promise<T>;
  put<T>(path: string, query: QueryParams, body: unknown): Promise<T>;
  delete<T>(path: string, query?: QueryParams): Promise<T>;
  /** The full URL of a path, for EventSource (which cannot send headers: the `token` cookie authenticates it). */
  url(path: string, query?: QueryParams): string;
}

/** `/console/regions/{region}/backend/plugins/{pluginId}` */
export const apiBase = (region: string, pluginId: string) =>
  `/console/regions/${encodeURIComponent(region)}/backend/plugins/${encodeURIComponent(pluginId)}`;

/** e.g. `{ team: "dev", limit: 50 }` → "?team=dev&limit=50"; "" when nothing is left. */
function queryString(params: QueryParams = {}): string {
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

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = (path: string, query?: QueryParams) => options.base + path + queryString(query);

  async function call<T>(method: string, path: string, query?: QueryParams, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token) headers.Authorization = `GRJWT ${options.token}`;
    if (options.locale) headers['Accept-Language'] = options.locale();
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(url(path, query), {
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

  return {
    get: (path, query) => call('GET', path, query),
    post: (path, query, body) => call('POST', path, query, body),
    put: (path, query, body) => call('PUT', path, query, body),
    delete: (path, query) => call('DELETE', path, query),
    url,
  };
}

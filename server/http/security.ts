/**
 * Response headers every reply carries, and the guard in front of every state-changing request. The panel's own
 * calls come through the console's plugin proxy: the browser sends them to the console's origin (so
 * `Sec-Fetch-Site: same-origin` and the console's `Origin`), while `Host` is this backend's. A page on another
 * site — or on a sibling host such as a tenant's app under the gateway's domain (`same-site`) — is refused
 * before anything is read or anyone is asked.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { forbidden, unsupportedMediaType } from '../errors';
import { isSafeMethod } from './auth';
import type { AppEnv } from './env';

/** `X-Content-Type-Options: nosniff` on every reply (bundle, errors, /metrics); `no-store` on /api/v1. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    setHeader(c, 'X-Content-Type-Options', 'nosniff');
    if (c.req.path === '/api/v1' || c.req.path.startsWith('/api/v1/'))
      setHeader(c, 'Cache-Control', 'no-store');
  };
}

/** Sets a header on the finished response; a response with immutable headers is copied first. */
export function setHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(name, value);
  }
}

/** e.g. "https://console.example.com/" → "https://console.example.com"; null for anything but http(s). */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
const isJsonType = (type: string) => /^application\/json\s*(;|$)/i.test(type.trim());

/** True when the request says it has a body (a length above 0, or a chunked one). */
export const declaresBody = (c: Context) =>
  Number(c.req.header('content-length') ?? '0') > 0 || c.req.header('transfer-encoding') !== undefined;

export interface UnsafeMethodGuardOptions {
  /**
   * Origins whose pages may send changes without Sec-Fetch-Site (older browsers), besides this backend's own:
   * the console's public and configured addresses, e.g. ["https://console.example.com"].
   */
  trustedOrigins: (string | null | undefined)[];
}

/** Refuses a state-changing request that a browser sent from another site, or with a body that is not JSON. */
export function guardUnsafeMethods(opts: UnsafeMethodGuardOptions): MiddlewareHandler<AppEnv> {
  const trusted = new Set(opts.trustedOrigins.map((o) => originOf(o ?? undefined)).filter(Boolean));
  return async (c, next) => {
    if (isSafeMethod(c.req.method)) return next();
    const site = c.req.header('sec-fetch-site');
    // same-site is refused too: tenants' apps live on the gateway's domain, a sibling of the console's host
    if (site !== undefined && site !== 'same-origin') {
      throw forbidden(
        `state-changing requests from another site are refused (Sec-Fetch-Site: ${site.slice(0, 20)})`,
        {
          reason: 'cross-site',
        },
      );
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && site === undefined && !isOwnOrigin(c, origin, trusted)) {
      throw forbidden('state-changing requests from a foreign Origin are refused', {
        reason: 'foreign-origin',
      });
    }
    const type = c.req.header('content-type');
    if ((type !== undefined || declaresBody(c)) && !isJsonType(type ?? '')) {
      throw unsupportedMediaType(
        `a request body must be sent with Content-Type: application/json (got ${JSON.stringify((type ?? 'none').slice(0, 60))})`,
      );
    }
    await next();
  };
}

/** Without Sec-Fetch-Site the browser vouches for nothing: the Origin must be this backend's or a trusted one. */
function isOwnOrigin(c: Context, origin: string, trusted: Set<string | null>): boolean {
  const o = originOf(origin);
  if (!o) return false;
  if (trusted.has(o)) return true;
  return new URL(o).host === c.req.header('host');
}

/** Request id (hono/request-id), one structured access-log line and the HTTP metrics for every request. */
import type { Context, MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { AppEnv } from './env';

/**
 * The registered pattern that answered, e.g. "/api/v1/tools/:id/access"; "other" when no route matched, so
 * metric labels never carry raw paths from the client.
 */
export function routeLabel(c: Context): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL');
  return handlers.at(-1)?.path ?? 'other';
}

export function requestIds(): MiddlewareHandler<AppEnv> {
  return requestId({ limitLength: 64 });
}

export function accessLog(deps: { log: Logger; metrics: Metrics }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = routeLabel(c);
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.observeHttp(route, c.req.method, c.res.status, seconds);
    deps.log.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      route,
      status: c.res.status,
      durationMs: Math.round(seconds * 10000) / 10,
      ...(c.res.status >= 400 ? { error: c.get('errorCode') } : {}),
    });
  };
}

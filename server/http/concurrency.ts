/**
 * Per-user concurrency limit for an expensive route (after the auth middleware): at most `max` of one user's
 * requests run at once; one more is 429 TOO_MANY_REQUESTS with `Retry-After`, before any work is done.
 */
import type { MiddlewareHandler } from 'hono';
import { tooMany } from '../errors';
import type { AppEnv } from './env';

export interface PerUserConcurrencyOptions {
  /** Requests one user may have in flight on this route, e.g. 2. */
  max: number;
  /** What the route does, for the message, e.g. "summary". */
  what: string;
  /** Told to the refused caller; the routes behind this answer within seconds. Default 1. */
  retryAfterSeconds?: number;
}

export function limitPerUser(opts: PerUserConcurrencyOptions): MiddlewareHandler<AppEnv> {
  const inFlight = new Map<number, number>();
  const retryAfter = opts.retryAfterSeconds ?? 1;
  return async (c, next) => {
    const user = c.get('ctx').user.userId;
    const n = inFlight.get(user) ?? 0;
    if (n >= opts.max)
      throw tooMany(
        'TOO_MANY_REQUESTS',
        `you already have ${opts.max} ${opts.what} requests running; retry in ${retryAfter} s`,
        retryAfter,
        { limit: 'user', max: opts.max, route: opts.what },
      );
    inFlight.set(user, n + 1);
    try {
      await next();
    } finally {
      const left = (inFlight.get(user) ?? 1) - 1;
      if (left > 0) inFlight.set(user, left);
      else inFlight.delete(user);
    }
  };
}

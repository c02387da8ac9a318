/**
 * Identity and context. The JWT comes from X-Original-Authorization (console proxy ≥ 6.9.4), Authorization
 * (direct calls and older proxies) or, for GET only (EventSource), the `token` cookie: a state-changing request
 * must carry it in a header, which a page on another site cannot make a browser send. It is checked by asking
 * the console who it belongs to. Verified identities are cached briefly, keyed by a SHA-256 of the JWT.
 */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { LRUCache } from 'lru-cache';
import { ContextQuerySchema } from '../../contract';
import { AppError, forbidden, invalidInput, unauthenticated } from '../errors';
import type { UserIdentity } from '../clients/rainbond/types';
import type { AppEnv, Locale } from './env';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Reads "GRJWT <jwt>" or "JWT <jwt>"; anything else (e.g. a region token) is not ours. */
function fromHeader(value: string | undefined): string | null {
  if (!value) return null;
  const m = /^(?:GRJWT|JWT)\s+(\S+)$/.exec(value.trim());
  return m?.[1] ?? null;
}

/** Methods that change nothing: the only ones the `token` cookie may authenticate. */
export const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD';

/** The JWT, '' when one is present but malformed, null when none; the cookie counts only for safe methods. */
export function extractJwt(c: Context): string | null {
  const jwt =
    fromHeader(c.req.header('x-original-authorization')) ??
    fromHeader(c.req.header('authorization')) ??
    (isSafeMethod(c.req.method) ? getCookie(c, 'token') || null : null);
  if (!jwt) return null;
  return jwt.length <= 8192 && JWT_SHAPE.test(jwt) ? jwt : '';
}

/** 401 naming why: a cookie alone does not authenticate a change. */
function missingJwt(c: Context) {
  if (!isSafeMethod(c.req.method) && getCookie(c, 'token'))
    return unauthenticated(
      'state-changing requests need the JWT in the X-Original-Authorization or Authorization header; the token cookie only authenticates GET',
    );
  return unauthenticated();
}

export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export interface IdentityResolver {
  /** Throws UNAUTHENTICATED for a rejected JWT, UPSTREAM_ERROR when the console fails. */
  resolve(jwt: string): Promise<UserIdentity>;
}

/** Verified identities cached for `ttlSeconds` (0 = no cache); concurrent checks of one JWT share one call. */
export function createIdentityResolver(opts: {
  userDetails: (jwt: string) => Promise<UserIdentity>;
  ttlSeconds: number;
  maxEntries?: number;
}): IdentityResolver {
  const keyOf = (jwt: string) => createHash('sha256').update(jwt).digest('hex');
  // the key is a hash; the JWT itself travels only in the fetch context, never stored
  const cache = new LRUCache<string, UserIdentity, string>({
    max: opts.maxEntries ?? 1000,
    ttl: Math.max(1, opts.ttlSeconds * 1000),
    fetchMethod: (_key, _stale, { context }) => opts.userDetails(context),
  });
  return {
    async resolve(jwt) {
      if (opts.ttlSeconds <= 0) return opts.userDetails(jwt);
      const user = await cache.fetch(keyOf(jwt), { context: jwt });
      if (!user) throw new Error('identity cache returned nothing');
      return user;
    },
  };
}

/** Any authenticated user (used by GET /api/v1/teams). */
export function requireUser(identity: IdentityResolver): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const jwt = extractJwt(c);
    if (!jwt) throw missingJwt(c);
    const user = await identity.resolve(jwt);
    c.set('ctx', {
      jwt,
      team: '',
      region: '',
      namespace: '',
      user,
      locale: pickLocale(c.req.header('accept-language')),
    });
    await next();
  };
}

/**
 * team + region from the query, the user from the JWT, and membership of that team in that region.
 * `servedRegion` (RAINBOND_REGION) refuses any other region with 400 before the console is asked anything.
 */
export function requireTeamContext(
  identity: IdentityResolver,
  opts: { servedRegion?: string } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const q = ContextQuerySchema.safeParse({ team: c.req.query('team'), region: c.req.query('region') });
    if (!q.success) {
      throw invalidInput('query parameters team and region are required', {
        fields: q.error.issues.map((i) => ({ field: i.path.join('.'), problem: i.message })),
      });
    }
    if ((c.req.queries('team')?.length ?? 0) > 1 || (c.req.queries('region')?.length ?? 0) > 1) {
      throw invalidInput('team and region may be given once');
    }
    if (opts.servedRegion !== undefined && q.data.region !== opts.servedRegion) {
      throw invalidInput(
        `this backend serves region ${opts.servedRegion}, not ${q.data.region}; open the plugin from region ${opts.servedRegion} or use that region's backend`,
        {
          fields: [{ field: 'region', problem: `must be ${opts.servedRegion}` }],
          servedRegion: opts.servedRegion,
        },
      );
    }
    const jwt = extractJwt(c);
    if (!jwt) throw missingJwt(c);
    const user = await identity.resolve(jwt);
    const team = user.teams.find((t) => t.name === q.data.team);
    if (!team) throw forbidden(`you are not a member of team ${q.data.team}`);
    if (!team.regions.some((r) => r.name === q.data.region)) {
      throw forbidden(`team ${q.data.team} is not opened in region ${q.data.region}`);
    }
    c.set('ctx', {
      jwt,
      team: team.name,
      region: q.data.region,
      namespace: team.namespace,
      user,
      locale: pickLocale(c.req.header('accept-language')),
    });
    await next();
  };
}

/**
 * Is the caller of a long-lived request (a live stream) still a member of its team in its region? Asked again
 * through the identity resolver, so at most its cache TTL stale. `rejected`: the console refused the JWT;
 * `unknown`: the console could not be asked (the caller keeps what it has until the next check).
 */
export type MembershipVerdict = 'member' | 'removed' | 'rejected' | 'unknown';

export async function recheckMembership(
  identity: IdentityResolver,
  ctx: { jwt: string; team: string; region: string },
): Promise<MembershipVerdict> {
  try {
    const user = await identity.resolve(ctx.jwt);
    const team = user.teams.find((t) => t.name === ctx.team);
    return team?.regions.some((r) => r.name === ctx.region) ? 'member' : 'removed';
  } catch (e) {
    return e instanceof AppError && e.code === 'UNAUTHENTICATED' ? 'rejected' : 'unknown';
  }
}

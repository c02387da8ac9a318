/**
 * The team's Rainbond components by alias, from ONE console call (`GET /console/teams/{team}/overview/groups`)
 * with the user's JWT, cached per team for a short time; concurrent asks share the call. When the console fails,
 * the last good directory is kept (flows then show workload names until it answers again).
 */
import { LRUCache } from 'lru-cache';
import type { FlowComponent } from '../../../contract/insights';
import type { Logger } from '../../log';
import type { ConsoleCtx, TeamApp } from '../../clients/rainbond/types';

/** The components of one team, e.g. byAlias.get("gr1a2b3c") → { name: "订单服务", appName: "商城", … }. */
export interface TeamDirectory {
  team: string;
  byAlias: ReadonlyMap<string, FlowComponent>;
}

export interface TeamDirectoryService {
  /** The directory of ctx.team, or null when the console could not be read and nothing is cached. */
  get(ctx: ConsoleCtx): Promise<TeamDirectory | null>;
  /**
   * The cached directory of ctx.team at once (possibly stale), asking the console in the background when it is
   * stale or missing; for long live streams, which pick up renamed or new components this way.
   */
  peek(ctx: ConsoleCtx): TeamDirectory | null;
}

export interface TeamDirectoryDeps {
  /** The console's overview/groups call, as RainbondConsole.teamApps. */
  teamApps: (ctx: ConsoleCtx) => Promise<TeamApp[]>;
  log: Logger;
  /** How long a directory is reused, ms; default 30 s, 0 = every call asks the console. */
  ttlMs?: number;
  maxTeams?: number;
}

/** overview/groups → alias index; a component listed twice (never seen, but cheap to guard) keeps the first app. */
export function toDirectory(team: string, apps: readonly TeamApp[]): TeamDirectory {
  const byAlias = new Map<string, FlowComponent>();
  for (const app of apps)
    for (const c of app.components)
      if (!byAlias.has(c.alias))
        byAlias.set(c.alias, { alias: c.alias, name: c.cname, appId: app.appId, appName: app.appName });
  return { team, byAlias };
}

export function createTeamDirectory(deps: TeamDirectoryDeps): TeamDirectoryService {
  const ttl = deps.ttlMs ?? 30_000;
  const log = deps.log.child({ feature: 'insights.names' });
  const load = async (ctx: ConsoleCtx) => toDirectory(ctx.team, await deps.teamApps(ctx));
  // Keyed by region and team: every member of a team sees the same components (the view has no per-user filter).
  const cache = new LRUCache<string, TeamDirectory, ConsoleCtx>({
    max: deps.maxTeams ?? 500,
    ttl: Math.max(1, ttl),
    allowStale: true,
    allowStaleOnFetchRejection: true,
    noDeleteOnFetchRejection: true,
    fetchMethod: (_key, _stale, { context }) => load(context),
  });
  const keyOf = (ctx: ConsoleCtx) => `${ctx.region}\u0000${ctx.team}`;
  let last: TeamDirectory | null = null;
  const asked = new Map<string, number>();
  const get = async (ctx: ConsoleCtx) => {
    try {
      if (ttl <= 0) return (last = await load(ctx));
      return (await cache.fetch(keyOf(ctx), { context: ctx })) ?? null;
    } catch (e) {
      log.warn('component names unavailable: the console did not answer overview/groups', {
        team: ctx.team,
        error: e instanceof Error ? e.message : String(e),
      });
      return null;
    }
  };
  return {
    get,
    peek(ctx) {
      if (ttl <= 0) return last?.team === ctx.team ? last : null;
      const key = keyOf(ctx);
      const v = cache.get(key, { allowStale: true });
      const now = Date.now();
      // at most one background ask per team every few seconds, whatever the flow rate
      if ((v === undefined || cache.getRemainingTTL(key) <= 0) && now - (asked.get(key) ?? 0) > 5000) {
        asked.set(key, now);
        if (asked.size > 1000) asked.clear();
        void get(ctx);
      }
      return v ?? null;
    },
  };
}

/**
 * The caller's teams for the Platform view, each with the tools it holds in the region this backend serves, so
 * the view can open on the team that already holds the tools' components. The cost is bounded: at most
 * MAX_TEAMS_LOOKED_AT teams, a few at a time, each answer kept for a short while per user.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../log';
import type { RequestCtx } from '../../request-context';
import { TOOL_IDS, type Teams, type ToolId } from '../../../contract';

/** Which tools have a component in `team` (read from the console with the caller's JWT). */
export type TeamToolsLookup = (ctx: RequestCtx, team: string, region: string) => Promise<ToolId[]>;

/** Teams looked at per request; a user in more teams gets `holdsTools: null` for the rest. */
export const MAX_TEAMS_LOOKED_AT = 20;
const CONCURRENCY = 4;

export interface TeamsService {
  list(ctx: RequestCtx): Promise<Teams>;
}

export function createTeamsService(deps: {
  servedRegion?: string;
  teamTools?: TeamToolsLookup;
  log: Logger;
  /** How long one team's answer is reused for the same user, in ms. */
  cacheMs?: number;
}): TeamsService {
  const cache = new LRUCache<string, ToolId[]>({ max: 5000, ttl: deps.cacheMs ?? 30_000 });

  async function held(ctx: RequestCtx, team: string, region: string): Promise<ToolId[] | null> {
    const lookup = deps.teamTools;
    if (!lookup) return null;
    const key = `${ctx.user.userId}/${region}/${team}`;
    const hit = cache.get(key);
    if (hit) return hit;
    try {
      const tools = await lookup(ctx, team, region);
      const ordered = TOOL_IDS.filter((t) => tools.includes(t));
      cache.set(key, ordered);
      return ordered;
    } catch (e) {
      deps.log.debug('could not read the tools of a team', { team, err: String(e) });
      return null;
    }
  }

  return {
    async list(ctx) {
      const teams = ctx.user.teams.map((t) => ({
        name: t.name,
        alias: t.alias,
        namespace: t.namespace,
        regions: t.regions,
        holdsTools: null as ToolId[] | null,
      }));
      // the region whose tools count: the served one, else the team's only region
      const regionOf = (t: (typeof teams)[number]) =>
        deps.servedRegion !== undefined
          ? t.regions.find((r) => r.name === deps.servedRegion)?.name
          : t.regions.length === 1
            ? t.regions[0]?.name
            : undefined;
      const candidates = teams.filter((t) => regionOf(t) !== undefined).slice(0, MAX_TEAMS_LOOKED_AT);
      for (let i = 0; i < candidates.length; i += CONCURRENCY) {
        await Promise.all(
          candidates.slice(i, i + CONCURRENCY).map(async (t) => {
            t.holdsTools = await held(ctx, t.name, regionOf(t) as string);
          }),
        );
      }
      // the default team: the one holding most tools; ties go to the first listed (the console lists owned teams first)
      let toolsTeam: string | null = null;
      let most = 0;
      for (const t of teams) {
        const n = t.holdsTools?.length ?? 0;
        if (n > most) [toolsTeam, most] = [t.name, n];
      }
      return {
        teams: deps.teamTools ? teams : teams.map(({ holdsTools: _ignored, ...rest }) => rest),
        region: deps.servedRegion ?? null,
        toolsTeam,
      };
    },
  };
}

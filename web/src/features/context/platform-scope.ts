/** Which team the Platform view opens on; pure. */
import type { Teams } from '../../../../contract';

export interface PlatformChoice {
  team: string;
  region: string;
}

/**
 * The remembered team if it still qualifies, else the team already holding the tools' components, else the first
 * team opened in the region this backend serves (or, when unknown, the page's region, else the team's only one).
 */
export function choosePlatformTeam(
  teams: Teams,
  remembered: string | null,
  pageRegion: string | null,
): PlatformChoice | null {
  const region = teams.region ?? pageRegion;
  const regionOf = (name: string): string | null => {
    const t = teams.teams.find((x) => x.name === name);
    if (!t) return null;
    if (region) return t.regions.some((r) => r.name === region) ? region : null;
    return t.regions.length === 1 ? (t.regions[0]?.name ?? null) : null;
  };
  for (const name of [remembered, teams.toolsTeam ?? null, ...teams.teams.map((t) => t.name)]) {
    if (!name) continue;
    const r = regionOf(name);
    if (r) return { team: name, region: r };
  }
  return null;
}

/** Teams that can hold the tools: opened in the served (or page) region. */
export function eligibleTeams(teams: Teams, pageRegion: string | null): Teams['teams'] {
  const region = teams.region ?? pageRegion;
  return teams.teams.filter((t) =>
    region ? t.regions.some((r) => r.name === region) : t.regions.length === 1,
  );
}

/** localStorage key of the remembered team, per plugin, e.g. "cobs:cilium-observability:platform-team". */
export const rememberKey = (pluginId: string) => `cobs:${pluginId}:platform-team`;

export function readRemembered(pluginId: string): string | null {
  try {
    return globalThis.localStorage?.getItem(rememberKey(pluginId)) ?? null;
  } catch {
    return null; // storage blocked (privacy mode): the default is used every time
  }
}

export function remember(pluginId: string, team: string): void {
  try {
    globalThis.localStorage?.setItem(rememberKey(pluginId), team);
  } catch {
    // not remembered; nothing else breaks
  }
}

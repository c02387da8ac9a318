/**
 * Links into the Rainbond console (rainbond-ui routes): a component opens as the app page's slide panel,
 * `…/apps/{group_id}/overview?type=components&componentID={service_alias}&tab=overview`, behind `#` in the default
 * hash-routed build and as a path in a `ROUTE_MODE=history` build.
 */
import type { ConsoleRouting } from './services';

const seg = encodeURIComponent;

/** e.g. "#/team/dev-team/region/rainbond/apps/101/overview". */
export function appLink(routing: ConsoleRouting, team: string, region: string, appId: number): string {
  const path = `/team/${seg(team)}/region/${seg(region)}/apps/${appId}/overview`;
  return routing === 'history' ? path : `#${path}`;
}

/** e.g. "#/team/dev-team/region/rainbond/apps/101/overview?type=components&componentID=gr8b2c4d&tab=overview". */
export function componentLink(
  routing: ConsoleRouting,
  team: string,
  region: string,
  c: { appId: number; alias: string },
): string {
  return `${appLink(routing, team, region, c.appId)}?type=components&componentID=${seg(c.alias)}&tab=overview`;
}

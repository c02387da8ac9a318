import { describe, expect, it } from 'vitest';
import type { Teams } from '../../../../contract';
import { choosePlatformTeam, eligibleTeams } from './platform-scope';

const team = (name: string, regions: string[], holdsTools: Teams['teams'][number]['holdsTools'] = []) => ({
  name,
  alias: name.toUpperCase(),
  namespace: name,
  regions: regions.map((r) => ({ name: r, alias: r })),
  holdsTools,
});

const teams: Teams = {
  teams: [
    team('dev', ['rainbond']),
    team('ops', ['rainbond'], ['hubble-ui', 'grafana']),
    team('far', ['east']),
  ],
  region: 'rainbond',
  toolsTeam: 'ops',
};

describe('choosePlatformTeam', () => {
  it.each([
    ['the team holding the tools when nothing is remembered', null, { team: 'ops', region: 'rainbond' }],
    ['the remembered team', 'dev', { team: 'dev', region: 'rainbond' }],
    ['the holder when the remembered team is gone', 'gone', { team: 'ops', region: 'rainbond' }],
    [
      'the holder when the remembered team lacks the served region',
      'far',
      { team: 'ops', region: 'rainbond' },
    ],
  ])('opens on %s', (_name, remembered, expected) => {
    expect(choosePlatformTeam(teams, remembered, null)).toEqual(expected);
  });

  it('falls back to the first team of the served region when no team holds the tools', () => {
    expect(choosePlatformTeam({ ...teams, toolsTeam: null }, null, null)).toEqual({
      team: 'dev',
      region: 'rainbond',
    });
  });

  it("uses the page's region when the backend serves any, else a team's only region", () => {
    const open: Teams = { teams: teams.teams, region: null, toolsTeam: null };
    expect(choosePlatformTeam(open, null, 'east')).toEqual({ team: 'far', region: 'east' });
    expect(choosePlatformTeam(open, null, null)).toEqual({ team: 'dev', region: 'rainbond' });
  });

  it('answers null when no team can hold the tools', () => {
    expect(choosePlatformTeam({ teams: [team('far', ['east'])], region: 'rainbond' }, null, null)).toBeNull();
  });

  it('offers only the teams opened in the served region', () => {
    expect(eligibleTeams(teams, null).map((t) => t.name)).toEqual(['dev', 'ops']);
  });
});

import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log';
import type { ConsoleCtx, TeamApp } from '../../clients/rainbond/types';
import { createTeamDirectory, toDirectory } from './team-directory';

const ctx = (team: string): ConsoleCtx => ({ jwt: 'j', team, region: 'rainbond' });
const apps: TeamApp[] = [
  { appId: 12, appName: '商城', components: [{ alias: 'gr1', cname: '订单', serviceId: 's1' }] },
  { appId: 13, appName: '空', components: [] },
];

describe('team directory', () => {
  it('indexes components by alias with their app', () => {
    expect(toDirectory('t', apps).byAlias.get('gr1')).toEqual({
      alias: 'gr1',
      name: '订单',
      appId: 12,
      appName: '商城',
    });
  });

  it('asks the console once per team while fresh; concurrent asks share the call', async () => {
    const asked: string[] = [];
    const d = createTeamDirectory({
      teamApps: async (c) => {
        asked.push(c.team);
        return apps;
      },
      log: silentLogger,
    });
    await Promise.all([d.get(ctx('a')), d.get(ctx('a')), d.get(ctx('b'))]);
    await d.get(ctx('a'));
    expect(asked.sort()).toEqual(['a', 'b']);
    expect(d.peek(ctx('a'))?.byAlias.size).toBe(1);
  });

  it('a failing console gives null (workload names), and keeps the last good directory once there is one', async () => {
    let fail = true;
    const d = createTeamDirectory({
      teamApps: async () => {
        if (fail) throw new Error('console down');
        return apps;
      },
      log: silentLogger,
      ttlMs: 1,
    });
    expect(await d.get(ctx('a'))).toBeNull();
    fail = false;
    expect((await d.get(ctx('a')))?.byAlias.has('gr1')).toBe(true);
    fail = true;
    await new Promise((r) => setTimeout(r, 5));
    expect((await d.get(ctx('a')))?.byAlias.has('gr1')).toBe(true);
  });
});

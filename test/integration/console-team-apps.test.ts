/**
 * overview/groups over real HTTP: the fake answers as ServiceGroupView does (apps of the team in the region, each
 * with its service_list or null), the client maps it, and the console's own permission rules apply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleClient } from '../../server/clients/rainbond/console-client';
import { silentLogger } from '../../server/log';
import { startFakeConsole, type FakeConsole } from '../fakes/console';
import { worldConsoleApps } from '../fixtures/rainbond/team-world';
import { REGION, TEST_USERS } from '../support/stack';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function setup(): Promise<{ fake: FakeConsole; client: ReturnType<typeof createConsoleClient> }> {
  const fake = await startFakeConsole({
    users: TEST_USERS,
    regions: [{ name: REGION, httpdomain: 'apps.example.test' }],
    seedApps: [
      ...worldConsoleApps(),
      { team: 'dev-team', appId: 150, name: '空应用', k8sApp: 'empty', components: [] },
    ],
  });
  closers.push(() => fake.close());
  return { fake, client: createConsoleClient({ baseUrl: fake.url, timeoutMs: 2000, log: silentLogger }) };
}

describe('teamApps (GET /console/teams/{team}/overview/groups)', () => {
  it("lists the team's apps with their components in one call, with the user's JWT and region_name", async () => {
    const { fake, client } = await setup();
    const apps = await client.teamApps({ jwt: fake.mintToken('alice'), team: 'dev-team', region: REGION });
    expect(apps.map((a) => [a.appId, a.appName, a.components.map((c) => [c.alias, c.cname])])).toEqual([
      [
        101,
        '在线商城',
        [
          ['gr6f3a21', '商城前端'],
          ['gr8b2c4d', '订单服务'],
          ['gr2d9e07', '订单数据库'],
        ],
      ],
      [102, '基础设施', [['gr5c7f19', '缓存 Redis']]],
      [150, '空应用', []],
    ]);
    const call = fake.calls.find((c) => c.path === '/console/teams/dev-team/overview/groups');
    expect(call?.query).toEqual({ region_name: REGION });
    expect(call?.status).toBe(200);
  });

  it('the reply carries service_list null for an empty app, as the console does', async () => {
    const { fake } = await setup();
    const res = await fetch(`${fake.url}/console/teams/dev-team/overview/groups?region_name=${REGION}`, {
      headers: { Authorization: `GRJWT ${fake.mintToken('alice')}` },
    });
    const body = (await res.json()) as { data: { list: { group_id: number; service_list: unknown }[] } };
    expect(body.data.list.find((a) => a.group_id === 150)?.service_list).toBeNull();
  });

  it("another team's apps are refused (403 FORBIDDEN) and never listed", async () => {
    const { fake, client } = await setup();
    await expect(
      client.teamApps({ jwt: fake.mintToken('alice'), team: 'other-team', region: REGION }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const bob = await client.teamApps({ jwt: fake.mintToken('bob'), team: 'other-team', region: REGION });
    expect(bob.flatMap((a) => a.components.map((c) => c.alias))).toEqual(['gr9a8b7c']);
  });
});

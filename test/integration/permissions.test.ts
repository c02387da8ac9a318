/**
 * Who may do what with the cluster-wide tools, over real HTTP against the loopback fakes: enterprise admins by
 * default, team owners and admins with TOOL_MANAGERS=team-admins, everyone else read-only with a sentence; every
 * change is audited (log line + counter, never a JWT) and the last access change is read back from the console.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBodySchema, StatusSchema, TeamsSchema, ToolSchema, type Tool } from '../../contract';
import { createLogger } from '../../server/log';
import type { FakeUser } from '../fakes/console';
import { eventually } from '../support/eventually';
import { REGION, TEST_USERS, startBackend, startStack, type Stack } from '../support/stack';

/** A team admin by role who did not create the team. */
const TINA: FakeUser = {
  user_id: 5,
  nick_name: 'tina',
  teams: [
    {
      team_name: 'dev-team',
      team_alias: '开发团队',
      namespace: 'dev-team',
      regions: [REGION],
      roles: ['管理员'],
    },
  ],
};
const USERS = [...TEST_USERS, TINA];

let s: Stack | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function call(
  st: Stack,
  user: string,
  method: string,
  path: string,
  body?: unknown,
  team = 'dev-team',
) {
  const res = await fetch(st.api(path, team), {
    method,
    headers: st.headers(user),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

const OPEN = { external: true, mode: 'open', acknowledgedRisks: ['NO_AUTH'] };
const CHANGES: [string, string, unknown][] = [
  ['POST', 'tools/hubble-ui/registration', {}],
  ['PUT', 'tools/hubble-ui/access', OPEN],
  ['PUT', 'tools/hubble-ui/access', { external: false }],
  ['DELETE', 'tools/hubble-ui/registration', undefined],
];

describe('TOOL_MANAGERS=enterprise-admins (default)', () => {
  it('gives a non-admin team owner 403 FORBIDDEN with details.required on register, access and unregister; the console sees no change', async () => {
    s = await startStack({ users: USERS });
    const st = s;
    // the tool is registered by an admin, so unregister and access have something to act on
    expect((await call(st, 'root', 'POST', 'tools/hubble-ui/registration', {})).status).toBe(200);
    for (const user of ['olivia', 'tina', 'alice']) {
      for (const [method, path, body] of CHANGES) {
        const before = st.console.calls.length;
        const r = await call(st, user, method, path, body);
        expect(r.status, `${user} ${method} ${path}`).toBe(403);
        const err = ErrorBodySchema.parse(r.json).error;
        expect(err.code).toBe('FORBIDDEN');
        expect(err.details).toMatchObject({ required: 'enterprise-admin' });
        // at most the identity check: no read of the team, no change
        const calls = st.console.calls.slice(before);
        expect(calls.filter((c) => c.path !== '/console/users/details')).toEqual([]);
      }
    }
    const comp = st.console.state().components.find((c) => c.k8sComponentName === 'hubble-ui');
    expect(comp?.ports[0]?.outer).toBe(false);
  });

  it('keeps status and the tools readable for every member, saying who may change them', async () => {
    s = await startStack({ users: USERS });
    for (const [user, manage] of [
      ['alice', false],
      ['olivia', false],
      ['root', true],
    ] as const) {
      const res = await fetch(s.api('status'), { headers: { ...s.headers(user), 'Accept-Language': 'en' } });
      expect(res.status, user).toBe(200);
      const status = StatusSchema.parse(await res.json());
      for (const tool of status.tools) {
        expect(tool.permissions, `${user} ${tool.id}`).toMatchObject({
          manage,
          required: 'enterprise-admin',
        });
        if (!manage) expect(tool.permissions?.reason).toMatch(/Only enterprise admins/);
        else expect(tool.permissions?.reason).toBeUndefined();
      }
    }
    const zh = await fetch(s.api('tools/grafana'), {
      headers: { ...s.headers('olivia'), 'Accept-Language': 'zh-CN' },
    });
    expect(ToolSchema.parse(await zh.json()).permissions?.reason).toMatch(/企业管理员/);
  });
});

describe('TOOL_MANAGERS=team-admins', () => {
  it('lets the same team owner, and a team admin by role, register, open, close and remove; a developer still gets 403', async () => {
    s = await startStack({ users: USERS, env: { TOOL_MANAGERS: 'team-admins' } });
    const st = s;
    for (const user of ['olivia', 'tina']) {
      for (const [method, path, body] of CHANGES) {
        const r = await call(st, user, method, path, body);
        expect(r.status, `${user} ${method} ${path}: ${JSON.stringify(r.json)}`).toBe(200);
        expect(ToolSchema.parse(r.json).permissions).toEqual({ manage: true, required: 'team-admin' });
      }
    }
    const before = st.console.calls.filter((c) => c.method !== 'GET').length;
    const r = await call(st, 'alice', 'POST', 'tools/hubble-ui/registration', {});
    expect(r.status).toBe(403);
    expect(ErrorBodySchema.parse(r.json).error.details).toMatchObject({ required: 'team-admin' });
    expect(st.console.calls.filter((c) => c.method !== 'GET').length).toBe(before);
    // an owner of another team is nobody's admin here
    const other = await call(st, 'olivia', 'POST', 'tools/grafana/registration', {}, 'shop');
    expect(other.status).toBe(403);
  });
});

describe('audit trail', () => {
  it('writes one audit line per register, open, close and unregister (and per refused attempt), counts them in /metrics, and never logs a JWT', async () => {
    const lines: string[] = [];
    s = await startStack({ users: USERS, log: createLogger('info', (l) => lines.push(l)) });
    const st = s;
    for (const [method, path, body] of CHANGES)
      expect((await call(st, 'root', method, path, body)).status).toBe(200);
    expect((await call(st, 'olivia', 'POST', 'tools/grafana/registration', {})).status).toBe(403);

    const audit = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true);
    expect(audit.map((a) => [a.user, a.team, a.region, a.tool, a.action, a.mode, a.outcome])).toEqual([
      ['root', 'dev-team', REGION, 'hubble-ui', 'register', null, 'ok'],
      ['root', 'dev-team', REGION, 'hubble-ui', 'open', 'open', 'ok'],
      ['root', 'dev-team', REGION, 'hubble-ui', 'close', null, 'ok'],
      ['root', 'dev-team', REGION, 'hubble-ui', 'unregister', null, 'ok'],
      ['olivia', 'dev-team', REGION, 'grafana', 'register', null, 'denied'],
    ]);
    expect(audit[4]).toMatchObject({ error: 'FORBIDDEN', userId: 4 });
    for (const user of ['root', 'olivia'])
      expect(lines.join('\n')).not.toContain(st.token(user).split('.')[2]);
    expect(lines.join('\n')).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./);

    const metrics = await (await fetch(`${st.url}/metrics`)).text();
    for (const action of ['register', 'open', 'close', 'unregister'])
      expect(metrics).toContain(
        `cilium_observability_tool_changes_total{action="${action}",outcome="ok",tool="hubble-ui"} 1`,
      );
    expect(metrics).toContain(
      'cilium_observability_tool_changes_total{action="register",outcome="denied",tool="grafana"} 1',
    );
  });

  it("shows who last changed the access and when, from the console's component events: across a restart, and for changes made in the console itself", async () => {
    s = await startStack({ users: USERS });
    const st = s;
    expect((await call(st, 'root', 'POST', 'tools/hubble-ui/registration', {})).status).toBe(200);
    const opened = await call(st, 'root', 'PUT', 'tools/hubble-ui/access', OPEN);
    const at = Date.now();
    expect(ToolSchema.parse(opened.json).lastAccessChange).toMatchObject({ external: true, user: 'root' });

    // a fresh backend process on the same console reads it back: it does not live in memory
    const fresh = await startBackend({
      kube: st.kube,
      console: st.console,
      env: { RAINBOND_REGION: REGION },
    });
    try {
      const r = await fetch(`${fresh.url}/api/v1/tools/hubble-ui?team=dev-team&region=${REGION}`, {
        headers: st.headers('alice'),
      });
      const tool = ToolSchema.parse(await r.json());
      expect(tool.lastAccessChange).toMatchObject({ external: true, user: 'root', source: 'console' });
      expect(Math.abs(Date.parse(tool.lastAccessChange!.at) - at)).toBeLessThan(3000);

      // olivia closes it on the console's own port page: the plugin shows her, not its last caller
      const alias = tool.registration!.componentAlias;
      const port = st.console.state().components.find((c) => c.alias === alias)!.ports[0]!.port;
      const res = await fetch(
        `${st.console.url}/console/teams/dev-team/apps/${alias}/ports/${port}?region_name=${REGION}`,
        {
          method: 'PUT',
          headers: { Authorization: `GRJWT ${st.token('olivia')}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ action: 'close_outer' }),
        },
      );
      expect(res.status).toBe(200);
      await eventually(
        async () => {
          const t: Tool = ToolSchema.parse(
            await (
              await fetch(`${fresh.url}/api/v1/tools/hubble-ui?team=dev-team&region=${REGION}`, {
                headers: st.headers('root'),
              })
            ).json(),
          );
          expect(t.lastAccessChange).toMatchObject({ external: false, user: 'olivia', source: 'console' });
          expect(t.access.external).toBe(false);
        },
        { what: "olivia's close read back", timeoutMs: 10_000, intervalMs: 500 },
      );
    } finally {
      await fresh.close();
    }
  });
});

describe('GET /api/v1/teams for the Platform view', () => {
  it('names the tools each team holds in the served region and the team holding most of them', async () => {
    s = await startStack({ users: USERS });
    const st = s;
    expect((await call(st, 'root', 'POST', 'tools/hubble-ui/registration', {}, 'shop')).status).toBe(200);
    expect((await call(st, 'root', 'POST', 'tools/grafana/registration', {}, 'shop')).status).toBe(200);
    const before = st.console.calls.length;
    const teams = TeamsSchema.parse(
      await (await fetch(`${st.url}/api/v1/teams`, { headers: st.headers('root') })).json(),
    );
    expect(teams.region).toBe(REGION);
    expect(teams.toolsTeam).toBe('shop');
    expect(teams.teams.map((t) => [t.name, t.holdsTools])).toEqual([
      ['dev-team', []],
      ['shop', ['hubble-ui', 'grafana']],
    ]);
    // a second look within the cache time asks the console nothing but (at most) who the caller is
    const calls = st.console.calls.length;
    await fetch(`${st.url}/api/v1/teams`, { headers: st.headers('root') });
    expect(st.console.calls.slice(calls).filter((c) => c.path !== '/console/users/details')).toEqual([]);
    expect(calls - before).toBeLessThanOrEqual(2 * 2 + 3);
  });
});

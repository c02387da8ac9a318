/**
 * The console is the source of truth for what the plugin made: two replicas racing, a restart, and a user's
 * own app that happens to carry the plugin's default name. Real HTTP against the loopback fakes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Tool } from '../../contract';
import { REGION, startBackend, startStack, type RunningBackend, type Stack } from '../support/stack';

const ADMIN = {
  user_id: 9,
  nick_name: 'root',
  is_enterprise_admin: true,
  teams: [{ team_name: 'dev-team', team_alias: '开发团队', namespace: 'dev-team', regions: [REGION] }],
};

let stack: Stack | undefined;
const replicas: RunningBackend[] = [];
afterEach(async () => {
  for (const r of replicas.splice(0)) await r.close();
  await stack?.close();
  stack = undefined;
});

async function call(base: string, s: Stack, method: string, path: string, body?: unknown) {
  const url = `${base}/api/v1/${path}${path.includes('?') ? '&' : '?'}team=dev-team&region=${REGION}`;
  const res = await fetch(url, {
    method,
    headers: s.headers('root'),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Tool & { error?: { code: string } } };
}

describe('two replicas sharing one console', () => {
  it('10 concurrent registrations through each end with one app and one component per tool', async () => {
    // the console checks uniqueness and then inserts; a 250 ms window lets racing creations both pass the check
    stack = await startStack({ users: [ADMIN], console: { checkThenInsertMs: 250 } });
    const s = stack;
    const second = await startBackend({ kube: s.kube, console: s.console });
    replicas.push(second);
    const tools = ['hubble-ui', 'grafana', 'prometheus'] as const;
    const calls = [s.url, second.url].flatMap((base) =>
      Array.from({ length: 10 }, (_, i) => call(base, s, 'POST', `tools/${tools[i % 3]}/registration`, {})),
    );
    const results = await Promise.all(calls);
    const created = (suffix: string) =>
      s.console.calls.filter((c) => c.method === 'POST' && c.path.endsWith(suffix) && c.status === 200)
        .length;
    // the race happened: both replicas created an app, and at least one tool got two components
    expect(created('/groups')).toBe(2);
    expect(created('/apps/third_party')).toBeGreaterThan(3);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const state = s.console.state();
    expect(state.apps.filter((a) => a.k8sApp === 'cilium-observability')).toHaveLength(1);
    expect(state.components.map((c) => c.k8sComponentName).sort()).toEqual([
      'grafana',
      'hubble-ui',
      'prometheus',
    ]);
    // every answer names the one app that survived
    const appId = state.apps[0]?.appId;
    expect(new Set(results.map((r) => r.body.registration?.appId))).toEqual(new Set([appId]));
    expect(s.console.unknownRequests).toEqual([]);
  });
});

describe('after a restart', () => {
  it('finds a custom-named app with open access: status, close and remove all work', async () => {
    stack = await startStack({ users: [ADMIN] });
    const s = stack;
    const first = await startBackend({ kube: s.kube, console: s.console });
    expect(
      (await call(first.url, s, 'POST', 'tools/grafana/registration', { appName: '网络观测' })).status,
    ).toBe(200);
    const opened = await call(first.url, s, 'PUT', 'tools/grafana/access', {
      external: true,
      mode: 'open',
      acknowledgedRisks: ['NO_AUTH', 'ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS'],
    });
    expect(opened.status).toBe(200);
    expect(opened.body.access.external).toBe(true);
    await first.close();

    const restarted = await startBackend({ kube: s.kube, console: s.console });
    replicas.push(restarted);
    const seen = await call(restarted.url, s, 'GET', 'tools/grafana');
    expect(seen.body.registration).toMatchObject({ appName: '网络观测' });
    expect(seen.body.access.external).toBe(true);
    const closed = await call(restarted.url, s, 'PUT', 'tools/grafana/access', { external: false });
    expect(closed.status).toBe(200);
    expect(closed.body.access.external).toBe(false);
    const removed = await call(restarted.url, s, 'DELETE', 'tools/grafana/registration');
    expect(removed.status).toBe(200);
    expect(removed.body.registration).toBeNull();
    expect(s.console.state().apps).toEqual([]);
    expect(s.console.state().components).toEqual([]);
  });
});

describe("a user's own app named like the plugin's", () => {
  it('is never adopted, and unregistering leaves it alone', async () => {
    stack = await startStack({ users: [ADMIN] });
    const s = stack;
    const ctx = { jwt: s.token('root'), team: 'dev-team', region: REGION };
    // the user made "Cilium-Observability" themselves, with their own k8s_app
    const res = await fetch(`${s.console.url}/console/teams/dev-team/groups?region_name=${REGION}`, {
      method: 'POST',
      headers: { Authorization: `GRJWT ${ctx.jwt}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ app_name: 'Cilium-Observability', k8s_app: 'my-app' }),
    });
    expect(res.status).toBe(200);

    const before = await call(s.url, s, 'GET', 'tools/hubble-ui');
    expect(before.body.registration).toBeNull();
    const reg = await call(s.url, s, 'POST', 'tools/hubble-ui/registration', {});
    expect(reg.status).toBe(200);
    const apps = s.console.state().apps;
    expect(apps.map((a) => [a.name, a.k8sApp]).sort()).toEqual([
      ['Cilium-Observability', 'my-app'],
      ['Cilium-Observability-2', 'cilium-observability'],
    ]);
    expect(reg.body.registration?.appName).toBe('Cilium-Observability-2');

    expect((await call(s.url, s, 'DELETE', 'tools/hubble-ui/registration')).status).toBe(200);
    expect(s.console.state().apps.map((a) => a.k8sApp)).toEqual(['my-app']);
  });
});

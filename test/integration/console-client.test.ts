/** The console client: error mapping (table), wire details over real HTTP, and the fake's plugin routes. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleClient } from '../../server/clients/rainbond/console-client';
import { toConsoleError } from '../../server/clients/rainbond/console-errors';
import { createLogger, silentLogger } from '../../server/log';
import { createMetrics } from '../../server/metrics';
import { startFakeConsole, type FakeConsole } from '../fakes/console';
import { signJwt, verifyJwt } from '../fakes/jwt';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function fakeConsole(opts: Parameters<typeof startFakeConsole>[0] = {}): Promise<FakeConsole> {
  const f = await startFakeConsole(opts);
  closers.push(() => f.close());
  return f;
}

/** A tiny backend standing in for the plugin backend / frontend bundle server. */
async function backend(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => s.close(() => r())));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe('toConsoleError', () => {
  it.each([
    [
      { status: 401, body: { code: 10405, msg: 'Signature has expired.' } },
      'UNAUTHENTICATED',
      'unauthenticated',
    ],
    [{ status: 400, body: { code: 10405 } }, 'UNAUTHENTICATED', 'unauthenticated'],
    [{ status: 403, body: { code: 10402, msg: 'no permissions' } }, 'FORBIDDEN', 'forbidden'],
    [{ status: 200, body: { code: 10402 } }, 'FORBIDDEN', 'forbidden'],
    [{ status: 404, body: { code: 404, msg: 'service not found' } }, 'NOT_FOUND', 'not-found'],
    [{ status: 404, body: { code: 1404, msg: 'domain not found' } }, 'NOT_FOUND', 'not-found'],
    [
      { status: 409, body: { code: 20501, msg: 'component port already exists' } },
      'UPSTREAM_ERROR',
      'exists',
    ],
    [{ status: 409, body: { code: 20500, msg: 'k8s service name exists' } }, 'UPSTREAM_ERROR', 'exists'],
    [{ status: 400, body: { code: 21003, msg: 'k8s app name exists' } }, 'UPSTREAM_ERROR', 'exists'],
    [{ status: 400, body: { code: 20802 } }, 'UPSTREAM_ERROR', 'exists'],
    [{ status: 400, body: { code: 400, msg: 'app name exist' } }, 'UPSTREAM_ERROR', 'exists'],
    [{ status: 409, body: { code: 409, msg: 'wait a moment please' } }, 'UPSTREAM_ERROR', 'conflict'],
    [{ status: 400, body: { code: 400, msg: 'the component has been built' } }, 'UPSTREAM_ERROR', 'rejected'],
    [{ status: 400, body: { detail: '参数错误', code: 20400 } }, 'UPSTREAM_ERROR', 'rejected'],
    [{ status: 412, body: undefined }, 'UPSTREAM_ERROR', 'rejected'],
    [
      { status: 500, body: { code: 10401, msg: 'boom', msg_show: 'Traceback ...' } },
      'UPSTREAM_ERROR',
      'server',
    ],
    [{ status: 503, body: 'html' }, 'UPSTREAM_ERROR', 'server'],
    [{ transport: 'timeout' as const, detail: '100 ms' }, 'UPSTREAM_ERROR', 'timeout'],
    [{ transport: 'network' as const, detail: 'ECONNREFUSED' }, 'UPSTREAM_ERROR', 'network'],
  ])('maps %j to %s (%s)', (input, code, reason) => {
    const e = toConsoleError({ op: 'do it', ...input });
    expect(e.code).toBe(code);
    expect(e.reason).toBe(reason);
    if (code === 'UPSTREAM_ERROR') expect(e.message).toMatch(/^console: /);
  });

  it('summarises what the console said and never echoes tracebacks or tokens', () => {
    const jwt = signJwt({ user_id: 1 }, 's');
    const e = toConsoleError({
      op: 'create app',
      status: 500,
      body: {
        code: 10401,
        msg: `db down\n${'x'.repeat(400)} ${jwt}`,
        msg_show: 'Traceback (most recent call last)',
      },
    });
    expect(e.message.startsWith('console: failed to create app (HTTP 500): db down x')).toBe(true);
    expect(e.message.length).toBeLessThan(220);
    expect(e.message).not.toContain('Traceback');
    expect(e.message).not.toContain('\n');
    expect(e.status).toBe(502);
  });
});

describe('createConsoleClient over HTTP', () => {
  it('reads the user identity from /console/users/details', async () => {
    const f = await fakeConsole({
      users: [
        {
          user_id: 7,
          nick_name: 'alice',
          is_enterprise_admin: false,
          teams: [
            { team_name: 'dev', team_alias: '开发', namespace: 'dev-ns', regions: ['rainbond'] },
            { team_name: 'qa', namespace: 'qa', regions: [], owner: true },
            { team_name: 'ops', namespace: 'ops', regions: [], roles: ['观察者', 'SRE'] },
          ],
        },
      ],
    });
    const client = createConsoleClient({ baseUrl: f.url, timeoutMs: 2000, log: silentLogger });
    expect(await client.userDetails(f.mintToken('alice'))).toEqual({
      userId: 7,
      userName: 'alice',
      enterpriseId: f.enterpriseId,
      isEnterpriseAdmin: false,
      // the console lists the teams the user owns first; the owner also holds the 管理员 role
      teams: [
        { name: 'qa', alias: 'qa', namespace: 'qa', regions: [], isOwner: true, roles: ['管理员'] },
        {
          name: 'dev',
          alias: '开发',
          namespace: 'dev-ns',
          regions: [{ name: 'rainbond', alias: '默认集群' }],
          isOwner: false,
          roles: ['开发者'],
        },
        {
          name: 'ops',
          alias: 'ops',
          namespace: 'ops',
          regions: [],
          isOwner: false,
          roles: ['观察者', 'SRE'],
        },
      ],
    });
    expect(f.calls[0]).toMatchObject({ method: 'GET', path: '/console/users/details', status: 200 });
  });

  it('sends Authorization: GRJWT and region_name, logs at debug without the JWT, and counts the call', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const url = await backend((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ code: 200, msg: 'success', data: { bean: {}, list: [] } }));
    });
    const lines: string[] = [];
    const metrics = createMetrics();
    const client = createConsoleClient({
      baseUrl: url,
      timeoutMs: 2000,
      log: createLogger('debug', (l) => lines.push(l)),
      metrics,
    });
    const jwt = signJwt({ user_id: 1 }, 'secret');
    expect(await client.listApps({ jwt, team: 'dev', region: 'r1' })).toEqual([]);
    expect(seen[0]?.authorization).toBe(`GRJWT ${jwt}`);
    expect(lines.join('\n')).not.toContain(jwt.split('.')[2] ?? 'x');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'debug',
      method: 'GET',
      path: '/console/teams/dev/groups',
      status: 200,
    });
    expect(metrics.render()).toContain('upstream="console"');
  });

  it('maps an unreachable console and a slow console to UPSTREAM_ERROR', async () => {
    const closed = await backend(() => undefined);
    await closers.pop()?.();
    const ctx = { jwt: 'j', team: 'dev', region: 'r' };
    await expect(
      createConsoleClient({ baseUrl: closed, timeoutMs: 500, log: silentLogger }).listApps(ctx),
    ).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', reason: 'network' });
    const slow = await backend(() => undefined);
    await expect(
      createConsoleClient({ baseUrl: slow, timeoutMs: 150, log: silentLogger }).listApps(ctx),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      reason: 'timeout',
      message: 'console: no answer to list apps within 150 ms',
    });
  });

  it('treats the code-202 answer for a deleted app as an empty component list', async () => {
    const f = await fakeConsole();
    const client = createConsoleClient({ baseUrl: f.url, timeoutMs: 2000, log: silentLogger });
    expect(
      await client.listAppComponents({ jwt: f.mintToken('admin'), team: 'dev', region: 'rainbond' }, 99),
    ).toEqual([]);
  });
});

describe('fake console contract', () => {
  const get = (f: FakeConsole, path: string, headers: Record<string, string> = {}) =>
    fetch(f.url + path, { headers }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

  it('enforces JWT (header or cookie), region_name, team existence and membership', async () => {
    const f = await fakeConsole();
    const jwt = f.mintToken('admin');
    expect((await get(f, '/console/users/details')).body).toMatchObject({ code: 10405 });
    expect((await get(f, '/console/users/details', { Authorization: `Bearer ${jwt}` })).status).toBe(401);
    expect((await get(f, '/console/users/details', { Authorization: `JWT ${jwt}` })).status).toBe(200);
    expect((await get(f, '/console/users/details', { Cookie: `token=${jwt}` })).status).toBe(200);
    const auth = { Authorization: `GRJWT ${jwt}` };
    expect(await get(f, '/console/teams/dev/groups', auth)).toMatchObject({
      status: 400,
      body: { msg_show: '请求参数不全' },
    });
    expect((await get(f, '/console/teams/nope/groups?region_name=rainbond', auth)).status).toBe(404);
    expect((await get(f, '/console/teams/dev/groups?region_name=rainbond', auth)).status).toBe(200);
    expect(await get(f, '/console/teams/dev/nothing?region_name=rainbond', auth)).toMatchObject({
      status: 404,
    });
    expect(f.unknownRequests.map((c) => c.path)).toEqual(['/console/teams/dev/nothing']);
  });

  it('mints HS256 tokens that verify, expire and reject forgeries', () => {
    const t = signJwt({ user_id: 3, exp: 100 }, 'k');
    expect(verifyJwt(t, 'k', 50)).toMatchObject({ ok: true, claims: { user_id: 3 } });
    expect(verifyJwt(t, 'k', 200)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyJwt(t, 'other', 50)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyJwt('a.b', 'k')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses open_outer before the inner port is open, and duplicate ports with 409/20501', async () => {
    const f = await fakeConsole();
    const client = createConsoleClient({ baseUrl: f.url, timeoutMs: 2000, log: silentLogger });
    const ctx = { jwt: f.mintToken('admin'), team: 'dev', region: 'rainbond' };
    const app = await client.createApp(ctx, { appName: 'a', k8sApp: 'a' });
    const c = await client.createThirdPartyComponent(ctx, {
      appId: app.appId,
      cname: 'Grafana',
      k8sComponentName: 'grafana',
      serviceName: 'grafana',
      namespace: 'mon',
    });
    expect(await client.componentStatus(ctx, c.alias)).toBe('unKnow');
    await client.buildComponent(ctx, c.alias);
    await expect(client.buildComponent(ctx, c.alias)).rejects.toMatchObject({ reason: 'rejected' });
    expect(await client.componentStatus(ctx, c.alias)).toBe('closed');
    await client.addPort(ctx, c.alias, {
      port: 3000,
      protocol: 'http',
      portAlias: 'GRAFANA3000',
      inner: false,
      outer: false,
    });
    await expect(
      client.addPort(ctx, c.alias, {
        port: 3000,
        protocol: 'http',
        portAlias: 'GRAFANA3000',
        inner: true,
        outer: false,
      }),
    ).rejects.toMatchObject({ reason: 'exists', consoleCode: 20501, httpStatus: 409 });
    await expect(client.changePort(ctx, c.alias, 3000, 'open_outer')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      client.createThirdPartyComponent(ctx, {
        appId: app.appId,
        cname: 'G2',
        k8sComponentName: 'grafana',
        serviceName: 's',
        namespace: 'n',
      }),
    ).rejects.toMatchObject({ reason: 'exists', consoleCode: 20802 });
    await expect(client.createApp(ctx, { appName: 'b', k8sApp: 'a' })).rejects.toMatchObject({
      consoleCode: 21003,
    });
    await expect(client.createApp(ctx, { appName: 'Has Space', k8sApp: 'c' })).rejects.toMatchObject({
      reason: 'rejected',
    });
    await expect(client.deleteApp(ctx, app.appId)).rejects.toMatchObject({ reason: 'conflict' });
  });

  it('lists the plugin and serves its bundle as application/javascript, always 200', async () => {
    const front = await backend((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('define([], function () { return {}; });');
    });
    const f = await fakeConsole({
      plugin: { name: 'cilium-observability', frontendUrl: `${front}/static/main.js`, backendUrl: front },
    });
    const list = await get(f, `/console/enterprise/${f.enterpriseId}/regions/rainbond/plugins`, {
      Authorization: `GRJWT ${f.mintToken('admin')}`,
    });
    expect(list.body).toMatchObject({
      data: { list: [{ name: 'cilium-observability', plugin_type: 'JSInject', enable_status: 'true' }] },
    });
    const js = await fetch(`${f.url}/console/regions/rainbond/static/plugins/cilium-observability`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('application/javascript');
    expect(await js.text()).toContain('define(');
    const missing = await fetch(`${f.url}/console/regions/rainbond/static/plugins/other`);
    expect(missing.status).toBe(200);
  });

  it.each([
    ['6.9.8', true],
    ['6.8.0', false],
  ])('proxies the plugin backend like console %s (moves Authorization: %s)', async (version, moved) => {
    const seen: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const back = await backend((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    const f = await fakeConsole({
      consoleVersion: version,
      plugin: { name: 'cilium-observability', frontendUrl: `${back}/static/main.js`, backendUrl: back },
    });
    const jwt = f.mintToken('admin');
    const r = await fetch(
      `${f.url}/console/regions/rainbond/backend/plugins/cilium-observability/api/v1/status?team=dev&region=rainbond`,
      {
        method: 'POST',
        headers: { Authorization: `GRJWT ${jwt}`, 'Content-Type': 'application/json' },
        body: '{"x":1}',
      },
    );
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ ok: true });
    expect(seen[0]?.url).toBe('/api/v1/status?team=dev&region=rainbond');
    expect(seen[0]?.body).toBe('{"x":1}');
    if (moved) {
      expect(seen[0]?.headers['x-original-authorization']).toBe(`GRJWT ${jwt}`);
      expect(seen[0]?.headers.authorization).toBe('');
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    } else {
      expect(seen[0]?.headers.authorization).toBe(`GRJWT ${jwt}`);
      expect(seen[0]?.headers['x-original-authorization']).toBeUndefined();
    }
    const anon = await fetch(
      `${f.url}/console/regions/rainbond/backend/plugins/cilium-observability/api/v1/status`,
    );
    expect(anon.status).toBe(401);
  });

  it('answers 502 JSON when the plugin backend is unreachable', async () => {
    const gone = await backend(() => undefined);
    await closers.pop()?.();
    const f = await fakeConsole({ plugin: { name: 'p', frontendUrl: `${gone}/m.js`, backendUrl: gone } });
    const r = await fetch(`${f.url}/console/regions/rainbond/backend/plugins/p/healthz`, {
      headers: { Cookie: `token=${f.mintToken('admin')}` },
    });
    expect(r.status).toBe(502);
    expect(await r.json()).toMatchObject({ code: 502, plugin: 'p' });
  });
});

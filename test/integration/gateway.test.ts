/**
 * The authenticating gateway listener over real HTTP: launch tickets (single use, bound to user, tool and host,
 * ≤ 60 s), sessions (cookie attributes, one host, idle and absolute lifetime, logout, revocation), what the tool
 * receives and what the client gets back, WebSockets, unbuffered streams, two replicas sharing SESSION_SECRET and
 * malformed requests. The tools are a recording stand-in; time moves by the backend's injected clock.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LaunchResultSchema, ToolSchema, type Tool, type ToolId } from '../../contract';
import { sandboxCluster } from '../fixtures/cluster';
import { eventually } from '../support/eventually';
import {
  gatewayRequest,
  pluginService,
  sessionCookieOf,
  splitUrl,
  startToolStandIn,
  STREAM_BYTES,
  type ToolStandIn,
} from '../support/gateway';
import { startBackend, startStack, type RunningBackend, type Stack } from '../support/stack';

const SECRET = 'a-session-secret-of-at-least-32-bytes!';
const MIN = 60_000;

let tool: ToolStandIn;
let s: Stack;
let offset = 0;
const clock = () => Date.now() + offset;

async function stack(env: Record<string, string> = {}): Promise<Stack> {
  return startStack({
    objects: [...sandboxCluster(), pluginService()],
    env: {
      TOOL_UPSTREAMS: `hubble-ui=${tool.url},grafana=${tool.url},prometheus=${tool.url}`,
      SESSION_SECRET: SECRET,
      SELF_SERVICE: 'rbd-plugins/cilium-observability',
      GRAFANA_AUTH_PROXY_HEADER: 'X-WEBAUTH-USER',
      CONSOLE_PUBLIC_URL: 'https://console.example.test',
      AUTH_CACHE_SECONDS: '0',
      ...env,
    },
    backend: { clock },
  });
}

async function api(st: Stack, method: string, path: string, body?: unknown, user = 'root') {
  const res = await fetch(st.api(path), {
    method,
    headers: st.headers(user),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

/** Registers `id` and switches it to protected; returns the Tool (access.urls[0] is the gateway host). */
async function protect(st: Stack, id: ToolId): Promise<Tool> {
  expect((await api(st, 'POST', `tools/${id}/registration`, {})).status).toBe(200);
  const r = await api(st, 'PUT', `tools/${id}/access`, { external: true });
  expect(r.status).toBe(200);
  return ToolSchema.parse(r.json);
}

async function launch(st: Stack, id: ToolId, path?: string, user = 'root') {
  const r = await api(st, 'POST', `tools/${id}/launch`, path === undefined ? {} : { path }, user);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return LaunchResultSchema.parse(r.json);
}

/** Launch + redeem as the browser does: the session cookie and the tool's host. */
async function session(st: Stack, id: ToolId, base = st.gatewayUrl, user = 'root') {
  const l = await launch(st, id, '/echo/start', user);
  const { host, path } = splitUrl(l.url);
  const r = await gatewayRequest(base, path, { host });
  expect(r.status).toBe(303);
  const cookie = sessionCookieOf(r.headers);
  expect(cookie).not.toBeNull();
  return { host, cookie: cookie ?? '' };
}

beforeAll(async () => {
  tool = await startToolStandIn();
});
afterAll(async () => {
  await tool.close();
});
afterEach(() => {
  offset = 0;
});

describe('launch tickets', () => {
  let prom: Tool;
  let graf: Tool;
  beforeAll(async () => {
    s = await stack();
    prom = await protect(s, 'prometheus');
    graf = await protect(s, 'grafana');
  });
  afterAll(() => s.close());

  it('a launch URL lands on the requested path on the protected host, signed in, with a host-only cookie', async () => {
    const l = await launch(s, 'prometheus', '/graph?g0.expr=up');
    expect(new Date(l.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    const { host, path } = splitUrl(l.url);
    expect(`http://${host}`).toBe(prom.access.urls[0]);
    expect(path).toMatch(/^\/__cobs\/launch\?ticket=v1\./);
    const r = await gatewayRequest(s.gatewayUrl, path, { host });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/graph?g0.expr=up');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['cache-control']).toBe('no-store');
    const set = (r.headers['set-cookie'] ?? []).join('\n');
    expect(set).toMatch(/^cobs_session=v1\.[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(set).not.toMatch(/Domain=/i);
    const page = await gatewayRequest(s.gatewayUrl, '/graph?g0.expr=up', {
      host,
      headers: { cookie: sessionCookieOf(r.headers) ?? '' },
    });
    expect(page.status).toBe(200);
    expect(JSON.parse(page.body)).toMatchObject({ url: '/graph?g0.expr=up' });
  });

  it('is single use: the second redemption is refused and opens no session', async () => {
    const { host, path } = splitUrl((await launch(s, 'prometheus')).url);
    expect((await gatewayRequest(s.gatewayUrl, path, { host })).status).toBe(303);
    const again = await gatewayRequest(s.gatewayUrl, path, { host });
    expect(again.status).toBe(401);
    expect(again.body).toContain('data-cobs-page="ticket-used"');
    expect(sessionCookieOf(again.headers)).toBeNull();
  });

  it('expires after 60 s', async () => {
    const { host, path } = splitUrl((await launch(s, 'prometheus')).url);
    offset = 61_000;
    const r = await gatewayRequest(s.gatewayUrl, path, { host });
    expect(r.status).toBe(401);
    expect(r.body).toContain('data-cobs-page="ticket-invalid"');
    expect(sessionCookieOf(r.headers)).toBeNull();
  });

  it("is refused on another tool's host, and the refusal does not use it up", async () => {
    const { host, path } = splitUrl((await launch(s, 'prometheus')).url);
    const grafHost = new URL(graf.access.urls[0] ?? '').host;
    const wrong = await gatewayRequest(s.gatewayUrl, path, { host: grafHost });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('data-cobs-page="ticket-host"');
    expect((await gatewayRequest(s.gatewayUrl, path, { host })).status).toBe(303);
  });

  it('a changed or forged ticket is refused', async () => {
    const { host, path } = splitUrl((await launch(s, 'prometheus')).url);
    const flipped = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const p of [
      flipped,
      '/__cobs/launch?ticket=v1.AAAA',
      '/__cobs/launch',
      '/__cobs/launch?ticket=' + 'x'.repeat(5000),
    ])
      expect((await gatewayRequest(s.gatewayUrl, p, { host })).status).toBe(401);
  });

  it('is bound to its user: the session carries that user to Grafana, never the client’s claim', async () => {
    const { host, cookie } = await session(s, 'grafana');
    await gatewayRequest(s.gatewayUrl, '/d/vtuWtdumz', {
      host,
      headers: { cookie, 'x-webauth-user': 'mallory' },
    });
    expect(tool.received.at(-1)?.headers['x-webauth-user']).toBe('root');
  });

  it('launch is 403 for a user TOOL_VIEWERS does not allow, 409 when not protected, 400 for URLs', async () => {
    const denied = await api(s, 'POST', 'tools/prometheus/launch', {}, 'alice');
    expect(denied.status).toBe(403);
    expect(denied.json.error).toMatchObject({ code: 'FORBIDDEN', details: { required: 'enterprise-admin' } });
    expect((await api(s, 'POST', 'tools/hubble-ui/launch', {})).json.error).toMatchObject({
      code: 'NOT_REGISTERED',
    });
    for (const path of [
      '//evil.example',
      'http://evil.example/',
      '/a/../b',
      '/%2e%2e/x',
      '/__cobs/logout',
      'graph',
    ])
      expect((await api(s, 'POST', 'tools/prometheus/launch', { path })).status, path).toBe(400);
    const launched = await fetch(s.api('tools/prometheus/launch'), {
      method: 'POST',
      headers: s.headers('root'),
      body: '{}',
    });
    expect(launched.headers.get('cache-control')).toBe('no-store');
    await launched.body?.cancel();
  });

  it('launch is 409 NOT_PROTECTED once the tool is open or closed', async () => {
    expect((await api(s, 'POST', 'tools/hubble-ui/registration', {})).status).toBe(200);
    expect((await api(s, 'POST', 'tools/hubble-ui/launch', {})).json.error).toMatchObject({
      code: 'NOT_PROTECTED',
    });
    await api(s, 'PUT', 'tools/hubble-ui/access', {
      external: true,
      mode: 'open',
      acknowledgedRisks: ['NO_AUTH'],
    });
    expect((await api(s, 'POST', 'tools/hubble-ui/launch', {})).json.error).toMatchObject({
      code: 'NOT_PROTECTED',
    });
  });
});

describe('sessions', () => {
  let prom: Tool;
  let graf: Tool;
  beforeAll(async () => {
    s = await stack();
    prom = await protect(s, 'prometheus');
    graf = await protect(s, 'grafana');
  });
  afterAll(() => s.close());

  it('without a session: the protected page in zh-CN and en with the console link, never the tool', async () => {
    const n = tool.received.length;
    const host = new URL(prom.access.urls[0] ?? '').host;
    const r = await gatewayRequest(s.gatewayUrl, '/graph', { host, headers: { 'accept-language': 'en' } });
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; .*frame-ancestors 'none'$/,
    );
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers.location).toBeUndefined();
    expect(r.body).toContain('This tool is protected');
    expect(r.body).toContain('此工具受保护');
    expect(r.body.indexOf('This tool is protected')).toBeLessThan(r.body.indexOf('此工具受保护'));
    expect(r.body).toContain('href="https://console.example.test"');
    expect(tool.received.length).toBe(n);
  });

  it('a session works only on its own host', async () => {
    const { cookie } = await session(s, 'prometheus');
    const grafHost = new URL(graf.access.urls[0] ?? '').host;
    const r = await gatewayRequest(s.gatewayUrl, '/echo', { host: grafHost, headers: { cookie } });
    expect(r.status).toBe(401);
  });

  it('is Secure when the client came over https (X-Forwarded-Proto)', async () => {
    const { host, path } = splitUrl((await launch(s, 'prometheus')).url);
    const r = await gatewayRequest(s.gatewayUrl, path, { host, headers: { 'x-forwarded-proto': 'https' } });
    expect((r.headers['set-cookie'] ?? []).join()).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('ends after 30 minutes idle; requests renew it', async () => {
    const { host, cookie } = await session(s, 'prometheus');
    let c = cookie;
    for (let i = 1; i <= 3; i++) {
      offset = i * 20 * MIN;
      const r = await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie: c } });
      expect(r.status, `after ${i * 20} min`).toBe(200);
      c = sessionCookieOf(r.headers) ?? c;
      // the tool's own cookie still reaches the browser beside ours
      expect((r.headers['set-cookie'] ?? []).some((x) => x.startsWith('tool_cookie='))).toBe(true);
    }
    offset += 31 * MIN;
    const idle = await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie: c } });
    expect(idle.status).toBe(401);
    expect(idle.body).toContain('data-cobs-page="session-ended"');
    expect((idle.headers['set-cookie'] ?? []).join()).toMatch(/^cobs_session=; Max-Age=0/);
  });

  it('a client still sending the old cookie after a renewal gets that same renewal, not a new one each time', async () => {
    const { host, cookie } = await session(s, 'prometheus');
    offset = 20 * MIN;
    const first = await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } });
    const renewed = sessionCookieOf(first.headers);
    expect(renewed).not.toBeNull();
    expect(renewed).not.toBe(cookie);
    offset = 20 * MIN + 5000;
    const again = await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } });
    expect(again.status).toBe(200);
    expect(sessionCookieOf(again.headers)).toBe(renewed);
    // later than half a renewal period: renewed afresh
    offset = 21 * MIN;
    const later = await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } });
    expect(sessionCookieOf(later.headers)).not.toBe(renewed);
  });

  it('ends 8 hours after the launch, however active', async () => {
    const { host, cookie } = await session(s, 'prometheus');
    let c = cookie;
    for (let m = 25; m < 8 * 60; m += 25) {
      offset = m * MIN;
      const r = await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie: c } });
      expect(r.status, `after ${m} min`).toBe(200);
      c = sessionCookieOf(r.headers) ?? c;
    }
    offset = 8 * 60 * MIN + MIN;
    expect((await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie: c } })).status).toBe(401);
  });

  it('logout clears the cookie and this replica refuses the old one', async () => {
    const { host, cookie } = await session(s, 'prometheus');
    const out = await gatewayRequest(s.gatewayUrl, '/__cobs/logout', {
      host,
      method: 'POST',
      headers: { cookie },
    });
    expect(out.status).toBe(200);
    expect(out.body).toContain('data-cobs-page="signed-out"');
    expect((out.headers['set-cookie'] ?? []).join()).toMatch(/^cobs_session=; Max-Age=0; Path=\/; HttpOnly/);
    expect((await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } })).status).toBe(401);
  });

  it('a forged session cookie is the protected page, and the cookie is cleared', async () => {
    const host = new URL(prom.access.urls[0] ?? '').host;
    const r = await gatewayRequest(s.gatewayUrl, '/echo', {
      host,
      headers: { cookie: 'cobs_session=v1.Zm9yZ2Vk' },
    });
    expect(r.status).toBe(401);
    expect((r.headers['set-cookie'] ?? []).join()).toMatch(/^cobs_session=; Max-Age=0/);
  });
});

describe('revocation', () => {
  beforeAll(async () => {
    s = await stack({ SESSION_RECHECK_SECONDS: '5' });
    await protect(s, 'prometheus');
  });
  afterAll(() => s.close());

  const root = () => s.console.users.find((u) => u.nick_name === 'root');

  it('removed from the team: the next check (≤ 5 min, here 5 s) ends the session', async () => {
    const { host, cookie } = await session(s, 'prometheus');
    const u = root();
    const teams = u?.teams ?? [];
    try {
      if (u) u.teams = teams.filter((t) => t.team_name !== 'dev-team');
      expect((await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } })).status).toBe(200);
      offset = 6000;
      const r = await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } });
      expect(r.status).toBe(401);
      expect(r.body).toContain('data-cobs-page="revoked"');
    } finally {
      if (u) u.teams = teams;
    }
  });

  it('enterprise admin taken away (TOOL_VIEWERS=enterprise-admins): access ends, also for an open WebSocket', async () => {
    const { host, cookie } = await session(s, 'prometheus');
    const ws = new WebSocket(`${s.gatewayUrl.replace('http', 'ws')}/ws`, { headers: { host, cookie } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise((r) => ws.once('close', r));
    const u = root();
    try {
      if (u) u.is_enterprise_admin = false;
      offset = 6000;
      expect((await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } })).status).toBe(401);
      await closed;
    } finally {
      if (u) u.is_enterprise_admin = true;
    }
  });

  it('a console that does not answer fails closed (503), and access resumes when it answers', async () => {
    const { host, cookie } = await session(s, 'prometheus');
    offset = 6000;
    s.console.failNext({ pathPattern: '/console/users/details', status: 'timeout' });
    const r = await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } });
    expect(r.status).toBe(503);
    expect(r.body).toContain('data-cobs-page="check-failed"');
    expect((await gatewayRequest(s.gatewayUrl, '/echo', { host, headers: { cookie } })).status).toBe(200);
  }, 15_000);
});

describe('what the tool receives and what the client gets', () => {
  let graf: { host: string; cookie: string };
  let prom: { host: string; cookie: string };
  beforeAll(async () => {
    s = await stack();
    await protect(s, 'grafana');
    await protect(s, 'prometheus');
    graf = await session(s, 'grafana');
    prom = await session(s, 'prometheus');
  });
  afterAll(() => s.close());

  const forged = (cookie: string) => ({
    cookie: `${cookie}; token=${s.token('root')}; grafana_session=g123`,
    authorization: 'Bearer secret',
    'x-original-authorization': `GRJWT ${s.token('root')}`,
    'x-webauth-user': 'mallory',
    'x-webauth-email': 'mallory@example.test',
    'x-forwarded-user': 'mallory',
    'remote-user': 'mallory',
    'proxy-authorization': 'Basic eDp5',
    connection: 'keep-alive, X-Hop',
    'x-hop': 'drop me',
    'keep-alive': 'timeout=5',
    te: 'trailers',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    'x-grafana-org-id': '1',
  });

  it('strips our cookie, the console token, Authorization and identity headers; sets X-Forwarded-*', async () => {
    await gatewayRequest(s.gatewayUrl, '/echo/p?q=1', { host: prom.host, headers: forged(prom.cookie) });
    const h = tool.received.at(-1)?.headers ?? {};
    expect(tool.received.at(-1)?.url).toBe('/echo/p?q=1');
    expect(h.cookie).toBe('grafana_session=g123');
    for (const name of [
      'authorization',
      'x-original-authorization',
      'x-webauth-user',
      'x-webauth-email',
      'x-forwarded-user',
      'remote-user',
      'proxy-authorization',
      'x-hop',
      'keep-alive',
      'te',
    ])
      expect(h[name], name).toBeUndefined();
    expect(h.host).toBe(prom.host);
    expect(h['x-forwarded-host']).toBe(prom.host);
    expect(h['x-forwarded-proto']).toBe('https');
    expect(h['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(h['x-grafana-org-id']).toBe('1');
  });

  it('sets X-WEBAUTH-USER to the Rainbond user for Grafana only', async () => {
    await gatewayRequest(s.gatewayUrl, '/d/abc', { host: graf.host, headers: forged(graf.cookie) });
    expect(tool.received.at(-1)?.headers['x-webauth-user']).toBe('root');
    expect(tool.received.at(-1)?.headers['x-webauth-email']).toBeUndefined();
  });

  it('without GRAFANA_AUTH_PROXY_HEADER no identity header reaches Grafana at all', async () => {
    const plain = await stack({ GRAFANA_AUTH_PROXY_HEADER: '' });
    try {
      await protect(plain, 'grafana');
      const g = await session(plain, 'grafana');
      await gatewayRequest(plain.gatewayUrl, '/d/abc', { host: g.host, headers: forged(g.cookie) });
      expect(tool.received.at(-1)?.headers['x-webauth-user']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it('drops hop-by-hop response headers and those the tool named in Connection', async () => {
    const r = await gatewayRequest(s.gatewayUrl, '/hop', {
      host: prom.host,
      headers: { cookie: prom.cookie },
    });
    expect(r.status).toBe(200);
    expect(r.headers['x-up-hop']).toBeUndefined();
    expect(r.headers['keep-alive']).toBeUndefined();
    expect(r.headers['x-kept']).toBe('yes');
  });

  it('passes a POST body through', async () => {
    const r = await gatewayRequest(s.gatewayUrl, '/echo/post', {
      host: prom.host,
      method: 'POST',
      headers: { cookie: prom.cookie, 'content-type': 'text/plain' },
      body: 'hello tool',
    });
    expect(JSON.parse(r.body)).toMatchObject({ method: 'POST', body: 'hello tool' });
  });

  it('passes a chunked POST body, and one sent after Expect: 100-continue, whole', async () => {
    const u = new URL(s.gatewayUrl);
    const { request } = await import('node:http');
    const post = (headers: Record<string, string>, send: (req: import('node:http').ClientRequest) => void) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: u.hostname,
            port: u.port,
            path: '/echo/chunks',
            method: 'POST',
            headers: { host: prom.host, cookie: prom.cookie, ...headers },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        send(req);
      });
    const chunked = await post({ 'transfer-encoding': 'chunked' }, (req) => {
      req.write('one,');
      setTimeout(() => req.end('two'), 20);
    });
    expect(chunked.status).toBe(200);
    expect(JSON.parse(chunked.body)).toMatchObject({ method: 'POST', body: 'one,two' });
    const continued = await post({ expect: '100-continue', 'content-length': '5' }, (req) =>
      req.once('continue', () => req.end('later')),
    );
    expect(continued.status).toBe(200);
    expect(JSON.parse(continued.body)).toMatchObject({ body: 'later' });
    expect(tool.received.at(-1)?.headers.expect).toBeUndefined();
  });

  it('a client that leaves mid-stream ends the request to the tool too', async () => {
    const u = new URL(s.gatewayUrl);
    const sock = net.connect(Number(u.port), u.hostname);
    let got = 0;
    sock.on('data', (c: Buffer) => (got += c.length));
    sock.write(`GET /stream?leave HTTP/1.1\r\nHost: ${prom.host}\r\nCookie: ${prom.cookie}\r\n\r\n`);
    await eventually(() => got > 1024, 'the first bytes of the stream');
    sock.destroy();
    await eventually(() => tool.aborted.includes('/stream?leave'), 'the tool sees its answer cut off');
    tool.release();
  });

  it('forgets every exchange once it is over (none left open after answered, refused and cut-off requests)', async () => {
    const open = async () => {
      const text = await (await fetch(`${s.url}/metrics`)).text();
      return Number(/^cilium_observability_gateway_open_exchanges (\d+)$/m.exec(text)?.[1] ?? NaN);
    };
    for (let i = 0; i < 20; i++)
      await gatewayRequest(s.gatewayUrl, `/echo/${i}`, { host: prom.host, headers: { cookie: prom.cookie } });
    await gatewayRequest(s.gatewayUrl, '/echo', { host: prom.host });
    await eventually(async () => (await open()) === 0, 'no exchange left open');
  });

  it('a tool that cannot be reached: the 502 page, and the listener stays healthy', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = await stack({ TOOL_UPSTREAMS: `prometheus=http://127.0.0.1:${port}` });
    try {
      await protect(down, 'prometheus');
      const l = await launch(down, 'prometheus', '/echo/start');
      const { host, path } = splitUrl(l.url);
      const cookie = sessionCookieOf((await gatewayRequest(down.gatewayUrl, path, { host })).headers) ?? '';
      const r = await gatewayRequest(down.gatewayUrl, '/graph', { host, headers: { cookie } });
      expect(r.status).toBe(502);
      expect(r.headers['content-security-policy']).toBeDefined();
      const health = await gatewayRequest(down.gatewayUrl, '/__cobs/healthz', { host });
      expect(health.status).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('streams 5 MB without buffering: the first bytes arrive while the tool still holds the rest', async () => {
    const u = new URL(s.gatewayUrl);
    const { request } = await import('node:http');
    let received = 0;
    let released = false;
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: '/stream',
          headers: { host: prom.host, cookie: prom.cookie },
        },
        (res) => {
          res.on('data', (c: Buffer) => {
            received += c.length;
            // the tool sends the rest only after this: a buffering proxy would never deliver the first 64 KB
            if (!released && received >= 64 * 1024) {
              released = true;
              tool.release();
            }
          });
          res.on('end', resolve);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(released).toBe(true);
    expect(received).toBe(STREAM_BYTES);
  });

  it('passes SSE events as they come', async () => {
    // a raw socket: fetch cannot set Host
    const u = new URL(s.gatewayUrl);
    const sock = net.connect(Number(u.port), u.hostname);
    let text = '';
    sock.on('data', (c: Buffer) => (text += c.toString()));
    sock.write(`GET /sse HTTP/1.1\r\nHost: ${prom.host}\r\nCookie: ${prom.cookie}\r\n\r\n`);
    await eventually(() => text.includes('data: one'), 'the first event before the stream ends');
    expect(text).not.toContain('data: two');
    tool.release();
    await eventually(() => text.includes('data: two'), 'the second event');
    expect(text).toMatch(/content-type: text\/event-stream/i);
    sock.destroy();
  });

  it('WebSocket with a session: upgraded and echoed, without our cookie upstream', async () => {
    const ws = new WebSocket(`${s.gatewayUrl.replace('http', 'ws')}/ws`, {
      headers: { host: prom.host, cookie: `${prom.cookie}; grafana_session=g1`, authorization: 'Bearer x' },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const echoed = new Promise<string>((r) => ws.once('message', (m) => r(String(m))));
    ws.send('ping');
    expect(await echoed).toBe('ping');
    const up = tool.received.at(-1)?.headers ?? {};
    expect(up.upgrade).toBe('websocket');
    expect(up.cookie).toBe('grafana_session=g1');
    expect(up.authorization).toBeUndefined();
    ws.close();
  });

  it('WebSocket without a session: 401, and the tool never sees the upgrade', async () => {
    const n = tool.received.length;
    const ws = new WebSocket(`${s.gatewayUrl.replace('http', 'ws')}/ws`, { headers: { host: prom.host } });
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(-1));
    });
    expect(status).toBe(401);
    expect(tool.received.length).toBe(n);
  });
});

describe('two replicas sharing SESSION_SECRET', () => {
  let second: RunningBackend;
  beforeAll(async () => {
    s = await stack();
    second = await startBackend({
      kube: s.kube,
      console: s.console,
      env: {
        TOOL_UPSTREAMS: `prometheus=${tool.url}`,
        SESSION_SECRET: SECRET,
        SELF_SERVICE: 'rbd-plugins/cilium-observability',
      },
      backend: { clock },
    });
    await protect(s, 'prometheus');
  });
  afterAll(async () => {
    await second.close();
    await s.close();
  });

  it("a ticket from one is redeemed once by the other (it asks the issuer), and the other's session works on both", async () => {
    const { host, path } = splitUrl((await launch(s, 'prometheus')).url);
    const r = await gatewayRequest(second.gatewayUrl, path, { host });
    expect(r.status).toBe(303);
    const cookie = sessionCookieOf(r.headers) ?? '';
    // single use across both
    expect((await gatewayRequest(s.gatewayUrl, path, { host })).status).toBe(401);
    expect((await gatewayRequest(second.gatewayUrl, path, { host })).status).toBe(401);
    for (const base of [s.gatewayUrl, second.gatewayUrl])
      expect((await gatewayRequest(base, '/echo', { host, headers: { cookie } })).status).toBe(200);
  });

  it('a ticket issued by the second replica is honoured by the first', async () => {
    const res = await fetch(`${second.url}/api/v1/tools/prometheus/launch?team=dev-team&region=rainbond`, {
      method: 'POST',
      headers: s.headers('root'),
      body: '{}',
    });
    const { host, path } = splitUrl(LaunchResultSchema.parse(await res.json()).url);
    expect((await gatewayRequest(s.gatewayUrl, path, { host })).status).toBe(303);
    expect((await gatewayRequest(second.gatewayUrl, path, { host })).status).toBe(401);
  });

  it('a forged call to the issuer is refused and uses nothing up', async () => {
    const { host, path } = splitUrl((await launch(s, 'prometheus')).url);
    const peer = await fetch(`${s.gatewayUrl}/__cobs/peer/redeem`, {
      method: 'POST',
      headers: { 'x-cobs-peer': `${Date.now()}.00`, 'content-type': 'application/json' },
      body: '{"jti":"aaaaaaaaaaaaaaaaaaaaaa","exp":1}',
    });
    expect(peer.status).toBe(403);
    await peer.body?.cancel();
    expect((await gatewayRequest(second.gatewayUrl, path, { host })).status).toBe(303);
  });
});

describe('malformed requests on the gateway port', () => {
  beforeAll(async () => {
    s = await stack();
  });
  afterAll(() => s.close());

  /** Raw bytes on a fresh connection → the status line's code (0 when the connection closed without one). */
  function raw(bytes: string): Promise<number> {
    const u = new URL(s.gatewayUrl);
    return new Promise((resolve) => {
      const sock = net.connect(Number(u.port), u.hostname);
      let text = '';
      sock.on('data', (c: Buffer) => {
        text += c.toString('latin1');
        const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
        if (m) {
          resolve(Number(m[1]));
          sock.destroy();
        }
      });
      sock.on('error', () => resolve(0));
      sock.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
      sock.write(bytes);
    });
  }

  it('answers 200 malformed requests with a 4xx, proxies none, and stays healthy', async () => {
    const host = 'gr1a2b3c-8081-dev-team.apps.example.test';
    const cases: string[] = [];
    const reqs = (target: string, headers: string) => `GET ${target} HTTP/1.1\r\n${headers}\r\n`;
    const bad = [
      reqs('/', ''), // no Host
      reqs('/', 'Host: \r\n'),
      reqs('/', 'Host: exa mple.com\r\n'),
      reqs('/', 'Host: evil.com/x\r\n'),
      reqs('/', 'Host: a..b\r\n'),
      reqs('/', 'Host: -x.example\r\n'),
      reqs('/', `Host: ${'a'.repeat(300)}.example\r\n`),
      reqs('/', 'Host: x.example:99999999\r\n'),
      reqs('/../etc/passwd', `Host: ${host}\r\n`),
      reqs('/a/%2e%2e/b', `Host: ${host}\r\n`),
      reqs('/a/%2E%2E/%2e%2e/b', `Host: ${host}\r\n`),
      reqs('/a\\b', `Host: ${host}\r\n`),
      reqs('/%00', `Host: ${host}\r\n`),
      reqs('/%zz', `Host: ${host}\r\n`),
      reqs('//evil.example/', `Host: ${host}\r\n`),
      reqs('http://evil.example/', `Host: ${host}\r\n`),
      reqs('*', `Host: ${host}\r\n`),
      reqs('/', `Host: ${host}\r\nX: ${'a'.repeat(20_000)}\r\n`),
      reqs('/', `Host: ${host}\r\nCookie: cobs_session=v1.${'A'.repeat(3000)}\r\n`),
      reqs('/', `Host: ${host}\r\nCookie: cobs_session=%%%; token=x\r\n`),
      reqs(
        '/',
        `Host: ${host}\r\nCookie: cobs_session=v1.${Buffer.from('{"sid":1}').toString('base64url')}\r\n`,
      ),
      reqs(`/${'a'.repeat(9000)}`, `Host: ${host}\r\n`),
      reqs('/', `Host: ${host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n`),
      `BREW / HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: ${host}\r\nBad Header Line\r\n\r\n`,
      `GARBAGE\r\n\r\n`,
      `GET /__cobs/launch?ticket=v1.${'B'.repeat(100)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      `GET /__cobs/nope HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      `POST /__cobs/peer/redeem HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\n\r\n{}`,
      `GET /ws HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    ];
    while (cases.length < 200) cases.push(...bad);
    const n = tool.received.length;
    const statuses: number[] = [];
    for (let i = 0; i < 200; i += 20)
      statuses.push(...(await Promise.all(cases.slice(i, i + 20).map((c) => raw(c)))));
    const not4xx = statuses
      .map((st, i) => ({ st, req: cases[i]?.slice(0, 80) }))
      .filter((x) => x.st < 400 || x.st > 499);
    expect(not4xx).toEqual([]);
    expect(tool.received.length).toBe(n);
    const health = await gatewayRequest(s.gatewayUrl, '/__cobs/healthz', { host });
    expect(health.status).toBe(200);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('never serves the API, /metrics or the bundle', async () => {
    const host = 'gr1a2b3c-8081-dev-team.apps.example.test';
    for (const p of [
      '/api/v1/status?team=dev-team&region=rainbond',
      '/metrics',
      '/static/main.js',
      '/healthz',
    ]) {
      const r = await gatewayRequest(s.gatewayUrl, p, {
        host,
        headers: { authorization: `GRJWT ${s.token('root')}` },
      });
      expect(r.status, p).toBe(401);
      expect(r.body).toContain('data-cobs-page="protected"');
    }
  });
});

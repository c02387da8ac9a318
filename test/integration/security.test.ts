/**
 * The backend on a shared platform, over real HTTP against the loopback fakes: state-changing requests need the
 * JWT in a header and come from the console's own page (CSRF), JSON bodies need their Content-Type, the region
 * is the one this backend serves, bodies are bounded without being read, and every reply carries its headers.
 * Every refusal is checked to reach the console zero times.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, ToolSchema } from '../../contract';
import { startFakeConsole, type FakeConsole } from '../fakes/console';
import { REGION, TEST_USERS, startStack, type Stack } from '../support/stack';

let s: Stack;
/** The console's address for people, whose pages may send changes without Sec-Fetch-Site. */
const CONSOLE_PUBLIC = 'https://console.example.com';
beforeAll(async () => {
  s = await startStack({ env: { CONSOLE_PUBLIC_URL: `${CONSOLE_PUBLIC}/` } });
});
afterAll(async () => {
  await s?.close();
});

const ADMIN = 'root';
const jwtHeader = (user = ADMIN) => ({ Authorization: `GRJWT ${s.token(user)}` });
const json = { 'Content-Type': 'application/json' };

/** Runs `fn` and returns what it answered plus every console call it caused. */
async function consoleCallsOf(fn: () => Promise<Response>) {
  const before = s.console.calls.length;
  const res = await fn();
  const text = await res.text();
  return { res, body: text ? (JSON.parse(text) as unknown) : null, calls: s.console.calls.slice(before) };
}

describe('CSRF: state-changing requests', () => {
  it('refuses a cookie-only POST with 401 and never asks the console', async () => {
    const { res, body, calls } = await consoleCallsOf(() =>
      fetch(s.api('tools/hubble-ui/registration'), {
        method: 'POST',
        headers: { Cookie: `token=${s.token(ADMIN)}`, ...json },
        body: '{}',
      }),
    );
    expect(res.status).toBe(401);
    const err = ErrorBodySchema.parse(body).error;
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toMatch(/header/);
    expect(calls).toEqual([]);
  });

  it('still authenticates GET (and the SSE stream) with the token cookie', async () => {
    const r = await fetch(s.api('status'), { headers: { Cookie: `token=${s.token(ADMIN)}` } });
    expect(r.status).toBe(200);
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }],
    [
      'Sec-Fetch-Site: same-site (a tenant app on the gateway domain)',
      { 'Sec-Fetch-Site': 'same-site', Origin: 'http://gr1a2b-80-dev.apps.example.test' },
    ],
    ['Sec-Fetch-Site: none', { 'Sec-Fetch-Site': 'none' }],
    ['a foreign Origin without Sec-Fetch-Site', { Origin: 'https://evil.example' }],
    ['an opaque Origin', { Origin: 'null' }],
  ])(
    'refuses a POST with %s with 403, even with a valid JWT header, and never asks the console',
    async (_n, extra) => {
      const { res, body, calls } = await consoleCallsOf(() =>
        fetch(s.api('tools/hubble-ui/registration'), {
          method: 'POST',
          headers: { ...jwtHeader(), ...json, ...extra },
          body: '{}',
        }),
      );
      expect(res.status).toBe(403);
      expect(ErrorBodySchema.parse(body).error.code).toBe('FORBIDDEN');
      expect(calls).toEqual([]);
    },
  );

  it('refuses a text/plain POST (what a no-cors form or fetch sends) with 415 INVALID_INPUT and no console call', async () => {
    for (const type of [
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const { res, body, calls } = await consoleCallsOf(() =>
        fetch(s.api('tools/hubble-ui/access'), {
          method: 'PUT',
          headers: { ...jwtHeader(), 'Content-Type': type },
          body: '{"external":true,"acknowledgedRisks":["NO_AUTH"]}',
        }),
      );
      expect(res.status, type).toBe(415);
      expect(ErrorBodySchema.parse(body).error.code).toBe('INVALID_INPUT');
      expect(calls).toEqual([]);
    }
    // a body without any Content-Type is refused the same way
    const bare = await fetch(s.api('tools/hubble-ui/registration'), {
      method: 'POST',
      headers: jwtHeader(),
      body: new Uint8Array(Buffer.from('{}')),
    });
    expect(bare.status).toBe(415);
  });

  it("accepts a POST from this backend's own origin or the console's (RAINBOND_CONSOLE_URL, CONSOLE_PUBLIC_URL) when the browser sends no Sec-Fetch-Site", async () => {
    for (const origin of [s.url, s.console.url, CONSOLE_PUBLIC]) {
      const r = await fetch(s.api('tools/prometheus/registration', 'shop'), {
        method: 'POST',
        headers: { ...jwtHeader(), ...json, Origin: origin },
        body: '{}',
      });
      expect(r.status, origin).toBe(200);
    }
    expect(
      (
        await fetch(s.api('tools/prometheus/registration', 'shop'), {
          method: 'DELETE',
          headers: jwtHeader(),
        })
      ).status,
    ).toBe(200);
  });
});

describe("the panel's own calls through the console's plugin proxy", () => {
  // A second fake console in front of the backend, as the browser sees it: its page's origin, Host rewritten.
  let front: FakeConsole;
  const PROXY = `/console/regions/${REGION}/backend/plugins/cilium-observability`;
  afterAll(async () => {
    await front?.close();
  });

  it.each(['6.9.4', '6.8.0', '6.6.0'])(
    'registers, opens, closes and removes through console %s (Origin = the console, Sec-Fetch-Site: same-origin)',
    async (version) => {
      await front?.close();
      front = await startFakeConsole({
        users: TEST_USERS,
        secret: s.console.secret,
        consoleVersion: version,
        plugin: { name: 'cilium-observability', frontendUrl: `${s.url}/static/main.js`, backendUrl: s.url },
      });
      const headers = {
        ...jwtHeader(),
        ...json,
        Origin: front.url,
        'Sec-Fetch-Site': 'same-origin',
        'Sec-Fetch-Mode': 'cors',
      };
      const at = (path: string) => `${front.url}${PROXY}/api/v1/${path}?team=dev-team&region=${REGION}`;
      let r = await fetch(at('tools/grafana/registration'), { method: 'POST', headers, body: '{}' });
      expect(r.status).toBe(200);
      r = await fetch(at('tools/grafana/access'), {
        method: 'PUT',
        headers,
        body: JSON.stringify({
          external: true,
          mode: 'open',
          acknowledgedRisks: ['NO_AUTH', 'ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS'],
        }),
      });
      expect(r.status).toBe(200);
      expect(ToolSchema.parse(await r.json()).access.external).toBe(true);
      r = await fetch(at('tools/grafana/access'), { method: 'PUT', headers, body: '{"external":false}' });
      expect(r.status).toBe(200);
      const { Origin: _o, ...noBody } = headers;
      r = await fetch(at('tools/grafana/registration'), {
        method: 'DELETE',
        headers: { ...noBody, Origin: front.url },
      });
      expect(r.status).toBe(200);
      // the cookie the console page also carries does not authenticate a change on its own
      r = await fetch(at('tools/grafana/registration'), {
        method: 'POST',
        headers: {
          ...json,
          Origin: front.url,
          'Sec-Fetch-Site': 'same-origin',
          Cookie: `token=${s.token(ADMIN)}`,
        },
        body: '{}',
      });
      expect(r.status).toBe(401);
    },
  );
});

describe('RAINBOND_REGION', () => {
  it('answers 400 INVALID_INPUT naming the served region for any other region, before the console is asked', async () => {
    for (const [method, path] of [
      ['GET', 'status'],
      ['POST', 'tools/hubble-ui/registration'],
      ['PUT', 'tools/hubble-ui/access'],
      ['GET', 'insights/summary'],
    ] as const) {
      const { res, body, calls } = await consoleCallsOf(() =>
        fetch(`${s.url}/api/v1/${path}?team=dev-team&region=east`, {
          method,
          headers: { ...jwtHeader(), ...json },
          body: method === 'GET' ? undefined : '{"external":false}',
        }),
      );
      expect(res.status, `${method} ${path}`).toBe(400);
      const err = ErrorBodySchema.parse(body).error;
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toContain(`serves region ${REGION}`);
      expect(err.details).toMatchObject({ servedRegion: REGION });
      expect(calls).toEqual([]);
    }
  });
});

describe('response headers', () => {
  it('sends X-Content-Type-Options: nosniff on every reply, and Cache-Control: no-store on every /api/v1 reply', async () => {
    const cases: [string, RequestInit, boolean][] = [
      [`${s.url}/static/main.js`, {}, false],
      [`${s.url}/metrics`, {}, false],
      [`${s.url}/healthz`, {}, false],
      [`${s.url}/no/such/path`, {}, false],
      [s.api('status'), { headers: jwtHeader() }, true],
      [s.api('status'), {}, true],
      [`${s.url}/api/v1/teams`, { headers: jwtHeader() }, true],
      [s.api('tools/kibana'), { headers: jwtHeader() }, true],
      [
        s.api('tools/hubble-ui/registration'),
        { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } },
        true,
      ],
    ];
    for (const [url, init, api] of cases) {
      const r = await fetch(url, init);
      await r.arrayBuffer();
      expect(r.headers.get('x-content-type-options'), url).toBe('nosniff');
      if (api) expect(r.headers.get('cache-control'), url).toBe('no-store');
    }
  });
});

/** Raw HTTP on one socket: sends the head and `first` bytes of the body, then reports what came back and when. */
function rawUpload(opts: { path: string; headers: Record<string, string>; first: number }) {
  return new Promise<{ status: number; closedBeforeBodySent: boolean; bodyBytesSent: number }>(
    (resolve, reject) => {
      const url = new URL(s.url);
      const sock = net.connect(Number(url.port), url.hostname);
      let answer = '';
      let sent = 0;
      sock.on('connect', () => {
        const head = [
          `POST ${opts.path} HTTP/1.1`,
          `Host: ${url.host}`,
          ...Object.entries(opts.headers).map(([k, v]) => `${k}: ${v}`),
        ];
        sock.write(head.join('\r\n') + '\r\n\r\n');
        sock.write(Buffer.alloc(opts.first, 'x'));
        sent = opts.first;
      });
      sock.on('data', (d) => (answer += d.toString('latin1')));
      sock.on('error', () => undefined);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`no answer; got ${JSON.stringify(answer.slice(0, 200))}`));
      }, 5000);
      sock.on('close', () => {
        clearTimeout(timer);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? '0');
        resolve({ status, closedBeforeBodySent: true, bodyBytesSent: sent });
      });
    },
  );
}

describe('request bodies', () => {
  const TEN_MB = String(10 * 1024 * 1024);

  it('answers an unauthenticated 10 MB upload with 401 without reading it: answered and closed after 1 KiB', async () => {
    const before = s.console.calls.length;
    const r = await rawUpload({
      path: `/api/v1/tools/hubble-ui/registration?team=dev-team&region=${REGION}`,
      headers: { 'Content-Type': 'application/json', 'Content-Length': TEN_MB },
      first: 1024,
    });
    expect(r.status).toBe(401);
    expect(r.bodyBytesSent).toBe(1024);
    expect(s.console.calls.length).toBe(before);
  });

  it('answers an authenticated 10 MB upload with 400 after authentication, without reading it', async () => {
    const r = await rawUpload({
      path: `/api/v1/tools/hubble-ui/registration?team=dev-team&region=${REGION}`,
      headers: { ...jwtHeader(), 'Content-Type': 'application/json', 'Content-Length': TEN_MB },
      first: 1024,
    });
    expect(r.status).toBe(400);
    expect(r.bodyBytesSent).toBe(1024);
  });

  it('reads a chunked body only up to the 64 KiB limit', async () => {
    // measured by what the backend read off its socket: the client's own writes land in the kernel's loopback
    // buffers (megabytes) whatever the backend does
    const sockets: net.Socket[] = [];
    const onConnection = (c: net.Socket) => sockets.push(c);
    s.server.on('connection', onConnection);
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const offered = 10 * 1024 * 1024;
    const reply = await new Promise<{ status: number; body: string } | Error>((resolve) => {
      let written = 0;
      let answered = false;
      // a new connection (agent: false), chunked (no Content-Length)
      const req = http.request(s.api('tools/hubble-ui/registration'), {
        method: 'POST',
        agent: false,
        headers: { ...jwtHeader(), ...json },
      });
      const pump = () => {
        while (!answered && written < offered) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      req.on('response', (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', resolve);
      });
      req.on('error', (e) => answered || resolve(e));
      pump();
    });
    s.server.off('connection', onConnection);
    if (!(reply instanceof Error)) {
      expect(reply.status).toBe(400);
      expect(ErrorBodySchema.parse(JSON.parse(reply.body)).error.message).toContain('65536');
    }
    expect(sockets).toHaveLength(1);
    // the 64 KiB, plus what one socket read may hold beyond it — far from the 10 MB offered
    expect(sockets[0]!.bytesRead).toBeGreaterThan(64 * 1024);
    expect(sockets[0]!.bytesRead).toBeLessThan(1024 * 1024);
  });
});

import { describe, expect, it } from 'vitest';
import { checkRequest, clientProto, forwardHeaders, normalizeHost, stripResponseHopByHop } from './rules';

const HOST = 'gr1a2b3c-8081-dev.apps.example.test';

describe('checkRequest', () => {
  it.each([
    ['GET', '/', HOST],
    ['GET', '/graph?g0.expr=up{job="x"}', HOST],
    ['POST', '/api/ds/query', `${HOST}:8080`],
    ['GET', '/d/vtuWtdumz/cilium?orgId=1', 'HOST.Example.test'],
    ['GET', '/', '10.0.3.7:8081'],
    ['GET', '/', '[fd00::1]:8081'],
    ['OPTIONS', '/a%20b', HOST],
  ])('accepts %s %s on %s', (method, target, host) => {
    expect(checkRequest(method, target, host)).toMatchObject({ ok: true });
  });

  it.each([
    ['GET', '/', undefined, 400],
    ['GET', '/', 'exa mple', 400],
    ['GET', '/', 'a/b', 400],
    ['GET', '/', 'a..b', 400],
    ['GET', '/', 'x.test:123456', 400],
    ['BREW', '/', HOST, 405],
    ['GET', '*', HOST, 400],
    ['GET', 'http://evil.example/', HOST, 400],
    ['GET', '//evil.example/', HOST, 400],
    ['GET', '/../x', HOST, 400],
    ['GET', '/a/./b', HOST, 400],
    ['GET', '/a/%2e%2E/b', HOST, 400],
    ['GET', '/a%2f..%2fb', HOST, 400],
    ['GET', '/a\\b', HOST, 400],
    ['GET', '/%5c', HOST, 400],
    ['GET', '/%00', HOST, 400],
    ['GET', '/%zz', HOST, 400],
    ['GET', `/${'a'.repeat(9000)}`, HOST, 414],
  ])('refuses %s %s on %s with %d', (method, target, host, status) => {
    expect(checkRequest(method, target, host)).toMatchObject({ ok: false, status });
  });

  it.each([
    ['A.Example.TEST', 'a.example.test'],
    ['a.example.test:80', 'a.example.test'],
    ['a.example.test:443', 'a.example.test'],
    ['a.example.test.:8080', 'a.example.test:8080'],
  ])('normalizes %s to %s', (h, want) => expect(normalizeHost(h)).toBe(want));
});

describe('forwardHeaders', () => {
  const base = { remoteAddress: '::ffff:10.0.0.9', proto: 'https' as const, host: HOST };

  it('keeps the tool’s cookies and drops ours, the console token, credentials, identity and hop-by-hop headers', () => {
    const out = forwardHeaders(
      {
        host: HOST,
        cookie: 'cobs_session=x; grafana_session=g; token=jwt; cobs_session=y',
        authorization: 'Basic x',
        'x-webauth-user': 'mallory',
        'x-auth-request-email': 'm@x',
        connection: 'close, X-Secret',
        'x-secret': '1',
        'x-custom': 'kept',
        'x-forwarded-for': '203.0.113.1',
        forwarded: 'for=1.2.3.4',
        'x-real-ip': '1.2.3.4',
        upgrade: 'h2c',
      },
      base,
    );
    expect(out).toEqual({
      host: HOST,
      cookie: 'grafana_session=g',
      'x-custom': 'kept',
      'x-forwarded-for': '203.0.113.1, 10.0.0.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': HOST,
      'x-forwarded-port': '443',
    });
  });

  it('sets the identity header only when asked, replacing any the client sent', () => {
    const out = forwardHeaders(
      { 'x-forwarded-user': 'eve', 'x-webauth-user': 'eve' },
      { ...base, identity: { header: 'X-WEBAUTH-USER', user: 'alice' } },
    );
    expect(out['x-webauth-user']).toBe('alice');
    expect(out['x-forwarded-user']).toBeUndefined();
    expect(
      forwardHeaders({ 'x-my-user': 'eve' }, { ...base, alsoStrip: ['X-My-User'] })['x-my-user'],
    ).toBeUndefined();
  });

  it('keeps Connection/Upgrade on a WebSocket handshake', () => {
    const out = forwardHeaders(
      { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' },
      { ...base, upgrade: true },
    );
    expect(out).toMatchObject({ connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
  });

  it('drops the cookie header when nothing of the tool’s is left', () => {
    expect(forwardHeaders({ cookie: 'cobs_session=x; token=y' }, base).cookie).toBeUndefined();
  });
});

describe('responses and schemes', () => {
  it('strips hop-by-hop response headers and those named in Connection', () => {
    const h: Record<string, string> = {
      connection: 'x-a',
      'x-a': '1',
      'keep-alive': 't',
      'proxy-authenticate': 'B',
      'x-b': '2',
    };
    stripResponseHopByHop(h);
    expect(h).toEqual({ 'x-b': '2' });
  });

  it.each([
    [{ 'x-forwarded-proto': 'https' }, false, 'https'],
    [{ 'x-forwarded-proto': 'https, http' }, false, 'https'],
    [{ 'x-forwarded-proto': 'http' }, true, 'http'],
    [{}, true, 'https'],
    [{}, false, 'http'],
  ] as const)('%j over tls=%s is %s', (headers, tls, want) => {
    expect(clientProto(headers, tls)).toBe(want);
  });
});

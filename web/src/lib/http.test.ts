import { describe, expect, it } from 'vitest';
import { BASE, createFakeBackend, fail, ok } from '../../test/harness';
import { ApiError } from './errors';
import { apiBase, createHttpClient } from './http';

const scope = { team: 'dev', region: 'rainbond' };

describe('http client', () => {
  it('builds the console proxy base', () => {
    expect(apiBase('rainbond', 'cilium-observability')).toBe(BASE);
  });

  it('sends GRJWT and the query, and parses the reply', async () => {
    const backend = createFakeBackend({ 'GET /api/v1/status': ok({ tools: [] }) });
    const http = createHttpClient({ base: BASE, token: 'jwt-1', fetch: backend.fetch });
    await expect(http.get('/api/v1/status', scope)).resolves.toEqual({ tools: [] });
    expect(backend.requests[0]).toMatchObject({
      path: '/api/v1/status',
      query: { team: 'dev', region: 'rainbond' },
      headers: { Authorization: 'GRJWT jwt-1' },
    });
  });

  it("asks for answers in the panel's language", async () => {
    const backend = createFakeBackend({ 'GET /api/v1/status': ok({ tools: [] }) });
    let locale = 'zh-CN';
    const http = createHttpClient({ base: BASE, token: 't', locale: () => locale, fetch: backend.fetch });
    await http.get('/api/v1/status', scope);
    locale = 'en';
    await http.get('/api/v1/status', scope);
    expect(backend.requests.map((r) => r.headers['Accept-Language'])).toEqual(['zh-CN', 'en']);
  });

  it('leaves auth to the cookie when there is no token', async () => {
    const backend = createFakeBackend({ 'GET /api/v1/teams': ok({ teams: [] }) });
    await createHttpClient({ base: BASE, token: null, fetch: backend.fetch }).get('/api/v1/teams');
    expect(backend.requests[0]!.headers.Authorization).toBeUndefined();
    expect(backend.requests[0]!.query).toEqual({});
  });

  it('sends a JSON body and leaves out empty query values', async () => {
    const backend = createFakeBackend({ 'PUT /api/v1/tools/grafana/access': ok({}) });
    const http = createHttpClient({ base: BASE, token: 't', fetch: backend.fetch });
    await http.put('/api/v1/tools/grafana/access', { ...scope, verdict: undefined, protocol: '' }, { a: 1 });
    expect(backend.requests[0]).toMatchObject({
      query: scope,
      body: { a: 1 },
      headers: { 'Content-Type': 'application/json' },
    });
  });

  it.each([
    [
      'our error body',
      fail(409, 'RISKS_NOT_ACKNOWLEDGED', 'ack NO_AUTH'),
      409,
      'RISKS_NOT_ACKNOWLEDGED',
      'ack NO_AUTH',
    ],
    ["the console proxy's 502", fail(502, null), 502, null, expect.any(String)],
  ])('turns %s into an ApiError', async (_n, handler, status, code, message) => {
    const backend = createFakeBackend({ 'PUT /api/v1/tools/grafana/access': handler });
    const http = createHttpClient({ base: BASE, token: 't', fetch: backend.fetch });
    const err = await http.put('/api/v1/tools/grafana/access', scope, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status, code, message });
  });

  it('reports a network failure as status 0', async () => {
    const backend = createFakeBackend({
      'GET /api/v1/status': () => ({ throws: new TypeError('Failed to fetch') }),
    });
    const err = await createHttpClient({ base: BASE, token: 't', fetch: backend.fetch })
      .get('/api/v1/status', scope)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: null });
  });

  it('builds full URLs for EventSource', () => {
    const http = createHttpClient({ base: BASE, token: 't' });
    expect(http.url('/api/v1/x', { team: 'dev', limit: 50, verdict: undefined })).toBe(
      `${BASE}/api/v1/x?team=dev&limit=50`,
    );
  });
});

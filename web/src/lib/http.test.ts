import { describe, expect, it } from 'vitest';
import { BASE, createFakeBackend, fail, ok } from '../../test/harness';
import { apiBase, createApiClient } from './http';
import { ApiError } from './errors';

const scope = { team: 'dev', region: 'rainbond' };

describe('api client', () => {
  it('builds the console proxy base', () => {
    expect(apiBase('rainbond', 'cilium-observability')).toBe(BASE);
  });

  it('sends GRJWT and the team/region query, and parses the reply', async () => {
    const backend = createFakeBackend({ 'GET /api/v1/status': ok({ tools: [] }) });
    const api = createApiClient({ base: BASE, token: 'jwt-1', fetch: backend.fetch });
    await expect(api.status(scope)).resolves.toEqual({ tools: [] });
    expect(backend.requests[0]).toMatchObject({
      path: '/api/v1/status',
      query: { team: 'dev', region: 'rainbond' },
      headers: { Authorization: 'GRJWT jwt-1' },
    });
  });

  it("asks for answers in the panel's language", async () => {
    const backend = createFakeBackend({ 'GET /api/v1/status': ok({ tools: [] }) });
    let locale = 'zh-CN';
    const api = createApiClient({ base: BASE, token: 't', locale: () => locale, fetch: backend.fetch });
    await api.status(scope);
    locale = 'en';
    await api.status(scope);
    expect(backend.requests.map((r) => r.headers['Accept-Language'])).toEqual(['zh-CN', 'en']);
  });

  it('leaves auth to the cookie when there is no token', async () => {
    const backend = createFakeBackend({ 'GET /api/v1/teams': ok({ teams: [] }) });
    await createApiClient({ base: BASE, token: null, fetch: backend.fetch }).teams();
    expect(backend.requests[0]!.headers.Authorization).toBeUndefined();
    expect(backend.requests[0]!.query).toEqual({});
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
    const api = createApiClient({ base: BASE, token: 't', fetch: backend.fetch });
    const err = await api.setAccess(scope, 'grafana', true, ['ANONYMOUS_ADMIN']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status, code, message });
    expect(backend.requests[0]!.body).toEqual({ external: true, acknowledgedRisks: ['ANONYMOUS_ADMIN'] });
  });

  it('reports a network failure as status 0', async () => {
    const backend = createFakeBackend({
      'GET /api/v1/status': () => ({ throws: new TypeError('Failed to fetch') }),
    });
    const err = await createApiClient({ base: BASE, token: 't', fetch: backend.fetch })
      .status(scope)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: null });
  });

  it('puts filters and follow=true on the stream URL', () => {
    const api = createApiClient({ base: BASE, token: 't' });
    expect(api.flowStreamUrl(scope, { verdict: 'DROPPED', limit: 50 })).toBe(
      `${BASE}/api/v1/insights/flows?team=dev&region=rainbond&verdict=DROPPED&limit=50&follow=true`,
    );
  });
});

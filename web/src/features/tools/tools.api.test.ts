import { describe, expect, it } from 'vitest';
import { BASE, createFakeBackend, makeTool, ok } from '../../../test/harness';
import { createHttpClient } from '../../lib/http';
import { createToolsApi } from './tools.api';

const scope = { team: 'dev', region: 'rainbond' };

describe('tools api', () => {
  it.each([
    ['register', 'POST /api/v1/tools/grafana/registration', {}] as const,
    ['unregister', 'DELETE /api/v1/tools/grafana/registration', undefined] as const,
  ])('%s → %s', async (call, route, body) => {
    const backend = createFakeBackend({ [route]: ok(makeTool({ id: 'grafana' })) });
    const api = createToolsApi(createHttpClient({ base: BASE, token: 't', fetch: backend.fetch }));
    await expect(api[call](scope, 'grafana')).resolves.toMatchObject({ id: 'grafana' });
    expect(backend.requests[0]).toMatchObject({ query: scope, body });
  });

  it.each([
    ['open', ['ANONYMOUS_ADMIN'], { external: true, mode: 'open', acknowledgedRisks: ['ANONYMOUS_ADMIN'] }],
    ['protected', undefined, { external: true, mode: 'protected' }],
    [undefined, undefined, { external: true }],
  ] as const)('setAccess sends mode %j and the acknowledged risks %j', async (mode, risks, body) => {
    const backend = createFakeBackend({ 'PUT /api/v1/tools/grafana/access': ok(makeTool()) });
    const api = createToolsApi(createHttpClient({ base: BASE, token: 't', fetch: backend.fetch }));
    await api.setAccess(scope, 'grafana', true, mode, risks ? [...risks] : undefined);
    expect(backend.requests[0]?.body).toEqual(body);
  });

  it('closing sends no mode', async () => {
    const backend = createFakeBackend({ 'PUT /api/v1/tools/grafana/access': ok(makeTool()) });
    const api = createToolsApi(createHttpClient({ base: BASE, token: 't', fetch: backend.fetch }));
    await api.setAccess(scope, 'grafana', false, 'protected');
    expect(backend.requests[0]?.body).toEqual({ external: false });
  });

  it('launch posts the path and answers the single-use URL', async () => {
    const answer = {
      url: 'http://gr1-8081-dev.apps.example.test/__cobs/launch?ticket=v1.x',
      expiresAt: '2026-01-01T00:01:00Z',
    };
    const backend = createFakeBackend({ 'POST /api/v1/tools/grafana/launch': ok(answer) });
    const api = createToolsApi(createHttpClient({ base: BASE, token: 't', fetch: backend.fetch }));
    await expect(api.launch(scope, 'grafana', '/d/vtuWtdumz')).resolves.toEqual(answer);
    expect(backend.requests[0]).toMatchObject({ query: scope, body: { path: '/d/vtuWtdumz' } });
  });
});

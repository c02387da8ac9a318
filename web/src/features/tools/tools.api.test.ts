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
    [['ANONYMOUS_ADMIN'] as const, { external: true, acknowledgedRisks: ['ANONYMOUS_ADMIN'] }],
    [undefined, { external: true }],
  ])('setAccess sends the acknowledged risks %j', async (risks, body) => {
    const backend = createFakeBackend({ 'PUT /api/v1/tools/grafana/access': ok(makeTool()) });
    const api = createToolsApi(createHttpClient({ base: BASE, token: 't', fetch: backend.fetch }));
    await api.setAccess(scope, 'grafana', true, risks ? [...risks] : undefined);
    expect(backend.requests[0]).toMatchObject({ query: scope, body });
  });
});

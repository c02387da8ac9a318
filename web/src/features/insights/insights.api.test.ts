import { describe, expect, it } from 'vitest';
import { BASE, createFakeBackend, ok } from '../../../test/harness';
import { createHttpClient } from '../../lib/http';
import { createInsightsApi } from './insights.api';

const scope = { team: 'dev', region: 'rainbond' };

describe('insights api', () => {
  it('asks for the summary of a window, 5m unless told', async () => {
    const backend = createFakeBackend({ 'GET /api/v1/insights/summary': ok({}) });
    const api = createInsightsApi(createHttpClient({ base: BASE, token: 't', fetch: backend.fetch }));
    await api.summary(scope);
    await api.summary(scope, '1h');
    expect(backend.requests.map((r) => r.query.window)).toEqual(['5m', '1h']);
  });

  it('puts the filters on the flows query', async () => {
    const backend = createFakeBackend({ 'GET /api/v1/insights/flows': ok({}) });
    const api = createInsightsApi(createHttpClient({ base: BASE, token: 't', fetch: backend.fetch }));
    await api.flows(scope, { protocol: 'dns', limit: 10 });
    expect(backend.requests[0]!.query).toEqual({ ...scope, protocol: 'dns', limit: '10' });
  });

  it('puts filters and follow=true on the stream URL', () => {
    const api = createInsightsApi(createHttpClient({ base: BASE, token: 't' }));
    expect(api.flowStreamUrl(scope, { verdict: 'DROPPED', limit: 50 })).toBe(
      `${BASE}/api/v1/insights/flows?team=dev&region=rainbond&verdict=DROPPED&limit=50&follow=true`,
    );
  });
});

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isAppError, toErrorBody } from '../../errors';
import type { AppEnv, RequestCtx } from '../../http/env';
import type { Summary } from '../../../contract/insights';
import { createSummaryRoutes } from './summary.routes';
import type { SummaryRequest, SummaryService } from './summary.service';

const ctx: RequestCtx = {
  jwt: 'x',
  team: 'shop-team',
  region: 'r1',
  namespace: 'shop-ns',
  user: { userId: 1, userName: 'dev', enterpriseId: 'e1', isEnterpriseAdmin: false, teams: [] },
  locale: 'zh-CN',
};

function setup() {
  const calls: SummaryRequest[] = [];
  const summary: SummaryService = {
    async summary(req) {
      calls.push(req);
      return { namespace: req.namespace, window: req.window } as unknown as Summary;
    },
  };
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('ctx', ctx);
    await next();
  });
  app.route('/api/v1/insights', createSummaryRoutes({ summary }));
  app.onError((e, c) => (isAppError(e) ? c.json(toErrorBody(e), e.status as 400) : c.text('boom', 500)));
  return { app, calls };
}

describe('GET /summary', () => {
  it.each([
    ['?team=shop-team&region=r1', { namespace: 'shop-ns', window: '5m', locale: 'zh-CN' }],
    ['?team=shop-team&region=r1&window=1h', { namespace: 'shop-ns', window: '1h', locale: 'zh-CN' }],
    // A namespace in the query is ignored: the team's namespace comes from the context.
    [
      '?team=shop-team&region=r1&window=15m&namespace=kube-system',
      { namespace: 'shop-ns', window: '15m', locale: 'zh-CN' },
    ],
  ])('%s → service called with %j', async (qs, req) => {
    const { app, calls } = setup();
    const res = await app.request(`/api/v1/insights/summary${qs}`);
    expect(res.status).toBe(200);
    expect(calls).toEqual([req]);
  });

  it.each([['window=5s'], ['window=0m'], ['window=1000m'], ['window=5m&window=1h']])(
    '%s → 400 INVALID_INPUT',
    async (qs) => {
      const { app, calls } = setup();
      const res = await app.request(`/api/v1/insights/summary?team=shop-team&region=r1&${qs}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
      expect(calls).toEqual([]);
    },
  );
});

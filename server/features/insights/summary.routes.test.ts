import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors';
import { errorHandler } from '../../http/errors';
import type { AppEnv, RequestCtx } from '../../http/env';
import { silentLogger } from '../../log';
import type { Summary } from '../../../contract/insights';
import { eventually } from '../../../test/support/eventually';
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

function setup(opts: { admin?: boolean; hold?: Promise<void>; maxConcurrentPerUser?: number } = {}) {
  const calls: SummaryRequest[] = [];
  const summary: SummaryService = {
    async summary(req) {
      calls.push(req);
      await opts.hold;
      return { namespace: req.namespace, window: req.window } as unknown as Summary;
    },
  };
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    const userId = Number(c.req.header('x-user') ?? 1);
    c.set('ctx', { ...ctx, user: { ...ctx.user, userId, isEnterpriseAdmin: opts.admin ?? false } });
    await next();
  });
  app.route(
    '/api/v1/insights',
    createSummaryRoutes({ summary, maxConcurrentPerUser: opts.maxConcurrentPerUser }),
  );
  app.onError((e, c) => (isAppError(e) ? errorHandler(silentLogger)(e, c) : c.text('boom', 500)));
  return { app, calls };
}

const team = { locale: 'zh-CN', revealAddresses: false } as const;

describe('GET /summary', () => {
  it.each([
    ['?team=shop-team&region=r1', { namespace: 'shop-ns', window: '5m', ...team }],
    ['?team=shop-team&region=r1&window=1h', { namespace: 'shop-ns', window: '1h', ...team }],
    ['?team=shop-team&region=r1&window=1m', { namespace: 'shop-ns', window: '1m', ...team }],
    ['?team=shop-team&region=r1&window=24h', { namespace: 'shop-ns', window: '24h', ...team }],
    ['?team=shop-team&region=r1&window=1440m', { namespace: 'shop-ns', window: '1440m', ...team }],
    // A namespace in the query is ignored: the team's namespace comes from the context.
    [
      '?team=shop-team&region=r1&window=15m&namespace=kube-system',
      { namespace: 'shop-ns', window: '15m', ...team },
    ],
  ])('%s → service called with %j', async (qs, req) => {
    const { app, calls } = setup();
    const res = await app.request(`/api/v1/insights/summary${qs}`);
    expect(res.status).toBe(200);
    expect(calls).toEqual([req]);
  });

  it.each([
    ['window=5s'],
    ['window=0m'],
    ['window=1441m'],
    ['window=25h'],
    ['window=999h'],
    ['window=10000m'],
    ['window=5m&window=1h'],
  ])('%s → 400 INVALID_INPUT', async (qs) => {
    const { app, calls } = setup();
    const res = await app.request(`/api/v1/insights/summary?team=shop-team&region=r1&${qs}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    expect(calls).toEqual([]);
  });

  it('asks for the Prometheus URL only for an enterprise admin', async () => {
    const { app, calls } = setup({ admin: true });
    await app.request('/api/v1/insights/summary?team=shop-team&region=r1');
    expect(calls[0]?.revealAddresses).toBe(true);
  });

  it('answers 429 TOO_MANY_REQUESTS with Retry-After past the per-user limit, before asking the service', async () => {
    let release = () => {};
    const hold = new Promise<void>((r) => (release = r));
    const { app, calls } = setup({ hold, maxConcurrentPerUser: 2 });
    const url = '/api/v1/insights/summary?team=shop-team&region=r1';
    const running = [app.request(url), app.request(url)];
    await eventually(() => calls.length === 2, 'two summaries running');
    const third = await app.request(url);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(await third.json()).toMatchObject({
      error: { code: 'TOO_MANY_REQUESTS', details: { limit: 'user', max: 2 } },
    });
    expect(calls).toHaveLength(2);
    // another user is not held up by this one's requests
    running.push(app.request(url, { headers: { 'x-user': '2' } }));
    await eventually(() => calls.length === 3, "the other user's summary running");
    release();
    expect((await Promise.all(running)).map((r) => r.status)).toEqual([200, 200, 200]);
    // the slots are free again
    expect((await app.request(url)).status).toBe(200);
  });
});

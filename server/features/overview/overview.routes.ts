/** GET /api/v1/status. */
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env';
import type { OverviewService } from './overview.service';

export function createOverviewRoutes(deps: { overview: OverviewService }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/status', async (c) => c.json(await deps.overview.status(c.get('ctx'))));
  return app;
}

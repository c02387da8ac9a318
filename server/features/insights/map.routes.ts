/** GET /map, mounted under /api/v1/insights after the auth middleware: the team's namespace comes from ctx. */
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env';
import { limitPerUser } from '../../http/concurrency';
import { parseQuery } from '../../http/validate';
import { MapQuerySchema } from '../../../contract/map';
import type { MapService } from './map.service';

export function createMapRoutes(deps: {
  map: MapService;
  /** One user's map requests running at once (INSIGHTS_USER_CONCURRENCY); one more is 429. Default 2. */
  maxConcurrentPerUser?: number;
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/map', limitPerUser({ max: deps.maxConcurrentPerUser ?? 2, what: 'map' }), async (c) =>
    c.json(await deps.map.map(c.get('ctx'), parseQuery(c, MapQuerySchema))),
  );
  return app;
}

/** GET /api/v1/teams (added): the teams and regions the caller may pick in the Platform view. */
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env';
import type { Teams } from '../../../contract';

export function createContextRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/teams', (c) => {
    const body: Teams = {
      teams: c.get('ctx').user.teams.map((t) => ({
        name: t.name,
        alias: t.alias,
        namespace: t.namespace,
        regions: t.regions,
      })),
    };
    return c.json(body);
  });
  return app;
}

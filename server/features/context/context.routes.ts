/** GET /api/v1/teams (added): the teams and regions the caller may pick in the Platform view. */
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env';
import type { TeamsService } from './teams.service';

export function createContextRoutes(deps: { teams: TeamsService }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/teams', async (c) => c.json(await deps.teams.list(c.get('ctx'))));
  return app;
}

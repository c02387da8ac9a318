/** createApp(deps): the whole HTTP surface of the backend, testable in process with app.request(). */
import { Hono } from 'hono';
import type { AppEnv } from './http/env';
import { requireTeamContext, requireUser, type IdentityResolver } from './http/auth';
import { limitBodies } from './http/body-limit';
import { errorHandler, notFoundHandler } from './http/errors';
import { createOpsRoutes, type OpsDeps } from './http/ops';
import { accessLog, requestIds } from './http/request-log';
import type { Logger } from './log';
import { createContextRoutes } from './features/context/context.routes';
import { createOverviewRoutes } from './features/overview/overview.routes';
import type { OverviewService } from './features/overview/overview.service';
import { createToolsRoutes } from './features/tools/tools.routes';
import type { ToolsService } from './features/tools/tools.service';

export interface AppDeps extends OpsDeps {
  log: Logger;
  identity: IdentityResolver;
  overview: OverviewService;
  tools: ToolsService;
  /** Routers mounted under /api/v1/insights after the team-context middleware. */
  insights?: Hono<AppEnv>[];
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestIds(), accessLog(deps));
  app.onError(errorHandler(deps.log));
  app.notFound(notFoundHandler);
  app.route('/', createOpsRoutes(deps));

  const api = new Hono<AppEnv>();
  api.use('*', ...limitBodies());
  api.use('/teams', requireUser(deps.identity));
  api.use('/status', requireTeamContext(deps.identity));
  api.use('/tools/*', requireTeamContext(deps.identity));
  api.use('/insights/*', requireTeamContext(deps.identity));
  api.route('/', createContextRoutes());
  api.route('/', createOverviewRoutes(deps));
  api.route('/tools', createToolsRoutes(deps));
  for (const r of deps.insights ?? []) api.route('/insights', r);
  app.route('/api/v1', api);
  return app;
}

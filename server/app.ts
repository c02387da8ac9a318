/** createApp(deps): the whole HTTP surface of the backend, testable in process with app.request(). */
import { Hono } from 'hono';
import type { AppEnv } from './http/env';
import { requireTeamContext, requireUser, type IdentityResolver } from './http/auth';
import { closeUnreadBodies, limitBodies } from './http/body-limit';
import { guardUnsafeMethods, securityHeaders } from './http/security';
import { errorHandler, notFoundHandler } from './http/errors';
import { createOpsRoutes, type OpsDeps } from './http/ops';
import { accessLog, requestIds } from './http/request-log';
import type { Logger } from './log';
import { createContextRoutes } from './features/context/context.routes';
import type { TeamsService } from './features/context/teams.service';
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
  /** RAINBOND_REGION: the one region this backend serves; unset accepts any region of the team. */
  servedRegion?: string;
  /** Origins whose pages may send changes without Sec-Fetch-Site, e.g. the console's public address. */
  trustedOrigins?: (string | undefined)[];
  /** GET /api/v1/teams: the caller's teams and the tools each holds. */
  teams: TeamsService;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestIds(), accessLog(deps), securityHeaders(), closeUnreadBodies());
  app.onError(errorHandler(deps.log));
  app.notFound(notFoundHandler);
  app.route('/', createOpsRoutes(deps));

  const api = new Hono<AppEnv>();
  // cross-site and non-JSON changes are refused first: nothing read, the console never asked
  api.use('*', guardUnsafeMethods({ trustedOrigins: deps.trustedOrigins ?? [] }));
  const teamContext = requireTeamContext(deps.identity, { servedRegion: deps.servedRegion });
  api.use('/teams', requireUser(deps.identity));
  api.use('/status', teamContext);
  api.use('/tools/*', teamContext);
  api.use('/insights/*', teamContext);
  // after authentication: an unauthenticated caller's body is never looked at
  api.use('*', limitBodies());
  api.route('/', createContextRoutes({ teams: deps.teams }));
  api.route('/', createOverviewRoutes(deps));
  api.route('/tools', createToolsRoutes(deps));
  for (const r of deps.insights ?? []) api.route('/insights', r);
  app.route('/api/v1', api);
  return app;
}

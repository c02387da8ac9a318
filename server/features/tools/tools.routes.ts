/** /api/v1/status and /api/v1/tools/{id}/…: validate → service → reply. */
import { Hono } from 'hono';
import { AppError } from '../../errors';
import type { AppEnv } from '../../http/env';
import { parseJsonBody } from '../../http/validate';
import type { RegistrationService } from '../../clients/rainbond/types';
import { AccessInputSchema, RegistrationInputSchema, ToolIdSchema, type ToolId } from '../../../contract';
import type { StatusService } from '../overview/overview.service';

function toolId(raw: string): ToolId {
  const r = ToolIdSchema.safeParse(raw);
  if (!r.success) {
    throw new AppError(
      'UNKNOWN_TOOL',
      `unknown tool ${JSON.stringify(raw.slice(0, 64))}; known: hubble-ui, grafana, prometheus`,
    );
  }
  return r.data;
}

export function createToolsRoutes(deps: {
  status: StatusService;
  registrations: RegistrationService;
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/status', async (c) => c.json(await deps.status.status(c.get('ctx'))));

  app.get('/tools/:id', async (c) => c.json(await deps.status.tool(c.get('ctx'), toolId(c.req.param('id')))));

  app.post('/tools/:id/registration', async (c) => {
    const id = toolId(c.req.param('id'));
    const body = await parseJsonBody(c, RegistrationInputSchema);
    const ctx = c.get('ctx');
    const target = deps.status.snapshot().state.tools[id];
    if (target.state === 'missing' || !target.service) {
      throw new AppError(
        'TOOL_NOT_FOUND',
        `${id} has no Service in the cluster; install it first (see hints)`,
      );
    }
    const cs = await deps.registrations.register(ctx, target, { appName: body.appName });
    return c.json(deps.status.toolFrom(ctx, id, cs));
  });

  app.delete('/tools/:id/registration', async (c) => {
    const id = toolId(c.req.param('id'));
    const ctx = c.get('ctx');
    deps.status.snapshot();
    const cs = await deps.registrations.unregister(ctx, id);
    return c.json(deps.status.toolFrom(ctx, id, cs));
  });

  app.put('/tools/:id/access', async (c) => {
    const id = toolId(c.req.param('id'));
    const body = await parseJsonBody(c, AccessInputSchema);
    const ctx = c.get('ctx');
    const target = deps.status.snapshot().state.tools[id];
    if (body.external) {
      const current = await deps.registrations.read(ctx, id);
      if (!current.registration) {
        throw new AppError(
          'NOT_REGISTERED',
          `${id} is not registered in team ${ctx.team}; register it first`,
        );
      }
      const acked = new Set(body.acknowledgedRisks ?? []);
      const missing = target.risks.filter((r) => !acked.has(r));
      if (missing.length > 0) {
        throw new AppError(
          'RISKS_NOT_ACKNOWLEDGED',
          `opening ${id} needs acknowledgement of: ${missing.join(', ')}`,
          {
            missing,
          },
        );
      }
    }
    const cs = await deps.registrations.setAccess(ctx, id, body.external);
    return c.json(deps.status.toolFrom(ctx, id, cs));
  });

  return app;
}

/** /api/v1/tools/{id}/…: validate → service → reply. */
import { Hono } from 'hono';
import { AppError } from '../../errors';
import type { AppEnv } from '../../http/env';
import { parseJsonBody } from '../../http/validate';
import {
  AccessInputSchema,
  LaunchInputSchema,
  RegistrationInputSchema,
  TOOL_IDS,
  ToolIdSchema,
  type ToolId,
} from '../../../contract';
import type { ToolsService } from './tools.service';

function toolId(raw: string): ToolId {
  const r = ToolIdSchema.safeParse(raw);
  if (!r.success) {
    throw new AppError(
      'UNKNOWN_TOOL',
      `unknown tool ${JSON.stringify(raw.slice(0, 64))}; known: ${TOOL_IDS.join(', ')}`,
    );
  }
  return r.data;
}

export function createToolsRoutes(deps: { tools: ToolsService }): Hono<AppEnv> {
  const { tools } = deps;
  const app = new Hono<AppEnv>();
  app.get('/:id', async (c) => c.json(await tools.get(c.get('ctx'), toolId(c.req.param('id')))));
  app.post('/:id/registration', async (c) => {
    const id = toolId(c.req.param('id'));
    const body = await parseJsonBody(c, RegistrationInputSchema);
    return c.json(await tools.register(c.get('ctx'), id, body));
  });
  app.delete('/:id/registration', async (c) =>
    c.json(await tools.unregister(c.get('ctx'), toolId(c.req.param('id')))),
  );
  app.put('/:id/access', async (c) => {
    const id = toolId(c.req.param('id'));
    const body = await parseJsonBody(c, AccessInputSchema);
    return c.json(await tools.setAccess(c.get('ctx'), id, body));
  });
  app.post('/:id/launch', async (c) => {
    const id = toolId(c.req.param('id'));
    const body = await parseJsonBody(c, LaunchInputSchema);
    // the URL carries a single-use ticket: never cached, never shown to another page
    c.header('Cache-Control', 'no-store');
    return c.json(await tools.launch(c.get('ctx'), id, body));
  });
  return app;
}

/** GET /summary (mounted at /api/v1/insights after the auth middleware): validate → service → reply. */
import { Hono } from 'hono';
import { z } from 'zod';
import { limitPerUser } from '../../http/concurrency';
import type { AppEnv } from '../../http/env';
import { parseQuery } from '../../http/validate';
import { SummaryQuerySchema } from '../../../contract/insights';
import type { SummaryService } from './summary.service';

/** team/region are checked by the auth middleware; they are accepted here so the query parses. */
const QuerySchema = SummaryQuerySchema.extend({ team: z.string().optional(), region: z.string().optional() });

export interface SummaryRoutesDeps {
  summary: SummaryService;
  /** Summaries one user may have in flight, e.g. 2; default 2. */
  maxConcurrentPerUser?: number;
}

export function createSummaryRoutes(deps: SummaryRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/summary', limitPerUser({ max: deps.maxConcurrentPerUser ?? 2, what: 'summary' }), async (c) => {
    const q = parseQuery(c, QuerySchema);
    const ctx = c.get('ctx');
    // The namespace always comes from the context (the team's own), never from the query.
    const reply = await deps.summary.summary({
      namespace: ctx.namespace,
      window: q.window,
      locale: ctx.locale,
      // Prometheus's URL only to enterprise admins; teams get the diagnoses in words.
      revealAddresses: ctx.user.isEnterpriseAdmin,
    });
    return c.json(reply);
  });
  return app;
}

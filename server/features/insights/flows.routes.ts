/**
 * GET /relay and GET /flows (JSON, or Server-Sent Events with follow=true), mounted under /api/v1/insights
 * after the auth middleware: the team's namespace comes from ctx, never from the query.
 */
import { Hono } from 'hono';
import { recheckMembership, type IdentityResolver } from '../../http/auth';
import { limitPerUser } from '../../http/concurrency';
import type { AppEnv } from '../../http/env';
import { createSseStream, sseResponse } from '../../http/sse';
import { parseQuery } from '../../http/validate';
import type { Logger } from '../../log';
import { FlowsQuerySchema } from '../../../contract/insights';
import type { FlowsService } from './flows.service';
import type { FlowEnricher } from './flows.names';
import { createLiveStreamRegistry, type LiveStreamRegistry } from './live-sessions';
import { createLiveStreams } from './live-stream';
import type { RelayService } from './relay.service';

export interface FlowsRoutesDeps {
  relay: RelayService;
  flows: FlowsService;
  log: Logger;
  live?: LiveStreamRegistry;
  /** Re-checks a live stream's user against the console (the app's identity resolver). */
  identity: IdentityResolver;
  /** Requests of one user in flight on /relay and on /flows (each), e.g. 2; default 2. */
  maxConcurrentPerUser?: number;
  /** Component names and drop explanations; absent = flows as Relay names them. */
  enrich?: FlowEnricher;
  /** Whether Relay has workload filters (Cilium ≥ 1.13); default true. */
  workloadFilters?: () => boolean;
}

export function createFlowsRoutes(deps: FlowsRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const log = deps.log.child({ feature: 'insights.flows' });
  const live = createLiveStreams({
    flows: deps.flows,
    registry: deps.live ?? createLiveStreamRegistry(),
    log,
  });

  const max = deps.maxConcurrentPerUser ?? 2;
  // Relay's address only to enterprise admins; teams get the diagnoses in words.
  app.get('/relay', limitPerUser({ max, what: 'relay status' }), async (c) => {
    const ctx = c.get('ctx');
    return c.json(await deps.relay.status(ctx.locale, { revealAddresses: ctx.user.isEnterpriseAdmin }));
  });

  app.get('/flows', limitPerUser({ max, what: 'flows' }), async (c) => {
    const ctx = c.get('ctx');
    const q = parseQuery(c, FlowsQuerySchema);
    const enriched = deps.enrich
      ? await deps.enrich.forContext({ ...ctx, locale: q.lang ?? ctx.locale })
      : null;
    const query = {
      namespace: ctx.namespace,
      ...(q.verdict ? { verdict: q.verdict } : {}),
      ...(q.protocol ? { protocol: q.protocol } : {}),
      ...(q.filters?.length ? { tags: q.filters } : {}),
      ...(q.hide?.length ? { hide: q.hide } : {}),
      workloadFilters: deps.workloadFilters?.() ?? true,
      ...(enriched ? { decorate: enriched.decorate, decorateKey: enriched.decorateKey } : {}),
    };
    if (q.follow !== 'true') return c.json(await deps.flows.recent({ ...query, limit: q.limit }));
    const stream = live.open({
      user: String(ctx.user.userId),
      team: ctx.team,
      query,
      membership: () => recheckMembership(deps.identity, ctx),
    });
    return sseResponse(createSseStream({ ...stream, signal: c.req.raw.signal }));
  });

  return app;
}

/** createApp(deps): the whole HTTP surface of the backend, testable in process with app.request(). */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, invalidInput, isAppError, toErrorBody } from './errors';
import type { AppEnv } from './http/env';
import { createIdentityResolver, requireTeamContext, requireUser } from './http/auth';
import { MAX_BODY_BYTES } from './http/validate';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { ClusterView } from './clients/cluster/types';
import type { RegistrationService, UserIdentity } from './clients/rainbond/types';
import { createStatusService } from './features/overview/overview.service';
import type { PluginEntryService } from './features/overview/plugin-entry.service';
import { createToolsRoutes } from './features/tools/tools.routes';
import type { Teams } from '../contract';

export interface AppDeps {
  log: Logger;
  metrics: Metrics;
  cluster: ClusterView;
  /** `GET /console/users/details` with the caller's JWT. */
  userDetails: (jwt: string) => Promise<UserIdentity>;
  registrations: RegistrationService;
  /** Routers mounted under /api/v1/insights after the team-context middleware. */
  insights?: Hono<AppEnv>[];
  /** The panel bundle (web/dist/main.js), or null when it has not been built. */
  panelBundle: () => Promise<Uint8Array | null>;
  /** The console plugin-entry self-check, reported by /api/v1/status (never by /readyz). */
  pluginEntry?: PluginEntryService;
  /** Whether the console answered recently (for /readyz). */
  consoleReachable?: () => boolean;
  authCacheSeconds?: number;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const identity = createIdentityResolver({
    userDetails: deps.userDetails,
    ttlSeconds: deps.authCacheSeconds ?? 10,
  });
  const status = createStatusService({
    cluster: deps.cluster,
    registrations: deps.registrations,
    pluginEntry: deps.pluginEntry,
  });

  // Request id, structured access log and HTTP metrics for every request.
  app.use('*', async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    await next();
    const route = routeOf(c.req.path);
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.observeHttp(route, c.req.method, c.res.status, seconds);
    deps.log.info('request', {
      requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      durationMs: Math.round(seconds * 10000) / 10,
      ...(c.res.status >= 400 ? { error: c.get('errorCode') } : {}),
    });
  });

  app.onError((err, c) => {
    const e = isAppError(err) ? err : toAppError(err);
    if (e.code === 'INTERNAL')
      deps.log.error('unhandled error', { requestId: c.get('requestId'), err: String(err) });
    c.set('errorCode', e.code);
    return c.json(toErrorBody(e), e.status as 400);
  });
  app.notFound((c) =>
    c.json(
      toErrorBody(new AppError('NOT_FOUND', `no route ${c.req.method} ${c.req.path.slice(0, 200)}`)),
      404,
    ),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const snap = deps.cluster.snapshot();
    const consoleOk = deps.consoleReachable ? deps.consoleReachable() : true;
    const ready = snap.synced && consoleOk;
    return c.json(
      {
        status: ready ? 'ready' : 'not ready',
        clusterSynced: snap.synced,
        stale: snap.stale,
        lastSyncAt: snap.lastSyncAt,
        consoleReachable: consoleOk,
      },
      ready ? 200 : 503,
    );
  });
  app.get('/metrics', (c) =>
    c.text(deps.metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );
  app.on(['GET', 'HEAD'], '/static/main.js', async (c) => {
    const body = await deps.panelBundle();
    if (!body) throw new AppError('UNAVAILABLE', 'the panel bundle is not built; run npm run build:web');
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
    });
  });

  const api = new Hono<AppEnv>();
  // Oversized bodies: read and discard (bounded) before answering 400, so clients see the answer rather
  // than a reset connection; chunked bodies without a length are cut by bodyLimit.
  api.use('*', async (c, next) => {
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > MAX_BODY_BYTES) {
      if (declared <= DRAIN_LIMIT_BYTES) await drain(c.req.raw.body);
      throw invalidInput(`body larger than ${MAX_BODY_BYTES} bytes`);
    }
    await next();
  });
  api.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw invalidInput(`body larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  api.get('/teams', requireUser(identity), (c) => {
    const user = c.get('ctx').user;
    const body: Teams = {
      teams: user.teams.map((t) => ({
        name: t.name,
        alias: t.alias,
        namespace: t.namespace,
        regions: t.regions,
      })),
    };
    return c.json(body);
  });
  api.use('/status', requireTeamContext(identity));
  api.use('/tools/*', requireTeamContext(identity));
  api.use('/insights/*', requireTeamContext(identity));
  api.route('/', createToolsRoutes({ status, registrations: deps.registrations }));
  for (const r of deps.insights ?? []) api.route('/insights', r);
  app.route('/api/v1', api);

  return app;
}

const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done } = await reader.read();
      if (done) return;
    }
  } catch {
    /* the client went away: nothing to answer */
  }
}

/** Route pattern for metrics: ids collapsed so label cardinality stays bounded. */
export function routeOf(path: string): string {
  if (path.startsWith('/api/v1/tools/')) {
    const rest = path.slice('/api/v1/tools/'.length).split('/');
    return ['/api/v1/tools/:id', ...rest.slice(1, 2)].join('/');
  }
  const known = ['/healthz', '/readyz', '/metrics', '/static/main.js', '/api/v1/status', '/api/v1/teams'];
  if (known.includes(path)) return path;
  if (path.startsWith('/api/v1/insights/')) return path.split('/').slice(0, 5).join('/');
  return 'other';
}

function toAppError(err: unknown): AppError {
  // Hono's own HTTPExceptions (e.g. malformed requests) are client errors, never 5xx.
  const status = (err as { status?: number })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return invalidInput(String((err as Error).message));
  return new AppError('INTERNAL', 'internal error');
}

/** Operations endpoints outside /api/v1: liveness, readiness, Prometheus metrics and the panel bundle. */
import { Hono } from 'hono';
import { AppError } from '../errors';
import type { Metrics } from '../metrics';
import type { ClusterView } from '../clients/cluster/types';
import type { AppEnv } from './env';

export interface OpsDeps {
  metrics: Metrics;
  cluster: ClusterView;
  /** Whether the console answered recently. */
  consoleReachable?: () => boolean;
  /** The panel bundle (web/dist/main.js), or null when it has not been built. */
  panelBundle: () => Promise<Uint8Array | null>;
}

export function createOpsRoutes(deps: OpsDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
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
  return app;
}

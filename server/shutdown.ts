import type { Server } from 'node:http';
import type { Logger } from './log';

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish (bounded), close watches, exit. */
export function installShutdown(
  server: Server,
  closeRest: () => Promise<void>,
  graceSeconds: number,
  log: Logger,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal, graceSeconds });
    const force = setTimeout(() => {
      log.warn('grace period over; closing remaining connections');
      server.closeAllConnections();
    }, graceSeconds * 1000);
    force.unref();
    // Keep-alive connections become idle once their request finished: close them as they do.
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      closeRest()
        .catch((e: unknown) => log.error('error while closing', { err: String(e) }))
        .finally(() => {
          log.info('stopped');
          process.exit(0);
        });
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

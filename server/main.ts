/**
 * The only file that reads process.env and listens. With RAINBOND_CONSOLE_URL unset it runs the sandbox:
 * simulated console, cluster, relay and metrics on loopback, the panel loaded the way the console loads it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './log';
import { createBackend } from './wiring';
import { installShutdown } from './shutdown';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`cilium-observability: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.LOG_LEVEL);

  if (!config.RAINBOND_CONSOLE_URL) {
    // Loaded only here: the sandbox pulls in the loopback fakes, which the production image does not ship.
    const { runSandbox } = await import('./sandbox');
    await runSandbox({ config, log });
    return;
  }

  const kubeConfig = new KubeConfig();
  if (config.KUBECONFIG) kubeConfig.loadFromFile(config.KUBECONFIG);
  else kubeConfig.loadFromCluster();

  const backend = createBackend({ config, log, kubeConfig });
  const server = serve({ fetch: backend.app.fetch, hostname: config.HOST, port: config.PORT }) as Server;
  server.once('listening', () => {
    const a = server.address() as AddressInfo;
    log.info('listening', {
      address: `${a.address}:${a.port}`,
      console: config.RAINBOND_CONSOLE_URL,
      pluginId: config.PLUGIN_ID,
    });
  });
  backend
    .start()
    .catch((e: unknown) =>
      log.error('cluster view did not sync yet; retrying in the background', { err: String(e) }),
    );
  installShutdown(server, () => backend.close(), config.SHUTDOWN_GRACE_SECONDS, log);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `cilium-observability: failed to start: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});

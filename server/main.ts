/**
 * The only file that reads process.env and listens. With RAINBOND_CONSOLE_URL unset it runs the sandbox:
 * simulated console, cluster, relay and metrics on loopback, the panel loaded the way the console loads it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './log';
import { createBackend } from './wiring';
import { installShutdown } from './shutdown';

/** The sandbox lives with the fakes it is made of (test/), outside what the image copies. */
const SANDBOX_MODULE = '../test/sandbox/sandbox';
interface SandboxModule {
  runSandbox(opts: { config: Config; log: Logger }): Promise<void>;
}

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
    // Loaded only here: the sandbox is made of the loopback test fakes, which the production image does not ship.
    const sandbox = await import(SANDBOX_MODULE).catch(() => null);
    if (!sandbox) {
      process.stderr.write(
        'cilium-observability: RAINBOND_CONSOLE_URL is not set and this build has no sandbox; set it, e.g. http://rbd-app-ui.rbd-system:7070\n',
      );
      process.exit(2);
    }
    // The sandbox mints tokens for anyone who asks: loopback only unless HOST says otherwise.
    const host = process.env.HOST ? config.HOST : '127.0.0.1';
    await (sandbox as SandboxModule).runSandbox({ config: { ...config, HOST: host }, log });
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
  // The authenticating gateway listener: the Service's second port (the console takes the first as the plugin's).
  const gw = await backend.gateway.listen(config.GATEWAY_PORT, config.HOST);
  log.info('gateway listening', { address: `${gw.address}:${gw.port}`, peer: backend.gateway.peerUrl() });
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

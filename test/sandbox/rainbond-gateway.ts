/**
 * The sandbox's stand-in for Rainbond's HTTP gateway (APISIX): routes by Host exactly as the fake console's
 * state says — every outer port's default domain goes to that third-party component's Service; a closed port's
 * routes answer 404 "请打开对外访问" (close_outer's response-rewrite), an unknown host 404 "Route Not Found". The
 * client's Host is passed on, X-Forwarded-* are set, WebSockets pass. Services resolve to loopback addresses
 * through `resolve` (the sandbox's address book), so protected tools land on the backend's gateway listener.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { FakeConsole } from '../fakes/console';

export interface SimulatedGateway {
  /** e.g. 8081: the port in every default domain, "<alias>-<port>-<team>.apps.localhost:8081". */
  port: number;
  close(): Promise<void>;
}

type Route = { kind: 'open'; target: string } | { kind: 'closed' } | null;

export async function startSimulatedGateway(opts: {
  host: string;
  port: number;
  /** Read at request time: the console is created after the listener (its domains carry this port). */
  console: () => FakeConsole | null;
  /** Service namespace/name → loopback base URL, null when the sandbox has nothing behind it. */
  resolve: (namespace: string, name: string) => string | null;
}): Promise<SimulatedGateway> {
  const proxy = createProxyServer({ xfwd: true, ws: true });
  const sockets = new Set<Socket>();

  function routeOf(hostHeader: string | undefined): Route {
    const host = (hostHeader ?? '').toLowerCase();
    const fake = opts.console();
    if (!fake) return null;
    for (const c of fake.state().components) {
      for (const p of c.ports) {
        if (!p.domains.includes(host)) continue;
        if (!p.outer) return { kind: 'closed' };
        const target = opts.resolve(c.kubernetes.namespace, c.kubernetes.serviceName);
        return target ? { kind: 'open', target } : null;
      }
    }
    return null;
  }

  const notFound = (res: http.ServerResponse, body: string) => {
    res.writeHead(404, {
      'content-type': body.startsWith('{') ? 'application/json' : 'text/plain; charset=utf-8',
    });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const route = routeOf(req.headers.host);
    if (!route) return notFound(res, '{"error_msg":"404 Route Not Found"}');
    if (route.kind === 'closed') return notFound(res, '请打开对外访问');
    proxy.web(req, res, { target: route.target }, () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('502 Bad Gateway (sandbox gateway)');
    });
  });
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    const route = routeOf(req.headers.host);
    if (!route || route.kind === 'closed') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    proxy.ws(req, socket, head, { target: route.target }, () => socket.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // the wanted port, or any free one when it is taken (the URLs carry whichever it is)
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(opts.port).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EADDRINUSE' || opts.port === 0) throw e;
    return listen(0);
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

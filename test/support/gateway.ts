/**
 * Helpers for driving the gateway listener over real HTTP: a recording stand-in for a tool (what the tool received,
 * streams held open until the test says so, a WebSocket echo), the plugin's own Service as the cluster holds it,
 * requests with an explicit Host, and the launch → session steps as the panel and the browser do them.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { service } from '../fixtures/cluster/builders';
import type { KubeObject } from '../fakes/kube-api';

/** The plugin's own Service: first port the backend (8080), second the gateway listener (8081), as Rainbond makes it. */
export function pluginService(
  namespace = 'rbd-plugins',
  name = 'cilium-observability',
  alias = 'gr5f1a2b',
): KubeObject {
  return service(namespace, name, { service_type: 'inner', name: `${alias}Service` }, { name: alias }, [
    { name: 'http-8080', port: 8080, targetPort: 8080 },
    { name: 'http-8081', port: 8081, targetPort: 8081 },
  ]);
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface ToolStandIn {
  url: string;
  /** Every request it answered, in order. */
  received: Received[];
  /** Requests for a path it does not serve (answered 404). */
  unknown: Received[];
  /** URLs of answers whose connection closed before the tool finished them (the client, or the proxy, left). */
  aborted: string[];
  /** Releases the rest of a held stream (/stream, /sse). */
  release(): void;
  close(): Promise<void>;
}

const MB = 1024 * 1024;
export const STREAM_BYTES = 5 * MB;

/**
 * A tool on loopback. GET /echo… answers what it received; /stream sends 64 KB, then waits for release() before
 * the other 5 MB − 64 KB; /sse sends one event, waits, then a second and ends; /hop answers with hop-by-hop headers;
 * /ws is a WebSocket echo. Anything else: 404, recorded in `unknown`.
 */
export async function startToolStandIn(): Promise<ToolStandIn> {
  const received: Received[] = [];
  const unknown: Received[] = [];
  const aborted: string[] = [];
  let releaseNow: () => void = () => undefined;
  let released = new Promise<void>((r) => (releaseNow = r));
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    received.push(rec);
    res.once('close', () => {
      if (!res.writableFinished) aborted.push(rec.url);
    });
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/' || path.startsWith('/echo') || path.startsWith('/d/') || path === '/graph') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.stringify({
          method: req.method,
          url: req.url,
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'tool_cookie=1; Path=/' });
        res.end(body);
      });
      return;
    }
    if (path === '/stream') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      res.write(chunk);
      void released.then(() => {
        let left = STREAM_BYTES - chunk.length;
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            const n = Math.min(left, chunk.length);
            left -= n;
            if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n)))
              return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
      });
      return;
    }
    if (path === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: one\n\n');
      void released.then(() => (res.destroyed ? undefined : res.end('data: two\n\n')));
      return;
    }
    if (path === '/hop') {
      res.writeHead(200, {
        'content-type': 'text/plain',
        connection: 'X-Up-Hop',
        'x-up-hop': 'secret',
        'keep-alive': 'timeout=5',
        'x-kept': 'yes',
      });
      res.end('hop');
      return;
    }
    unknown.push(rec);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`stand-in: unknown path ${path}`);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.url !== '/ws') {
      unknown.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (m, binary) => ws.send(m, { binary })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    unknown,
    aborted,
    release() {
      releaseNow();
      released = new Promise<void>((r) => (releaseNow = r));
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface GatewayReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request to the gateway listener at `base` with the given Host, answered in full. */
export function gatewayRequest(
  base: string,
  path: string,
  opts: { host: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<GatewayReply> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: opts.method ?? 'GET',
        headers: { ...opts.headers, host: opts.host },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** "cobs_session=v1.…; Max-Age=…" from a Set-Cookie list → "cobs_session=v1.…", or null. */
export function sessionCookieOf(headers: IncomingHttpHeaders): string | null {
  const c = (headers['set-cookie'] ?? []).find((x) => x.startsWith('cobs_session='));
  return c ? (c.split(';')[0] ?? null) : null;
}

/** The URL's path + query and its host, e.g. for a launch URL. */
export function splitUrl(url: string): { host: string; path: string } {
  const u = new URL(url);
  return { host: u.host, path: `${u.pathname}${u.search}` };
}

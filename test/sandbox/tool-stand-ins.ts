/**
 * Stand-ins for Hubble UI and Grafana in the sandbox (Prometheus is the real one when /usr/bin/prometheus exists):
 * small HTML pages that show which path they were opened on and who Grafana's auth.proxy header says is signed in,
 * plus Grafana Live's WebSocket path as an echo. Anything else is 404. Loopback, ephemeral ports.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';

export interface StandIn {
  url: string;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
  `<body style="font-family:system-ui;margin:2rem"><h1>${esc(title)}</h1>${body}</body></html>`;

async function serve(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  wsPath?: string,
): Promise<StandIn> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!wsPath || (req.url ?? '').split('?')[0] !== wsPath) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (m, binary) => ws.send(m, { binary })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Hubble UI: "/" (with ?namespace= and verdicts= as the v0.13 links use) and its /healthz. */
export function startHubbleUiStandIn(): Promise<StandIn> {
  return serve((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/healthz') return void res.end('ok');
    if (u.pathname !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end(`Hubble UI stand-in: no ${u.pathname}`);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      page(
        'Hubble UI — sandbox stand-in',
        `<p data-namespace="${esc(u.searchParams.get('namespace') ?? '')}">namespace: ${esc(u.searchParams.get('namespace') ?? '(all)')}</p>` +
          `<p>verdicts: ${esc(u.searchParams.get('verdicts') ?? '(all)')}</p>`,
      ),
    );
  });
}

/** Grafana: "/" and "/d/<uid>[/<slug>]" pages naming the auth.proxy user, "/api/health", "/api/live/ws" (echo). */
export function startGrafanaStandIn(opts: { userHeader?: string } = {}): Promise<StandIn> {
  return serve((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const user = opts.userHeader ? req.headers[opts.userHeader.toLowerCase()] : undefined;
    const who = typeof user === 'string' ? `signed in as ${user} (auth.proxy)` : 'anonymous';
    if (u.pathname === '/api/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"database":"ok","version":"sandbox"}');
    }
    const d = /^\/d\/([A-Za-z0-9_-]+)(?:\/[^/]*)?$/.exec(u.pathname);
    if (u.pathname !== '/' && !d) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end(`Grafana stand-in: no ${u.pathname}`);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      page(
        d ? `Grafana — dashboard ${d[1]}` : 'Grafana — home',
        `<p>sandbox stand-in</p><p data-user>${esc(who)}</p>`,
      ),
    );
  }, '/api/live/ws');
}

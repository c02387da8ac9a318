/**
 * (g)'s stand-in tool, in its own process: GET /tiny → 20 bytes of JSON (the worst case for any proxy);
 * /asset → Prometheus UI's graph JS (Debian's file when installed, else 36 KB of JS-like text), what a browser
 * fetches from a tool; /think → a 2 KB query answer after THINK_MS of "work" (a timer, as an upstream waiting on
 * its storage); /big?mib=N → N MiB in 64 KiB chunks, as fast as the reader takes them.
 */
import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { onStop, ready } from './child';

export const PROMETHEUS_GRAPH_JS = '/usr/share/prometheus/web/static/js/graph/index.js';
const THINK_MS = Number(process.env.THINK_MS ?? 5);

const tiny = Buffer.from('{"status":"success"}');
const asset = existsSync(PROMETHEUS_GRAPH_JS)
  ? readFileSync(PROMETHEUS_GRAPH_JS)
  : Buffer.from('function graph(){return 1}\n'.repeat(Math.ceil((36 * 1024) / 27)).slice(0, 36 * 1024));
const sample = (i: number) => ({
  metric: { __name__: 'up', instance: `10.0.0.${i}:9962`, job: 'hubble-metrics' },
  value: [1700000000 + i, '1'],
});
const query = Buffer.from(
  JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result: Array.from({ length: 20 }, (_, i) => sample(i)) },
  }),
);
const chunk = Buffer.alloc(64 * 1024, 97);

const send = (res: http.ServerResponse, type: string, body: Buffer) => {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
};

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/tiny') return send(res, 'application/json', tiny);
  if (url === '/asset') return send(res, 'application/javascript', asset);
  if (url === '/think') return void setTimeout(() => send(res, 'application/json', query), THINK_MS);
  if (url.startsWith('/big')) {
    const mib = Number(new URL(url, 'http://tool').searchParams.get('mib') ?? 1);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let left = mib * 16;
    const pump = () => {
      while (left > 0) {
        left--;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    return pump();
  }
  res.writeHead(404, { 'content-length': 0 });
  res.end();
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  ready({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sizes: { tiny: tiny.length, asset: asset.length, think: query.length },
    asset: existsSync(PROMETHEUS_GRAPH_JS) ? PROMETHEUS_GRAPH_JS : 'synthetic',
    thinkMs: THINK_MS,
  });
});
onStop(() => {
  server.closeAllConnections();
});

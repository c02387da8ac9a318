/**
 * (g)'s reference proxies, in their own process, in front of the same tool: each library alone (no session, no
 * header rules) — undici's dispatch() as the gateway uses it, and http-proxy-3 as its README shows it — and a raw
 * TCP relay (net sockets piped both ways, no HTTP parsing at all): the least any user-space proxy on this machine
 * can cost, the floor under every HTTP proxy's figure.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import { Agent, type Dispatcher } from 'undici';
import { onStop, ready } from './child';

const upstream = process.env.BENCH_UPSTREAM;
if (!upstream) throw new Error('BENCH_UPSTREAM (the tool URL) is required');
const target = new URL(upstream);

const listen = (s: net.Server) =>
  new Promise<string>((r) =>
    s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );

// http-proxy-3 as its README shows it, with a keep-alive agent
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const proxy = createProxyServer({});
proxy.on('error', () => undefined);
const library = http.createServer((req, res) => proxy.web(req, res, { target: upstream, agent }));
library.keepAliveTimeout = 65_000;

const upstreams = new Agent({ keepAliveTimeout: 10_000, bodyTimeout: 0 });
/** undici's dispatch handler API as the gateway uses it: headers, then each chunk into the response. */
class ToResponse implements Dispatcher.DispatchHandler {
  constructor(private readonly res: http.ServerResponse) {}
  /** (its presence makes undici use this handler API) */
  onRequestStart() {}
  onResponseStart(
    _c: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[]>,
  ) {
    delete headers.connection;
    delete headers['keep-alive'];
    delete headers['transfer-encoding'];
    this.res.writeHead(status, headers);
  }
  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer) {
    if (!this.res.write(chunk)) {
      c.pause();
      this.res.once('drain', () => c.resume());
    }
  }
  onResponseEnd() {
    this.res.end();
  }
  onResponseError() {
    this.res.destroy();
  }
}
const undici = http.createServer((req, res) =>
  upstreams.dispatch(
    {
      origin: upstream,
      path: req.url ?? '/',
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers as Record<string, string>,
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
    },
    new ToResponse(res),
  ),
);
undici.keepAliveTimeout = 65_000;

const tcp = net.createServer((client) => {
  const up = net.connect(Number(target.port), target.hostname);
  client.setNoDelay(true);
  up.setNoDelay(true);
  client.pipe(up).pipe(client);
  client.on('error', () => up.destroy());
  up.on('error', () => client.destroy());
});

ready({ undici: await listen(undici), httpProxy3: await listen(library), tcp: await listen(tcp) });
onStop(async () => {
  library.closeAllConnections();
  undici.closeAllConnections();
  agent.destroy();
  await upstreams.destroy();
});

/**
 * The authenticating gateway listener (GATEWAY_PORT). The Rainbond gateway routes each protected tool's host here
 * (a third-party component of the plugin's own Service); this listener serves only that tool, proxied, to a
 * session made from a single-use launch ticket, and its own /__cobs/… paths — never the API, /metrics or the bundle.
 * HTTP is forwarded with undici (the Node.js project's HTTP client, the one behind Node's fetch): `dispatch()` with
 * one handler per exchange writes the tool's answer straight into our response, chunk by chunk, with back-pressure,
 * over kept-alive connections — measured about half the CPU per request of http-proxy-3 (bench (g)). WebSocket
 * upgrades stay with http-proxy-3 (undici has no server-side upgrade relay). What passes is ruled in rules.ts.
 *
 * Tickets and sessions are sealed tokens (tokens.ts) any replica with the same SESSION_SECRET opens. Single use
 * across replicas: the ticket names the replica that issued it, and a replica redeeming another's ticket asks the
 * issuer (an HMAC-signed call to /__cobs/peer/redeem), so one replay guard decides for each ticket.
 */
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { createProxyServer } from 'http-proxy-3';
import { LRUCache } from 'lru-cache';
import { Agent as UpstreamAgent, type Dispatcher } from 'undici';
import type { LaunchResult, Locale, ToolId } from '../../contract';
import type { LaunchInput, LaunchTickets } from '../launch-tickets';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { pickLocale } from '../http/auth';
import { createReplayGuard, type Redemption } from './replay-guard';
import { PAGE_HEADERS, renderPage, type PageKind } from './pages';
import {
  checkRequest,
  clientProto,
  forwardHeaders,
  normalizeHost,
  parseCookies,
  SESSION_COOKIE,
  stripResponseHopByHop,
} from './rules';
import { createSealer, newId, SessionSchema, TicketSchema, type Session, type Ticket } from './tokens';

/** What the console says of a session's user now: still allowed, no longer allowed, or no answer. */
export type Verdict = 'ok' | 'revoked' | 'unknown';

export interface GatewayOptions {
  /** SESSION_SECRET; undefined → a random key for this process only. */
  secret: string | undefined;
  log: Logger;
  metrics: Metrics;
  /** Base URL a tool's traffic goes to, e.g. "http://prometheus.cilium-monitoring.svc:9090"; null = not found. */
  upstreamFor(tool: ToolId): string | null;
  /** Re-checks a session's user against the console with their JWT (membership and TOOL_VIEWERS). */
  authorize(s: { jwt: string; uid: number; team: string; region: string }): Promise<Verdict>;
  /** CONSOLE_PUBLIC_URL, linked from the pages. */
  consolePublicUrl?: string;
  /** Idle timeout, absolute lifetime and re-check interval of a session, in ms. */
  idleMs: number;
  maxMs: number;
  recheckMs: number;
  /** Grafana auth.proxy header name (e.g. "X-WEBAUTH-USER"); set only for Grafana, only when configured. */
  grafanaUserHeader?: string;
  /** This replica's gateway address for the others; default: the loopback address it listens on, else none. */
  peerUrl?: string | null;
  /** Ticket lifetime, ms, at most 60 s. */
  ticketTtlMs?: number;
  /** Clock, ms; tests move it. */
  now?: () => number;
}

export interface Gateway {
  /** Issues a launch URL (the tools feature's LaunchTickets). */
  tickets: LaunchTickets;
  server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
  /** The address other replicas redeem this replica's tickets at, null when none. */
  peerUrl(): string | null;
  /** SESSION_SECRET was not set: sessions do not survive a restart nor span replicas. */
  readonly ephemeralSecret: boolean;
}

const RENEW_EVERY_MS = 60_000;
const PEER_PATH = '/__cobs/peer/redeem';
const PEER_HEADER = 'x-cobs-peer';
const PEER_SKEW_MS = 30_000;

export function createGateway(opts: GatewayOptions): Gateway {
  const now = opts.now ?? Date.now;
  const log = opts.log.child({ component: 'gateway' });
  const ephemeralSecret = !opts.secret;
  if (ephemeralSecret)
    log.warn(
      'SESSION_SECRET is not set (or is still the app-market placeholder, which consoles before v6.9.4 do not ' +
        'fill in): a random key is used, sessions end on restart and do not span replicas',
    );
  const sealer = createSealer(opts.secret ?? randomBytes(32));
  const ticketTtl = Math.min(opts.ticketTtlMs ?? 60_000, 60_000);
  const guard = createReplayGuard({ now });
  let selfPeer: string | null = opts.peerUrl ?? null;
  // signed out here: refused by this replica until the session would have ended anyway
  const signedOut = new LRUCache<string, true>({ max: 20_000, ttl: opts.maxMs });
  // one console check per session at a time; "unknown" is not kept, so the next request asks again
  const checks = new LRUCache<string, Promise<Verdict>>({ max: 20_000, ttl: 10_000 });
  // A browser sends the same cookie for a minute or more: opened once (decrypt + schema), then from memory.
  const opened = new LRUCache<string, Session>({ max: 20_000, ttl: RENEW_EVERY_MS * 2 });
  // old cookie value (+ Secure) → its renewal, for the requests that still carry the old one
  const renewed = new LRUCache<string, { session: Session; cookie: string }>({
    max: 20_000,
    ttl: RENEW_EVERY_MS / 2,
  });
  /** Long-lived proxied exchanges (streams, WebSockets): ended when their session is revoked or too old. */
  const live = new Map<object, { session: Session; end: () => void }>();
  const alsoStrip = opts.grafanaUserHeader ? [opts.grafanaUserHeader] : [];
  opts.metrics.gauge(
    'gateway_open_exchanges',
    'Proxied requests and WebSockets of the gateway listener open now (each is ended when its session is).',
    () => live.size,
  );

  // WebSocket upgrades only (a connection of its own per upgrade)
  const proxy = createProxyServer({ xfwd: false, ws: true, changeOrigin: false });
  proxy.on('econnreset', () => undefined);
  // HTTP: kept-alive connections per tool; no body timeout (SSE, gRPC-web and log streams idle for long)
  const upstreams = new UpstreamAgent({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: 300_000,
    bodyTimeout: 0,
  });

  // ---- cookies and pages ---------------------------------------------------------------------------
  const cookieAttrs = (secure: boolean) => `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  const sessionCookie = (s: Session, secure: boolean) => {
    const maxAge = Math.max(1, Math.floor((s.auth + opts.maxMs - now()) / 1000));
    const value = sealer.seal('session', s);
    // the browser sends it back from the next request on: opened already
    opened.set(value, s);
    return `${SESSION_COOKIE}=${value}; Max-Age=${maxAge}; ${cookieAttrs(secure)}`;
  };
  const clearCookie = (secure: boolean) => `${SESSION_COOKIE}=; Max-Age=0; ${cookieAttrs(secure)}`;
  const localeOf = (req: IncomingMessage): Locale => pickLocale(req.headers['accept-language']);

  function sendPage(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    kind: PageKind,
    cookies: string[] = [],
  ): void {
    const body = renderPage(kind, localeOf(req), opts.consolePublicUrl);
    res.writeHead(status, {
      ...PAGE_HEADERS,
      'Content-Length': Buffer.byteLength(body),
      ...(cookies.length ? { 'Set-Cookie': cookies } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  // ---- sessions ------------------------------------------------------------------------------------
  /** The session and the cookie value that carried it. */
  type Found = { session: Session | null; value: string; present: boolean; ended: boolean };
  function readSession(headers: IncomingHttpHeaders, host: string): Found {
    const values = parseCookies(headers.cookie).filter(([k]) => k === SESSION_COOKIE);
    let ended = false;
    for (const [, v] of values) {
      let s = opened.get(v) ?? null;
      if (!s) {
        s = sealer.open('session', v, SessionSchema);
        if (s) opened.set(v, s);
      }
      if (!s || s.host !== host || signedOut.has(s.sid)) continue;
      const t = now();
      if (t - s.seen > opts.idleMs || t - s.auth > opts.maxMs) {
        ended = true;
        continue;
      }
      return { session: s, value: v, present: true, ended: false };
    }
    return { session: null, value: '', present: values.length > 0, ended };
  }

  function verdictFor(s: Session): Promise<Verdict> {
    let p = checks.get(s.sid);
    if (!p) {
      p = opts
        .authorize({ jwt: s.jwt, uid: s.uid, team: s.team, region: s.region })
        .catch((): Verdict => 'unknown');
      checks.set(s.sid, p);
      void p.then((v) => {
        if (v === 'unknown' && checks.get(s.sid) === p) checks.delete(s.sid);
      });
    }
    return p;
  }

  /** The session, re-checked against the console when due: the updated session, or why it ends. */
  async function recheck(s: Session): Promise<Session | 'revoked' | 'unknown'> {
    if (now() - s.chk < opts.recheckMs) return s;
    const v = await verdictFor(s);
    if (v !== 'ok') {
      if (v === 'revoked')
        log.info('session revoked: the user may no longer open the tool', { tool: s.tool, uid: s.uid });
      return v;
    }
    return { ...s, chk: Math.max(s.chk, now()) };
  }

  // ---- tickets -------------------------------------------------------------------------------------
  function issue(input: LaunchInput): LaunchResult {
    const origin = new URL(input.origin);
    const t = now();
    const ticket: Ticket = {
      jti: newId(),
      uid: input.user.userId,
      user: input.user.userName,
      tool: input.tool,
      host: normalizeHost(origin.host),
      team: input.team,
      region: input.region,
      path: input.path,
      jwt: input.jwt,
      iss: selfPeer,
      iat: t,
      exp: t + ticketTtl,
    };
    const url = `${origin.protocol}//${origin.host}/__cobs/launch?ticket=${sealer.seal('ticket', ticket)}`;
    return { url, expiresAt: new Date(ticket.exp).toISOString() };
  }

  async function redeem(ticket: Ticket): Promise<Redemption | 'unreachable'> {
    if (!ticket.iss || ticket.iss === selfPeer) return guard.consume(ticket.jti, ticket.exp);
    const body = JSON.stringify({ jti: ticket.jti, exp: ticket.exp });
    const ts = String(now());
    try {
      const r = await fetch(new URL(PEER_PATH, ticket.iss), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PEER_HEADER]: `${ts}.${sealer.sign(`${ts}\n${body}`)}`,
        },
        body,
        signal: AbortSignal.timeout(2000),
      });
      const answer = (await r.json().catch(() => null)) as { result?: string } | null;
      if (r.ok && (answer?.result === 'fresh' || answer?.result === 'replay' || answer?.result === 'full'))
        return answer.result;
      log.warn('the replica that issued a ticket refused to redeem it', {
        issuer: ticket.iss,
        status: r.status,
      });
      return 'unreachable';
    } catch (e) {
      log.warn('the replica that issued a ticket is not reachable', { issuer: ticket.iss, err: String(e) });
      return 'unreachable';
    }
  }

  // ---- own paths -----------------------------------------------------------------------------------
  async function launch(req: IncomingMessage, res: ServerResponse, host: string, secure: boolean) {
    const token = new URL(req.url ?? '/', 'http://gateway').searchParams.get('ticket') ?? '';
    const ticket = sealer.open('ticket', token, TicketSchema);
    const t = now();
    if (!ticket || ticket.exp <= t || ticket.iat > t + 5000) return sendPage(req, res, 401, 'ticket-invalid');
    if (ticket.host !== host) return sendPage(req, res, 401, 'ticket-host');
    const r = await redeem(ticket);
    if (r === 'replay') {
      log.warn('a launch ticket was used twice', { tool: ticket.tool, uid: ticket.uid });
      return sendPage(req, res, 401, 'ticket-used');
    }
    if (r !== 'fresh') return sendPage(req, res, 503, 'check-failed');
    const session: Session = {
      sid: newId(),
      uid: ticket.uid,
      user: ticket.user,
      tool: ticket.tool,
      host: ticket.host,
      team: ticket.team,
      region: ticket.region,
      jwt: ticket.jwt,
      auth: t,
      seen: t,
      // the right was checked when the ticket was issued
      chk: ticket.iat,
    };
    log.info('launch: session opened', { tool: ticket.tool, uid: ticket.uid, team: ticket.team });
    res.writeHead(303, {
      ...PAGE_HEADERS,
      Location: ticket.path,
      'Set-Cookie': sessionCookie(session, secure),
      'Content-Length': 0,
    });
    res.end();
  }

  async function peerRedeem(req: IncomingMessage, res: ServerResponse) {
    const json = (status: number, value: unknown) => {
      const text = JSON.stringify(value);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (req.method !== 'POST') return json(405, { error: 'method' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1024) return json(413, { error: 'too large' });
      chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const [ts = '', sig = ''] = String(req.headers[PEER_HEADER] ?? '').split('.');
    if (
      !/^\d{1,15}$/.test(ts) ||
      Math.abs(now() - Number(ts)) > PEER_SKEW_MS ||
      !sealer.verify(`${ts}\n${body}`, sig)
    )
      return json(403, { error: 'signature' });
    let p: { jti?: unknown; exp?: unknown };
    try {
      p = JSON.parse(body) as typeof p;
    } catch {
      return json(400, { error: 'body' });
    }
    if (typeof p.jti !== 'string' || p.jti.length > 64 || typeof p.exp !== 'number')
      return json(400, { error: 'body' });
    return json(200, { result: guard.consume(p.jti, Math.min(p.exp, now() + ticketTtl)) });
  }

  async function own(req: IncomingMessage, res: ServerResponse, path: string, host: string, secure: boolean) {
    if (path === '/__cobs/launch' && (req.method === 'GET' || req.method === 'HEAD'))
      return launch(req, res, host, secure);
    if (path === '/__cobs/logout' && (req.method === 'GET' || req.method === 'POST')) {
      const s = readSession(req.headers, host).session;
      if (s) signedOut.set(s.sid, true);
      return sendPage(req, res, 200, 'signed-out', [clearCookie(secure)]);
    }
    if (path === '/__cobs/healthz' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      return res.end('ok\n');
    }
    if (path === PEER_PATH) return peerRedeem(req, res);
    return sendPage(req, res, 404, 'not-found');
  }

  // ---- HTTP ----------------------------------------------------------------------------------------
  const isOwn = (path: string) => path === '/__cobs' || path.startsWith('/__cobs/');

  /** Every request: one 'close' listener records it (route, status, time). */
  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const exchange = new Exchange(req, res, performance.now());
    res.once('close', exchange.closed);
    const check = checkRequest(req.method, req.url, req.headers.host);
    if (!check.ok) {
      exchange.route = 'gateway:refused';
      return sendPage(req, res, check.status, 'bad-request');
    }
    const secure = clientProto(req.headers, isEncrypted(req)) === 'https';
    if (isOwn(check.path)) {
      exchange.route = `gateway:${check.path.split('/')[2] || 'own'}`;
      void own(req, res, check.path, check.host, secure).catch((e: unknown) => failed(req, res, e));
      return;
    }
    const found = readSession(req.headers, check.host);
    if (!found.session) {
      exchange.route = 'gateway:unauthenticated';
      return sendPage(
        req,
        res,
        401,
        found.ended ? 'session-ended' : 'protected',
        found.present ? [clearCookie(secure)] : [],
      );
    }
    // the console is asked only when the session's check is due; otherwise no promise, no extra tick
    if (now() - found.session.chk < opts.recheckMs)
      return proxyHttp(exchange, found, found.session, check.host, secure);
    recheck(found.session).then(
      (checked) => proxyHttp(exchange, found, checked, check.host, secure),
      (e: unknown) => failed(req, res, e),
    );
  }

  function proxyHttp(
    x: Exchange,
    found: Found,
    checked: Session | 'revoked' | 'unknown',
    host: string,
    secure: boolean,
  ): void {
    const { req, res } = x;
    if (checked === 'revoked') {
      x.route = 'gateway:revoked';
      return sendPage(req, res, 401, 'revoked', [clearCookie(secure)]);
    }
    if (checked === 'unknown') {
      x.route = 'gateway:check-failed';
      return sendPage(req, res, 503, 'check-failed');
    }
    let s = checked;
    // the renewed cookie (new idle start, or a new check time) rides on the tool's answer
    if (now() - s.seen >= Math.min(RENEW_EVERY_MS, opts.idleMs / 2) || s !== found.session) {
      // a client that keeps sending the old cookie (a script, requests already under way) gets the same renewal
      // for a while rather than a new seal each time; its idle time then counts from that renewal
      const k = secure ? `${found.value} s` : found.value;
      let r = renewed.get(k);
      if (!r || now() - r.session.seen >= RENEW_EVERY_MS / 2 || now() - r.session.chk >= opts.recheckMs) {
        const next = { ...s, seen: now() };
        r = { session: next, cookie: sessionCookie(next, secure) };
        renewed.set(k, r);
      }
      s = r.session;
      x.cookie = r.cookie;
    }
    const upstream = opts.upstreamFor(s.tool);
    if (!upstream) {
      x.route = 'gateway:upstream-missing';
      return sendPage(req, res, 502, 'upstream');
    }
    x.tool = s.tool;
    // read before the headers are rewritten: Transfer-Encoding is hop-by-hop and goes
    const body = hasBody(req) ? req : null;
    prepareForward(req, s, { host, secure, upgrade: false }, x);
    upstreams.dispatch(
      {
        origin: upstream,
        path: req.url ?? '/',
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers as Record<string, string | string[]>,
        body,
      },
      x,
    );
  }

  /**
   * One proxied HTTP exchange, and undici's handler for the tool's answer: status and headers (hop-by-hop ones
   * dropped, the renewed session cookie added) then each chunk as it arrives into our response, pausing the tool's
   * connection while the client's is full; the client leaving aborts the request to the tool.
   */
  class Exchange implements Dispatcher.DispatchHandler {
    route = 'gateway:proxy';
    tool: ToolId | null = null;
    cookie: string | null = null;
    private controller: Dispatcher.DispatchController | null = null;
    constructor(
      readonly req: IncomingMessage,
      readonly res: ServerResponse,
      private readonly t0: number,
    ) {}

    /** The client's connection is done with this exchange (answered, or gone). */
    readonly closed = () => {
      const { req, res } = this;
      live.delete(this);
      if (!res.writableFinished) this.controller?.abort(new Error('the client went away'));
      opts.metrics.observeHttp(
        this.route,
        req.method ?? '-',
        res.statusCode,
        (performance.now() - this.t0) / 1000,
      );
    };
    /** For the live list: a revocation ends the exchange. */
    destroy(): void {
      this.res.destroy();
    }

    onRequestStart(controller: Dispatcher.DispatchController): void {
      this.controller = controller;
      if (this.res.destroyed) controller.abort(new Error('the client went away'));
    }
    onResponseStart(
      controller: Dispatcher.DispatchController,
      statusCode: number,
      headers: Record<string, string | string[] | undefined>,
    ): void {
      if (statusCode < 200) return; // 1xx: informational, not passed on
      stripResponseHopByHop(headers);
      if (this.cookie) {
        // one Set-Cookie from the tool is a string, several an array
        const sc = headers['set-cookie'];
        headers['set-cookie'] =
          sc === undefined ? [this.cookie] : Array.isArray(sc) ? [...sc, this.cookie] : [sc, this.cookie];
      }
      try {
        this.res.writeHead(statusCode, headers);
      } catch (e) {
        // a header value Node refuses to send (the tool's fault): the client gets the 502 page
        controller.abort(e instanceof Error ? e : new Error(String(e)));
      }
    }
    onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
      if (!this.res.write(chunk)) {
        controller.pause();
        this.res.once('drain', () => controller.resume());
      }
    }
    onResponseEnd(): void {
      this.res.end();
    }
    onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
      const { req, res } = this;
      if (res.destroyed) return;
      opts.metrics.observeUpstream(
        `tool:${this.tool ?? '-'}`,
        'proxy',
        'error',
        (performance.now() - this.t0) / 1000,
      );
      log.debug('upstream error', { tool: this.tool, err: err.message });
      if (!res.headersSent) sendPage(req, res, 502, 'upstream');
      else res.destroy();
    }
  }

  function failed(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    log.error('gateway request failed', { err: e instanceof Error ? e.message : String(e) });
    if (!res.headersSent) sendPage(req, res, 502, 'upstream');
    else res.destroy();
  }

  /**
   * What the tool receives (our cookie, the console's token, Authorization and client identity headers gone; the
   * Grafana user header set only for Grafana when configured), and the connection listed as live for the session
   * so a revocation can end it.
   */
  function prepareForward(
    req: IncomingMessage,
    s: Session,
    at: { host: string; secure: boolean; upgrade: boolean },
    conn: { destroy(): void },
  ): void {
    req.headers = forwardHeaders(req.headers, {
      remoteAddress: req.socket.remoteAddress,
      proto: at.secure ? 'https' : 'http',
      host: at.host,
      ...(at.upgrade ? { upgrade: true } : {}),
      alsoStrip,
      identity:
        s.tool === 'grafana' && opts.grafanaUserHeader
          ? { header: opts.grafanaUserHeader, user: s.user }
          : undefined,
    }) as IncomingHttpHeaders;
    live.set(conn, { session: s, end: () => conn.destroy() });
  }

  // ---- WebSocket -----------------------------------------------------------------------------------
  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, text: string) => {
      opts.metrics.observeHttp('gateway:ws-refused', req.method ?? '-', status, 0);
      if (socket.writable)
        socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    const check = checkRequest(req.method, req.url, req.headers.host);
    if (!check.ok || req.method !== 'GET') return refuse(400, 'Bad Request');
    if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return refuse(400, 'Bad Request');
    if (isOwn(check.path)) return refuse(404, 'Not Found');
    const found = readSession(req.headers, check.host);
    if (!found.session) return refuse(401, 'Unauthorized');
    const s = await recheck(found.session);
    if (s === 'revoked') return refuse(401, 'Unauthorized');
    if (s === 'unknown') return refuse(503, 'Service Unavailable');
    const upstream = opts.upstreamFor(s.tool);
    if (!upstream) return refuse(502, 'Bad Gateway');
    const secure = clientProto(req.headers, isEncrypted(req)) === 'https';
    prepareForward(req, s, { host: check.host, secure, upgrade: true }, socket);
    socket.once('close', () => live.delete(socket));
    opts.metrics.observeHttp('gateway:ws', 'GET', 101, 0);
    proxy.ws(req, socket, head, { target: upstream, agent: false }, (err) => {
      log.debug('websocket upstream error', { tool: s.tool, err: err.message });
      socket.destroy();
    });
  }

  // ---- watchdog: revocation and the absolute lifetime also end streams and WebSockets -------------
  let watchdog: NodeJS.Timeout | undefined;
  const sweep = () => {
    const t = now();
    for (const [key, entry] of live) {
      const s = entry.session;
      if (t - s.auth > opts.maxMs) {
        entry.end();
        live.delete(key);
        continue;
      }
      if (t - s.chk < opts.recheckMs) continue;
      void verdictFor(s).then((v) => {
        if (v === 'revoked') {
          entry.end();
          live.delete(key);
        } else if (v === 'ok') entry.session = { ...s, chk: now() };
      });
    }
  };

  // ---- server --------------------------------------------------------------------------------------
  const server = http.createServer({
    maxHeaderSize: 16 * 1024,
    requestTimeout: 60_000,
    headersTimeout: 20_000,
  });
  server.keepAliveTimeout = 65_000;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    try {
      onRequest(req, res);
    } catch (e) {
      failed(req, res, e);
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head).catch(() => socket.destroy());
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const code =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    if (socket.writable && !socket.destroyed)
      socket.end(`HTTP/1.1 ${code}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  return {
    tickets: { issue },
    server,
    ephemeralSecret,
    peerUrl: () => selfPeer,
    async listen(port, host) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const a = server.address() as AddressInfo;
      if (opts.peerUrl === undefined) {
        const loopback = a.address === '127.0.0.1' || a.address === '::1';
        selfPeer = loopback ? `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : null;
      }
      if (!selfPeer)
        log.warn(
          'no address for the other replicas (set POD_IP): launch tickets are single-use per replica only',
        );
      watchdog = setInterval(sweep, Math.min(15_000, opts.recheckMs / 4));
      watchdog.unref();
      return a;
    },
    async close() {
      clearInterval(watchdog);
      for (const e of live.values()) e.end();
      live.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await upstreams.destroy();
    },
  };
}

/** A request body to pass on: a length other than 0, or chunked (GET and HEAD normally have none). */
const hasBody = (req: IncomingMessage) => {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
};

const isEncrypted = (req: IncomingMessage) =>
  (req.socket as Socket & { encrypted?: boolean }).encrypted === true;

/**
 * Pure rules of the gateway listener: which requests it accepts at all (Host, target, method), and what the tool
 * may see of a request (our cookies, the console's `token`, any Authorization and any client-sent identity header
 * removed; hop-by-hop headers dropped; X-Forwarded-* set by us) and what the client may see of a response.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';

/** The session cookie's name; host-only, so each tool host has its own. */
export const SESSION_COOKIE = 'cobs_session';
/** The console's JWT cookie: never forwarded to a tool. */
export const CONSOLE_COOKIE = 'token';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** DNS name, IPv4 or [IPv6] with an optional port, e.g. "gr1a2b3c-8081-dev.apps.example.com:8080". */
const HOST =
  /^(?=.{1,260}$)(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/;
export const MAX_TARGET_LENGTH = 8192;

export type RequestCheck =
  { ok: true; host: string; path: string } | { ok: false; status: 400 | 405 | 414; reason: string };

/** "Example.COM:80" → "example.com"; default ports dropped so "host" and "host:80" compare equal. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.(?=:|$)/, '')
    .replace(/:(80|443)$/, '');
}

const hasControl = (s: string) => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c === 0x7f) return true;
  }
  return false;
};

/** Host header → normalized host, or '' when malformed; every request asks, a handful of hosts answer. */
const hosts = new LRUCache<string, string>({
  // bounded: random Host values from a scanner only churn it
  max: 1000,
  memoMethod: (raw) => {
    const n = normalizeHost(raw);
    return HOST.test(n) ? n : '';
  },
});
const hostOf = (raw: string): string | null => hosts.memo(raw) || null;

const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** Accepts origin-form targets on a well-formed Host; refuses traversal, backslashes and absolute targets. */
export function checkRequest(
  method: string | undefined,
  target: string | undefined,
  host: string | undefined,
): RequestCheck {
  if (!host) return { ok: false, status: 400, reason: 'missing Host' };
  const h = hostOf(host);
  if (h === null) return { ok: false, status: 400, reason: 'malformed Host' };
  if (!method || !METHODS.has(method)) return { ok: false, status: 405, reason: 'method not allowed' };
  if (!target) return { ok: false, status: 400, reason: 'missing target' };
  if (target.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, reason: 'target too long' };
  if (target.charCodeAt(0) !== 0x2f || target.charCodeAt(1) === 0x2f)
    return { ok: false, status: 400, reason: 'not an origin-form target' };
  if (hasControl(target) || target.includes('\\'))
    return { ok: false, status: 400, reason: 'bad characters in target' };
  let end = target.length;
  const q = target.indexOf('?');
  if (q >= 0) end = q;
  const f = target.indexOf('#');
  if (f >= 0 && f < end) end = f;
  const rawPath = end === target.length ? target : target.slice(0, end);
  let path = rawPath;
  if (rawPath.includes('%')) {
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return { ok: false, status: 400, reason: 'bad percent-encoding' };
    }
    if (path.includes('\\') || path.includes('\0') || path.startsWith('//'))
      return { ok: false, status: 400, reason: 'bad characters in path' };
  }
  if (DOT_SEGMENT.test(path)) return { ok: false, status: 400, reason: 'dot segments in path' };
  return { ok: true, host: h, path: rawPath };
}

/** Cookie header → name/value pairs, in order (a repeated name keeps every value). */
export function parseCookies(header: string | undefined): [string, string][] {
  if (!header) return [];
  return header
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0
        ? ([p, ''] as [string, string])
        : ([p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as [string, string]);
    });
}

/** Headers a tool trusts as "who is this" (auth proxies): never taken from a client. */
const IDENTITY_HEADER =
  /^(?:x-webauth-.*|x-auth-request-.*|x-forwarded-(?:user|email|groups|preferred-username|access-token)|remote-user|x-remote-(?:user|group|email)|x-original-authorization|authorization|proxy-authorization)$/;

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus the non-standard ones proxies still send. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

const connectionTokens = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v.join(',') : (v ?? ''))
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);

export interface ForwardOptions {
  /** The client's address as this listener sees it (the Rainbond gateway's, normally). */
  remoteAddress: string | undefined;
  /** Scheme the client used: X-Forwarded-Proto from the Rainbond gateway, else this connection's. */
  proto: 'http' | 'https';
  /** Normalized request host, e.g. "gr1a2b3c-8081-dev.apps.example.com". */
  host: string;
  /** Set on a WebSocket handshake: Connection/Upgrade are kept (they are what the upstream upgrades on). */
  upgrade?: boolean;
  /** Grafana auth.proxy header name and the user it carries, only when SSO is configured for this tool. */
  identity?: { header: string; user: string };
  /** Extra header names never forwarded, e.g. a custom auth-proxy header name. */
  alsoStrip?: string[];
}

/** A Connection header naming nothing but the usual options (dropped anyway): no further names to drop. */
const PLAIN_CONNECTION = /^\s*(?:keep-alive|close)\s*$/i;

/** Could `n` be an identity header? (cheap first-letter test before the regex, for the common names) */
const maybeIdentity = (n: string) => {
  const c = n.charCodeAt(0);
  // x-…, remote-user, authorization, proxy-authorization
  return c === 0x78 || c === 0x72 || c === 0x61 || c === 0x70 ? IDENTITY_HEADER.test(n) : false;
};

/** The Cookie header without our session cookie and the console's token, or undefined when nothing is left. */
function forwardedCookies(header: string | undefined): string | undefined {
  if (!header) return undefined;
  let out = '';
  for (const part of header.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim();
    if (name === SESSION_COOKIE || name === CONSOLE_COOKIE) continue;
    const kept = eq < 0 ? `${name}=` : `${name}=${p.slice(eq + 1).trim()}`;
    out = out ? `${out}; ${kept}` : kept;
  }
  return out || undefined;
}

/** What the tool receives: a new header object; the client's is not changed. */
export function forwardHeaders(incoming: IncomingHttpHeaders, o: ForwardOptions): OutgoingHttpHeaders {
  const conn = incoming.connection;
  const drop =
    conn === undefined || (typeof conn === 'string' && PLAIN_CONNECTION.test(conn))
      ? null
      : new Set(connectionTokens(conn));
  const extra: string[] = [];
  for (const h of o.alsoStrip ?? []) extra.push(h.toLowerCase());
  if (o.identity) extra.push(o.identity.header.toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    const n = name.toLowerCase();
    if (o.upgrade && (n === 'connection' || n === 'upgrade')) {
      out[n] = value;
      continue;
    }
    if (HOP_BY_HOP.has(n) || drop?.has(n) || extra.includes(n) || maybeIdentity(n)) continue;
    // Expect: 100-continue was answered by this listener already (Node's server does); not the tool's to answer
    if (n === 'expect' || n === 'cookie') continue;
    if (n.startsWith('x-forwarded-') || n === 'forwarded' || n === 'x-real-ip') continue;
    out[n] = value;
  }
  const cookie = forwardedCookies(incoming.cookie);
  if (cookie !== undefined) out.cookie = cookie;

  const prior = typeof incoming['x-forwarded-for'] === 'string' ? incoming['x-forwarded-for'] : '';
  const peer = o.remoteAddress?.replace(/^::ffff:/, '') ?? '';
  out['x-forwarded-for'] = prior && peer ? `${prior}, ${peer}` : prior || peer;
  out['x-forwarded-proto'] = o.proto;
  out['x-forwarded-host'] = o.host;
  const port = /:(\d+)$/.exec(o.host)?.[1] ?? (o.proto === 'https' ? '443' : '80');
  out['x-forwarded-port'] = port;
  if (o.identity) out[o.identity.header.toLowerCase()] = o.identity.user;
  return out satisfies OutgoingHttpHeaders;
}

/** Response headers the client must not get from the tool: hop-by-hop ones and those named in Connection. */
export function stripResponseHopByHop(headers: Record<string, string | string[] | undefined>): void {
  const conn = headers.connection;
  if (conn !== undefined && !(typeof conn === 'string' && PLAIN_CONNECTION.test(conn)))
    for (const t of connectionTokens(conn)) delete headers[t];
  for (const h of HOP_BY_HOP) if (headers[h] !== undefined) delete headers[h];
}

/** The scheme the client used, from the first X-Forwarded-Proto value (the Rainbond gateway sets it). */
export function clientProto(headers: IncomingHttpHeaders, encrypted: boolean): 'http' | 'https' {
  const v = headers['x-forwarded-proto'];
  const first = (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim().toLowerCase();
  if (first === 'https' || first === 'wss') return 'https';
  if (first === 'http' || first === 'ws') return 'http';
  return encrypted ? 'https' : 'http';
}

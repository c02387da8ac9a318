/**
 * Pure rules of the gateway listener: which requests it accepts at all (Host, target, method), and what the tool
 * may see of a request (our cookies, the console's `token`, any Authorization and any client-sent identity header
 * removed; hop-by-hop headers dropped; X-Forwarded-* set by us) and what the client may see of a response.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

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

/** Accepts origin-form targets on a well-formed Host; refuses traversal, backslashes and absolute targets. */
export function checkRequest(
  method: string | undefined,
  target: string | undefined,
  host: string | undefined,
): RequestCheck {
  if (!host) return { ok: false, status: 400, reason: 'missing Host' };
  const h = normalizeHost(host);
  if (!HOST.test(h)) return { ok: false, status: 400, reason: 'malformed Host' };
  if (!method || !METHODS.has(method)) return { ok: false, status: 405, reason: 'method not allowed' };
  if (!target) return { ok: false, status: 400, reason: 'missing target' };
  if (target.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, reason: 'target too long' };
  if (!target.startsWith('/') || target.startsWith('//'))
    return { ok: false, status: 400, reason: 'not an origin-form target' };
  if (hasControl(target) || target.includes('\\'))
    return { ok: false, status: 400, reason: 'bad characters in target' };
  const rawPath = target.split(/[?#]/, 1)[0] ?? '/';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (path.includes('\\') || path.includes('\0') || path.startsWith('//'))
    return { ok: false, status: 400, reason: 'bad characters in path' };
  if (path.split('/').some((seg) => seg === '..' || seg === '.'))
    return { ok: false, status: 400, reason: 'dot segments in path' };
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

/** What the tool receives: a new header object; the client's is not changed. */
export function forwardHeaders(incoming: IncomingHttpHeaders, o: ForwardOptions): OutgoingHttpHeaders {
  const drop = new Set(connectionTokens(incoming.connection));
  for (const h of o.alsoStrip ?? []) drop.add(h.toLowerCase());
  if (o.identity) drop.add(o.identity.header.toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    const n = name.toLowerCase();
    if (o.upgrade && (n === 'connection' || n === 'upgrade')) {
      out[n] = value;
      continue;
    }
    if (HOP_BY_HOP.has(n) || drop.has(n) || IDENTITY_HEADER.test(n)) continue;
    // Expect: 100-continue was answered by this listener already (Node's server does); not the tool's to answer
    if (n === 'expect') continue;
    if (n.startsWith('x-forwarded-') || n === 'forwarded' || n === 'x-real-ip') continue;
    out[n] = value;
  }
  const cookies = parseCookies(incoming.cookie).filter(([k]) => k !== SESSION_COOKIE && k !== CONSOLE_COOKIE);
  if (cookies.length > 0) out.cookie = cookies.map(([k, v]) => `${k}=${v}`).join('; ');
  else delete out.cookie;

  const prior = typeof incoming['x-forwarded-for'] === 'string' ? incoming['x-forwarded-for'] : '';
  const peer = o.remoteAddress?.replace(/^::ffff:/, '') ?? '';
  out['x-forwarded-for'] = [prior, peer].filter(Boolean).join(', ');
  out['x-forwarded-proto'] = o.proto;
  out['x-forwarded-host'] = o.host;
  const port = /:(\d+)$/.exec(o.host)?.[1] ?? (o.proto === 'https' ? '443' : '80');
  out['x-forwarded-port'] = port;
  if (o.identity) out[o.identity.header.toLowerCase()] = o.identity.user;
  return out satisfies OutgoingHttpHeaders;
}

/** Response headers the client must not get from the tool: hop-by-hop ones and those named in Connection. */
export function stripResponseHopByHop(headers: IncomingHttpHeaders): void {
  for (const t of connectionTokens(headers.connection)) delete headers[t];
  for (const h of HOP_BY_HOP) delete headers[h];
}

/** The scheme the client used, from the first X-Forwarded-Proto value (the Rainbond gateway sets it). */
export function clientProto(headers: IncomingHttpHeaders, encrypted: boolean): 'http' | 'https' {
  const v = headers['x-forwarded-proto'];
  const first = (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim().toLowerCase();
  if (first === 'https' || first === 'wss') return 'https';
  if (first === 'http' || first === 'ws') return 'http';
  return encrypted ? 'https' : 'http';
}

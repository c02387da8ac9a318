/**
 * Request bodies bounded at MAX_BODY_BYTES, enforced after authentication and never read past the limit: a
 * declared oversized body is refused without reading a byte of it, a chunked one is read up to the limit. A
 * request whose body was not read — refused, unauthenticated, or oversized — is answered with
 * `Connection: close`, so the server does not drain (read) it to keep the connection alive.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { invalidInput } from '../errors';
import type { AppEnv } from './env';
import { declaresBody, setHeader } from './security';

/** 64 KiB: the largest body the API takes (its bodies are a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () =>
  invalidInput(`body larger than ${MAX_BODY_BYTES} bytes`, {
    fields: [{ field: '(body)', problem: 'too large' }],
  });

/** App-wide: a reply to a request whose body was left unread closes the connection instead of draining it. */
export function closeUnreadBodies(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (declaresBody(c) && !c.get('bodyRead')) setHeader(c, 'Connection', 'close');
  };
}

/** After authentication: a declared length above the limit is refused without reading the body. */
export function limitBodies(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (Number(c.req.header('content-length') ?? '0') > MAX_BODY_BYTES) throw tooLarge();
    await next();
  };
}

/** The body as text, read at most up to MAX_BODY_BYTES + 1 bytes; more is 400 and the rest stays unread. */
export async function readBoundedText(c: Context<AppEnv>): Promise<string> {
  const stream = c.req.raw.body;
  if (!stream) {
    c.set('bodyRead', true);
    return '';
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      reader.releaseLock();
      throw tooLarge();
    }
    chunks.push(value);
  }
  c.set('bodyRead', true);
  return Buffer.concat(chunks).toString('utf8');
}

/** Request bodies bounded at MAX_BODY_BYTES; an oversized one is answered 400, never read without bound. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { invalidInput } from '../errors';
import type { AppEnv } from './env';
import { MAX_BODY_BYTES } from './validate';

/** Declared bodies up to this size are drained before the 400, so clients read the answer, not a reset. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

const tooLarge = () => invalidInput(`body larger than ${MAX_BODY_BYTES} bytes`);

export function limitBodies(): MiddlewareHandler<AppEnv>[] {
  return [
    async (c, next) => {
      const declared = Number(c.req.header('content-length') ?? '0');
      if (declared > MAX_BODY_BYTES) {
        if (declared <= DRAIN_LIMIT_BYTES) await drain(c.req.raw.body);
        throw tooLarge();
      }
      await next();
    },
    // chunked bodies without a length are cut here
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw tooLarge();
      },
    }),
  ];
}

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done } = await reader.read();
      if (done) return;
    }
  } catch {
    /* the client went away: nothing to answer */
  }
}

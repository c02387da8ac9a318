/** The one place where errors become HTTP answers: AppError → status + the single error body. */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { AppError, invalidInput, isAppError, toErrorBody } from '../errors';
import type { Logger } from '../log';
import type { AppEnv } from './env';

export function errorHandler(log: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    const e = isAppError(err) ? err : toAppError(err);
    if (e.code === 'INTERNAL')
      log.error('unhandled error', { requestId: c.get('requestId'), err: String(err) });
    return answer(c, e);
  };
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  answer(c, new AppError('NOT_FOUND', `no route ${c.req.method} ${c.req.path.slice(0, 200)}`));

function answer(c: Context<AppEnv>, e: AppError): Response {
  c.set('errorCode', e.code);
  if (e.retryAfterSeconds !== undefined) c.header('Retry-After', String(e.retryAfterSeconds));
  return c.json(toErrorBody(e), e.status as 400);
}

function toAppError(err: unknown): AppError {
  // Hono's own HTTPExceptions (e.g. malformed requests) are client errors, never 5xx.
  const status = (err as { status?: number })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return invalidInput(String((err as Error).message));
  return new AppError('INTERNAL', 'internal error');
}

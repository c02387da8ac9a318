/** The closed set of errors services throw; http/errors.ts maps them to status + body in one place. */
import type { ErrorCode } from '../contract';

const STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UNKNOWN_TOOL: 404,
  NOT_FOUND: 404,
  TOOL_NOT_FOUND: 409,
  NOT_REGISTERED: 409,
  RISKS_NOT_ACKNOWLEDGED: 409,
  NOT_PROTECTED: 409,
  TOO_MANY_REQUESTS: 429,
  TOO_MANY_STREAMS: 429,
  UPSTREAM_ERROR: 502,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Seconds after which a retry may succeed, sent as `Retry-After` (429s), e.g. 30. */
  retryAfterSeconds?: number;
  /** `status` overrides the code's usual one, e.g. 415 for INVALID_INPUT on a body that is not JSON. */
  constructor(code: ErrorCode, message: string, details?: unknown, status?: number) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status ?? STATUS[code];
    this.details = details;
  }
}

/**
 * 429 at a per-user, per-team or process limit; `Retry-After` (whole seconds, ≥ 1) says when to try again.
 * e.g. tooMany('TOO_MANY_STREAMS', 'you have 3 live streams open', 30, { limit: 'user', max: 3 }).
 */
export function tooMany(
  code: 'TOO_MANY_REQUESTS' | 'TOO_MANY_STREAMS',
  message: string,
  retryAfterSeconds: number,
  details?: unknown,
): AppError {
  const e = new AppError(code, message, details);
  e.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return e;
}

export const invalidInput = (message: string, details?: unknown) =>
  new AppError('INVALID_INPUT', message, details);
export const unauthenticated = (message = 'missing or rejected Rainbond JWT') =>
  new AppError('UNAUTHENTICATED', message);
export const forbidden = (message: string, details?: unknown) => new AppError('FORBIDDEN', message, details);
/** 415 with the INVALID_INPUT code (plugin-api.md): a JSON body sent with another Content-Type. */
export const unsupportedMediaType = (message: string) =>
  new AppError('INVALID_INPUT', message, { field: 'content-type' }, 415);
/** `which` names the upstream, e.g. "console" or "kubernetes". */
export const upstreamError = (which: string, message: string, details?: unknown) =>
  new AppError('UPSTREAM_ERROR', `${which}: ${message}`, details);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export function toErrorBody(e: AppError): { error: { code: ErrorCode; message: string; details?: unknown } } {
  return {
    error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) },
  };
}

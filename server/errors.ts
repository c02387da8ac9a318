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
  UPSTREAM_ERROR: 502,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.details = details;
  }
}

export const invalidInput = (message: string, details?: unknown) =>
  new AppError('INVALID_INPUT', message, details);
export const unauthenticated = (message = 'missing or rejected Rainbond JWT') =>
  new AppError('UNAUTHENTICATED', message);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
/** `which` names the upstream, e.g. "console" or "kubernetes". */
export const upstreamError = (which: string, message: string, details?: unknown) =>
  new AppError('UPSTREAM_ERROR', `${which}: ${message}`, details);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export function toErrorBody(e: AppError): { error: { code: ErrorCode; message: string; details?: unknown } } {
  return {
    error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) },
  };
}

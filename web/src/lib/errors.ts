/** Turns whatever a call threw into what the user reads and can do. */
import type { MessageKey } from '../locales/zh-CN';

/** A failed call: `status` 0 means the request never got an HTTP answer (network down, backend gone). */
export class ApiError extends Error {
  readonly status: number;
  /** Our backend's error code, e.g. "RISKS_NOT_ACKNOWLEDGED"; null when the body was not ours. */
  readonly code: string | null;
  readonly details: unknown;
  constructor(status: number, code: string | null, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type ErrorKind =
  | 'session'
  | 'forbidden'
  | 'upstream'
  | 'unavailable'
  | 'unreachable'
  | 'invalid'
  | 'conflict'
  | 'notFound'
  | 'busy'
  | 'unknown';

/** Our backend answers `{error:{code,message}}`; anything else at 502–504 came from the console proxy. */
export function errorKind(err: unknown): ErrorKind {
  if (!(err instanceof ApiError)) return 'unknown';
  const { status, code } = err;
  if (status === 0) return 'unreachable';
  if (status === 401) return 'session';
  if (status === 403) return 'forbidden';
  if (code === null && status >= 502 && status <= 504) return 'unreachable';
  if (status === 502) return 'upstream';
  if (status === 503) return 'unavailable';
  if (status === 400) return 'invalid';
  if (status === 409) return 'conflict';
  if (status === 404) return 'notFound';
  if (status === 429) return 'busy';
  return 'unknown';
}

export interface ErrorDescription {
  kind: ErrorKind;
  /** What happened and what to do, from the locale files. */
  key: MessageKey;
  /** The backend's own message, when it sent one, e.g. "console: team not found". */
  detail: string | null;
  retryable: boolean;
}

const KEYS: Record<ErrorKind, MessageKey> = {
  session: 'error.session',
  forbidden: 'error.forbidden',
  upstream: 'error.upstream',
  unavailable: 'error.unavailable',
  unreachable: 'error.unreachable',
  invalid: 'error.invalid',
  conflict: 'error.conflict',
  notFound: 'error.notFound',
  busy: 'error.busy',
  unknown: 'error.unknown',
};

export function describeError(err: unknown): ErrorDescription {
  const kind = errorKind(err);
  const detail = err instanceof ApiError && err.code !== null && err.message ? err.message : null;
  const retryable =
    kind === 'upstream' ||
    kind === 'unavailable' ||
    kind === 'unreachable' ||
    kind === 'busy' ||
    kind === 'unknown';
  return { kind, key: KEYS[kind], detail, retryable };
}

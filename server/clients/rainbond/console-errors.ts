/**
 * The console's error answers (envelope `{code, msg, msg_show}` with an HTTP status) mapped once to our AppErrors. The service branches on
 * `reason`; the HTTP layer only sees the AppError code. Raw bodies are summarised, never echoed.
 */
import { z } from 'zod';
import { AppError } from '../../errors';
import type { ErrorCode } from '../../../contract';
import { redact } from '../../log';

export type ConsoleFailureReason =
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  /** The object already exists: 409/20501 port, 409/20500 k8s service, 400/21003 k8s_app, 400/20802, "app name exist". */
  | 'exists'
  /** 409 without a known code, e.g. the region's "wait a moment please" rate limit. */
  | 'conflict'
  /** Any other 4xx: the console refused the request (e.g. building twice, a failed start). */
  | 'rejected'
  | 'server'
  | 'timeout'
  | 'network'
  | 'malformed';

export class ConsoleError extends AppError {
  readonly reason: ConsoleFailureReason;
  /** HTTP status the console answered, 0 for timeouts / network errors. */
  readonly httpStatus: number;
  /** `code` of the console envelope when it had one, e.g. 20501. */
  readonly consoleCode: number | null;
  constructor(
    code: ErrorCode,
    reason: ConsoleFailureReason,
    message: string,
    httpStatus: number,
    consoleCode: number | null,
  ) {
    super(code, message);
    this.name = 'ConsoleError';
    this.reason = reason;
    this.httpStatus = httpStatus;
    this.consoleCode = consoleCode;
  }
}

export const isConsoleError = (e: unknown, reason?: ConsoleFailureReason): e is ConsoleError =>
  e instanceof ConsoleError && (reason === undefined || e.reason === reason);

/** Envelope fields we read from an error body; everything else is ignored. */
const ErrorBodySchema = z
  .object({
    code: z.union([z.number(), z.string()]).optional(),
    msg: z.string().optional(),
    detail: z.string().optional(),
  })
  .loose();

const EXISTS_CODES = new Set([20500, 20501, 20802, 21003]);
/** "app name exist", "k8s app exists", "端口已存在", "策略已存在", "already exists". */
const EXISTS_RE = /\bexists?\b|already|已存在/i;

/** One line, bounded, control characters and JWT-looking strings removed. */
export function summarise(text: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const one = redact(text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim());
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export interface ConsoleFailureInput {
  /** What we were doing, e.g. "create port". */
  op: string;
  /** HTTP status; absent for transport failures. */
  status?: number;
  /** Parsed JSON body if any. */
  body?: unknown;
  transport?: 'timeout' | 'network';
  /** Short transport detail, e.g. "ECONNREFUSED" or "10000 ms". */
  detail?: string;
}

/** The AppError code of a failure reason; any other reason is an UPSTREAM_ERROR. */
const CODE_OF: Partial<Record<ConsoleFailureReason, ErrorCode>> = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
};

/** Maps one failed console call to a ConsoleError. Pure. */
export function toConsoleError(f: ConsoleFailureInput): ConsoleError {
  // a transport failure got no answer: status 0, no console code
  const status = f.transport ? 0 : (f.status ?? 0);
  const parsed = ErrorBodySchema.safeParse(f.transport ? undefined : f.body);
  const body = parsed.success ? parsed.data : {};
  const rawCode = typeof body.code === 'string' ? Number(body.code) : body.code;
  const code = rawCode !== undefined && Number.isFinite(rawCode) ? rawCode : null;
  const said = summarise(body.msg ?? body.detail ?? '');
  const what = said ? `: ${said}` : '';
  const fail = (reason: ConsoleFailureReason, message: string) =>
    new ConsoleError(CODE_OF[reason] ?? 'UPSTREAM_ERROR', reason, message, status, code);
  if (f.transport === 'timeout')
    return fail('timeout', `console: no answer to ${f.op} within ${f.detail ?? 'the timeout'}`);
  if (f.transport === 'network')
    return fail('network', `console: unreachable during ${f.op} (${f.detail ?? 'network error'})`);
  if (status === 401 || code === 10405) return fail('unauthenticated', 'Rainbond console rejected the JWT');
  if (status === 403 || code === 10402) return fail('forbidden', `console: no permission to ${f.op}${what}`);
  if (status === 404) return fail('not-found', `console: not found during ${f.op}${what}`);
  const exists = (code !== null && EXISTS_CODES.has(code)) || EXISTS_RE.test(body.msg ?? '');
  if ((status === 400 || status === 409) && exists)
    return fail('exists', `console: already exists during ${f.op}${what}`);
  if (status === 409) return fail('conflict', `console: conflict during ${f.op}${what}`);
  if (status >= 400 && status < 500)
    return fail('rejected', `console: refused to ${f.op} (HTTP ${status})${what}`);
  if (status >= 500) return fail('server', `console: failed to ${f.op} (HTTP ${status})${what}`);
  return fail('malformed', `console: unexpected answer to ${f.op} (HTTP ${status})`);
}

export const malformedReply = (op: string, status: number) =>
  new ConsoleError('UPSTREAM_ERROR', 'malformed', `console: malformed reply to ${op}`, status, null);

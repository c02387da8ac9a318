/** Shapes shared by every feature: context query, error body, counts and Service references. */
import { z } from 'zod';

export { DNS1123_LABEL } from './names';

export const LOCALES = ['zh-CN', 'en'] as const;
/** The panel's and the backend's languages, e.g. "zh-CN". */
export type Locale = (typeof LOCALES)[number];

/** Ready vs desired replicas, e.g. `{ ready: 3, desired: 3 }`. */
export const ReadyCountSchema = z.object({ ready: z.number().int(), desired: z.number().int() });
export type ReadyCount = z.infer<typeof ReadyCountSchema>;

export const ServiceRefSchema = z.object({ namespace: z.string(), name: z.string(), port: z.number().int() });
export type ServiceRef = z.infer<typeof ServiceRefSchema>;

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UNKNOWN_TOOL',
  'NOT_FOUND',
  'TOOL_NOT_FOUND',
  'NOT_REGISTERED',
  'RISKS_NOT_ACKNOWLEDGED',
  'NOT_PROTECTED',
  'TOO_MANY_REQUESTS',
  'TOO_MANY_STREAMS',
  'UPSTREAM_ERROR',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Query context of every /api/v1 call: Rainbond team and region names. */
export const ContextQuerySchema = z.object({
  team: z.string().regex(/^[a-z0-9]([-a-z0-9_]{0,62})$/i, 'a Rainbond team name'),
  region: z.string().regex(/^[a-z0-9]([-a-z0-9_]{0,62})$/i, 'a Rainbond region name'),
});
export type ContextQuery = z.infer<typeof ContextQuerySchema>;

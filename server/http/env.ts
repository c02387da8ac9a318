/** Hono environment shared by every router: what the auth middleware puts on the context. */
import type { Locale } from '../../contract';
import type { RequestCtx } from '../request-context';

export type { Locale, RequestCtx };

export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by requireContext() on /api/v1/* routes. */
    ctx: RequestCtx;
    /** Error code of a failed request, for the access log. */
    errorCode: string;
    /** Set once the request body was read (body-limit.ts); a reply to an unread one closes the connection. */
    bodyRead: boolean;
  };
}

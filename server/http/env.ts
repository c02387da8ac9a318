/** Hono environment shared by every router: what the auth middleware puts on the context. */
import type { UserIdentity } from '../clients/rainbond/types';

import type { Locale } from '../../contract';

export type { Locale };

/** The acting user and the team/region of the call, after auth and membership checks. */
export interface RequestCtx {
  jwt: string;
  team: string;
  region: string;
  /** Kubernetes namespace of the team, from the console (never from the client). */
  namespace: string;
  user: UserIdentity;
  locale: Locale;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by requireContext() on /api/v1/* routes. */
    ctx: RequestCtx;
    /** Error code of a failed request, for the access log. */
    errorCode: string;
  };
}

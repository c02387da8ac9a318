/** Who is calling and for which team: set by the auth middleware, read by every feature's service. */
import type { Locale } from '../contract';
import type { UserIdentity } from './clients/rainbond/types';

/** The acting user and the team/region of the call, after auth and membership checks. */
export interface RequestCtx {
  jwt: string;
  team: string;
  region: string;
  /** Kubernetes namespace of the team, from the console (never from the client), e.g. "dev-team". */
  namespace: string;
  user: UserIdentity;
  locale: Locale;
}

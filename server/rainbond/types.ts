/**
 * The Rainbond side, in our words. Implemented by rainbond/console-client.ts (axios + zod) and
 * features/tools/registration.service.ts.
 */
import type { Registration, ToolId } from '../features/status/status.contract';
import type { ToolTarget } from '../cluster/types';

/** Who is acting and where: every console call carries `Authorization: GRJWT <jwt>` and `?region_name=<region>`. */
export interface ConsoleCtx {
  jwt: string;
  team: string;
  region: string;
}

/** A team as `GET /console/users/details` lists it. */
export interface UserTeam {
  name: string;
  alias: string;
  /** Kubernetes namespace of the team, e.g. "dev-team" or a generated "abc123xyz". */
  namespace: string;
  regions: { name: string; alias: string }[];
}

export interface UserIdentity {
  userId: number;
  userName: string;
  enterpriseId: string;
  isEnterpriseAdmin: boolean;
  teams: UserTeam[];
}

/** What the console knows about one tool's registration, or null when no component exists. */
export interface ToolConsoleState {
  registration: Registration | null;
  access: { external: boolean; urls: string[] };
}

export interface RegistrationService {
  /** Reads the console (never guesses) and reports each tool's registration and access. */
  readAll(ctx: ConsoleCtx): Promise<Record<ToolId, ToolConsoleState>>;
  read(ctx: ConsoleCtx, tool: ToolId): Promise<ToolConsoleState>;
  /** Idempotent: app → third-party component → build → port (inner open) → start. One component per tool. */
  register(ctx: ConsoleCtx, target: ToolTarget, opts: { appName?: string }): Promise<ToolConsoleState>;
  /** Idempotent: close access, delete component (is_force), delete app if empty. Absent = success. */
  unregister(ctx: ConsoleCtx, tool: ToolId): Promise<ToolConsoleState>;
  /** open_outer / close_outer on the tool's port; requires registration (409 NOT_REGISTERED otherwise). */
  setAccess(ctx: ConsoleCtx, tool: ToolId, external: boolean): Promise<ToolConsoleState>;
}

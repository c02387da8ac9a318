/** The tools feature's own interfaces: what the console knows of a tool and how registration is driven. */
import type { ToolTarget } from '../../clients/cluster/types';
import type { ConsoleCtx } from '../../clients/rainbond/types';
import type { AccessMode, Registration, ServiceRef, ToolId } from '../../../contract';

/** What the console knows about one tool's registration, or null when no component exists. */
export interface ToolConsoleState {
  registration: Registration | null;
  access: { external: boolean; mode: AccessMode | null; urls: string[] };
}

/** What PUT …/access asks for: closed, open (public) or protected (behind the plugin's gateway listener). */
export interface AccessChange {
  external: boolean;
  mode: AccessMode;
}

export interface RegistrationService {
  /** Reads the console (never guesses) and reports each tool's registration and access. */
  readAll(ctx: ConsoleCtx): Promise<Record<ToolId, ToolConsoleState>>;
  read(ctx: ConsoleCtx, tool: ToolId): Promise<ToolConsoleState>;
  /** Idempotent: app → third-party component → build → port (inner open) → start. One component per tool. */
  register(ctx: ConsoleCtx, target: ToolTarget, opts: { appName?: string }): Promise<ToolConsoleState>;
  /** Idempotent: close access, delete component (is_force), delete app if empty. Absent = success. */
  unregister(ctx: ConsoleCtx, tool: ToolId): Promise<ToolConsoleState>;
  /**
   * Open: the tool's own port outer. Protected: the tool's gateway entry (a third-party component of the plugin's
   * own Service, `selfService`) outer. Always closes the other entry first; requires registration (409).
   */
  setAccess(
    ctx: ConsoleCtx,
    tool: ToolId,
    change: AccessChange,
    selfService: () => ServiceRef | null,
  ): Promise<ToolConsoleState>;
}

export type { LaunchTickets } from '../../launch-tickets';

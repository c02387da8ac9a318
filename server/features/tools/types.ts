/** The tools feature's own interfaces: what the console knows of a tool and how registration is driven. */
import type { ToolTarget } from '../../clients/cluster/types';
import type { ConsoleCtx } from '../../clients/rainbond/types';
import type { Registration, ToolId } from '../../../contract';

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

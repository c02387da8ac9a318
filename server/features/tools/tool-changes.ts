/**
 * The tools service behind the permission model and the audit trail: registering, removing, opening and closing
 * are checked against TOOL_MANAGERS before the console is asked anything, every attempt is audited, and every
 * Tool reply says what the caller may do and who last changed its access.
 */
import type { RequestCtx } from '../../request-context';
import type { AccessChangeRecord, Tool, ToolId } from '../../../contract';
import type { AccessHistory } from './access-history';
import type { AuditEntry, AuditTrail } from './audit';
import type { ToolPermissionPolicy } from './permissions';
import type { ToolsService } from './tools.service';

export function guardToolChanges(
  inner: ToolsService,
  deps: { permissions: ToolPermissionPolicy; audit: AuditTrail; history: AccessHistory },
): ToolsService {
  const { permissions, audit, history } = deps;

  /**
   * Reads add the last access change from the console; a change's reply takes it from this process's audit
   * (the change it just made, or none for a registration), so a change costs no extra console call.
   */
  async function decorate(ctx: RequestCtx, tool: Tool, fromConsole = true): Promise<Tool> {
    const alias = tool.registration?.componentAlias;
    let last: AccessChangeRecord | null = null;
    if (alias) {
      last = fromConsole
        ? await history.last(ctx, tool.id, alias)
        : audit.lastAccessChange(ctx.region, ctx.team, tool.id);
    }
    return {
      ...tool,
      permissions: permissions.describe(ctx.user, ctx.team, ctx.locale),
      lastAccessChange: last,
    };
  }

  const entry = (
    ctx: RequestCtx,
    tool: ToolId,
    action: AuditEntry['action'],
    mode: string | null,
  ): AuditEntry => ({
    user: { id: ctx.user.userId, name: ctx.user.userName },
    team: ctx.team,
    region: ctx.region,
    tool,
    action,
    mode,
  });

  /** Checked, audited, the tool's read-back history dropped, the reply decorated. */
  function change(ctx: RequestCtx, e: AuditEntry, fn: () => Promise<Tool>): Promise<Tool> {
    return audit
      .record(e, async () => {
        permissions.assertManage(ctx.user, ctx.team, ctx.locale);
        try {
          return await fn();
        } finally {
          history.forget(ctx, e.tool);
        }
      })
      .then((tool) => decorate(ctx, tool, false));
  }

  return {
    ...inner,
    async list(ctx) {
      return Promise.all((await inner.list(ctx)).map((t) => decorate(ctx, t)));
    },
    async get(ctx, id) {
      return decorate(ctx, await inner.get(ctx, id));
    },
    register(ctx, id, input) {
      return change(ctx, entry(ctx, id, 'register', null), () => inner.register(ctx, id, input));
    },
    unregister(ctx, id) {
      return change(ctx, entry(ctx, id, 'unregister', null), () => inner.unregister(ctx, id));
    },
    setAccess(ctx, id, input) {
      const mode = input.external ? ((input as { mode?: string }).mode ?? 'protected') : null;
      return change(ctx, entry(ctx, id, input.external ? 'open' : 'close', mode), () =>
        inner.setAccess(ctx, id, input),
      );
    },
  };
}

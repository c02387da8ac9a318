/**
 * Who last opened or closed a tool's external access, and when. The console keeps no usable record of its own
 * (its operation-log table is written only with USE_SAAS set), but the region records every open_outer /
 * close_outer as an event of the component — opt_type "handle-service-outerport", the console user as
 * user_name, the `{"operation":"open"|"close"}` body — and the console lists those events. That covers changes
 * made anywhere (the console's own port page, any replica, before a restart). When the console has none, the
 * last change this process made itself (its audit) is used.
 */
import { LRUCache } from 'lru-cache';
import type { ConsoleCtx, ConsoleEvent, RainbondConsole } from '../../clients/rainbond/types';
import type { Logger } from '../../log';
import type { AccessChangeRecord, ToolId } from '../../../contract';
import type { AuditTrail } from './audit';

/** Events read per look; an access change older than the newest this many events is not found. */
const EVENTS_READ = 20;

/** Pure: the newest successful outer-port open or close among a component's events (newest first), or null. */
export function lastAccessChangeOf(events: ConsoleEvent[]): AccessChangeRecord | null {
  for (const e of events) {
    if (e.optType !== 'handle-service-outerport' || e.status === 'failure') continue;
    let operation: unknown;
    try {
      operation = (JSON.parse(e.requestBody) as { operation?: unknown }).operation;
    } catch {
      continue;
    }
    if (operation !== 'open' && operation !== 'close') continue;
    const at = new Date(e.createTime);
    if (Number.isNaN(at.getTime())) continue;
    return {
      external: operation === 'open',
      user: e.userName || '?',
      at: at.toISOString(),
      source: 'console',
    };
  }
  return null;
}

export interface AccessHistory {
  /** The last access change of the tool whose component is `alias`; null when none is known. */
  last(ctx: ConsoleCtx, tool: ToolId, alias: string): Promise<AccessChangeRecord | null>;
  /** Drops what was read for the tool (after a change made through the plugin). */
  forget(ctx: ConsoleCtx, tool: ToolId): void;
}

export function createAccessHistory(deps: {
  console: RainbondConsole;
  audit: AuditTrail;
  log: Logger;
  /** How long the console's answer is reused, in ms (status polls would otherwise read the events each time). */
  cacheMs?: number;
}): AccessHistory {
  const key = (ctx: ConsoleCtx, tool: ToolId) => `${ctx.region}/${ctx.team}/${tool}`;
  const read = new LRUCache<string, { alias: string; value: Promise<AccessChangeRecord | null> }>({
    max: 5000,
    ttl: deps.cacheMs ?? 5000,
  });

  async function fromConsole(
    ctx: ConsoleCtx,
    tool: ToolId,
    alias: string,
  ): Promise<AccessChangeRecord | null> {
    try {
      return lastAccessChangeOf(await deps.console.componentEvents(ctx, alias, EVENTS_READ));
    } catch (e) {
      // older consoles or a failing region: the tool's state still answers, without the record
      deps.log.debug('could not read the component events', { team: ctx.team, tool, err: String(e) });
      return null;
    }
  }

  return {
    forget(ctx, tool) {
      read.delete(key(ctx, tool));
    },
    async last(ctx, tool, alias) {
      const mine = deps.audit.lastAccessChange(ctx.region, ctx.team, tool);
      let hit = read.get(key(ctx, tool));
      if (!hit || hit.alias !== alias) {
        hit = { alias, value: fromConsole(ctx, tool, alias) };
        read.set(key(ctx, tool), hit);
      }
      const fromConsoleRecord = await hit.value;
      if (!fromConsoleRecord) return mine;
      // this process's own record is newer when the change went through the gateway entry or is not listed yet
      // (the region writes whole seconds: a record of ours within 2 s of the console's is the same change)
      return mine && Date.parse(mine.at) > Date.parse(fromConsoleRecord.at) + 2000 ? mine : fromConsoleRecord;
    },
  };
}

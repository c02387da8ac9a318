/**
 * The audit trail of tool changes: every register, unregister, open and close — allowed or refused — is one
 * structured log line (`"audit": true`) and a count in /metrics. Labels are bounded (3 tools × 4 actions × 3
 * outcomes); who and where go to the log line only. Never a JWT: the user is the console's name and id.
 */
import { LRUCache } from 'lru-cache';
import { isAppError } from '../../errors';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';
import type { AccessChangeRecord, ToolId } from '../../../contract';

export type AuditAction = 'register' | 'unregister' | 'open' | 'close';
/** ok; denied = 403 (not allowed); failed = any other refusal or failure (its code in `error`). */
export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  user: { id: number; name: string };
  team: string;
  region: string;
  tool: ToolId;
  action: AuditAction;
  /** The access mode asked for when opening ("protected" | "open"); null for the other actions. */
  mode: string | null;
}

export interface AuditTrail {
  /** Runs `fn` and records its outcome; rethrows what it throws. */
  record<T>(entry: AuditEntry, fn: () => Promise<T>): Promise<T>;
  /** The last open or close this process made for the tool, as an access record; null if none. */
  lastAccessChange(region: string, team: string, tool: ToolId): AccessChangeRecord | null;
}

export function createAuditTrail(deps: { log: Logger; metrics: Metrics; now?: () => Date }): AuditTrail {
  const now = deps.now ?? (() => new Date());
  const lastChange = new LRUCache<string, AccessChangeRecord>({ max: 10_000 });
  const key = (region: string, team: string, tool: string) => `${region}/${team}/${tool}`;

  function write(entry: AuditEntry, outcome: AuditOutcome, error?: string) {
    deps.metrics.count('tool_changes_total', 'Tool registrations, removals, opens and closes, by outcome.', {
      tool: entry.tool,
      action: entry.action,
      outcome,
    });
    deps.log.info('tool change', {
      audit: true,
      user: entry.user.name,
      userId: entry.user.id,
      team: entry.team,
      region: entry.region,
      tool: entry.tool,
      action: entry.action,
      mode: entry.mode,
      outcome,
      ...(error ? { error } : {}),
    });
    if (outcome === 'ok' && (entry.action === 'open' || entry.action === 'close')) {
      lastChange.set(key(entry.region, entry.team, entry.tool), {
        external: entry.action === 'open',
        user: entry.user.name,
        at: now().toISOString(),
        source: 'plugin',
      });
    }
    if (outcome === 'ok' && entry.action === 'unregister')
      lastChange.delete(key(entry.region, entry.team, entry.tool));
  }

  return {
    async record(entry, fn) {
      try {
        const out = await fn();
        write(entry, 'ok');
        return out;
      } catch (e) {
        const code = isAppError(e) ? e.code : 'INTERNAL';
        write(entry, code === 'FORBIDDEN' ? 'denied' : 'failed', code);
        throw e;
      }
    },
    lastAccessChange(region, team, tool) {
      return lastChange.get(key(region, team, tool)) ?? null;
    },
  };
}

/**
 * The plugin's Rainbond app in a team, found by what identifies it — its k8s_app, read back from the console —
 * never by a name remembered in memory, and never an app that merely carries our name. The console checks
 * name and k8s_app uniqueness before it inserts, not atomically, so two replicas racing can both create one:
 * after creating, the app list is read again and every replica keeps the same one (the lowest id).
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../log';
import { isConsoleError } from '../../clients/rainbond/console-errors';
import type { ConsoleApp, ConsoleCtx, RainbondConsole } from '../../clients/rainbond/types';

export interface PluginApps {
  /** The plugin's app in the team, or null. */
  find(ctx: ConsoleCtx, preferName?: string): Promise<ConsoleApp | null>;
  /** Finds or creates it; `appName` is used only when creating. */
  ensure(ctx: ConsoleCtx, appName: string): Promise<ConsoleApp>;
  /** Deletes the app when nothing lives in it any more (another tool may still). */
  deleteIfEmpty(ctx: ConsoleCtx, app: ConsoleApp): Promise<void>;
}

/** At most this many apps of a team are read when looking for ours (each read is one console call). */
const MAX_APPS_SCANNED = 300;
const SCAN_CONCURRENCY = 6;

export function createPluginApps(deps: {
  console: RainbondConsole;
  log: Logger;
  /** k8s_app of the plugin's app, DNS-1123, e.g. "cilium-observability". */
  k8sApp: string;
}): PluginApps {
  const rb = deps.console;
  // k8s_app of an app id: set at creation and practically never changed, so the scan reads each app once
  const k8sAppOf = new LRUCache<string, string>({ max: 20_000, ttl: 10 * 60_000 });
  const key = (ctx: ConsoleCtx, appId: number) => `${ctx.region}/${ctx.team}/${appId}`;

  async function k8sAppOfApp(ctx: ConsoleCtx, app: ConsoleApp): Promise<string | null> {
    if (app.k8sApp !== null) return app.k8sApp;
    const cached = k8sAppOf.get(key(ctx, app.appId));
    if (cached !== undefined) return cached;
    try {
      const full = await rb.getApp(ctx, app.appId);
      k8sAppOf.set(key(ctx, app.appId), full.k8sApp ?? '');
      return full.k8sApp;
    } catch (e) {
      if (isConsoleError(e, 'not-found')) return null;
      throw e;
    }
  }

  /** Every app of the team whose k8s_app is ours, lowest id first; `preferName` is read first. */
  async function scan(ctx: ConsoleCtx, preferName?: string): Promise<ConsoleApp[]> {
    const apps = (await rb.listApps(ctx)).slice(0, MAX_APPS_SCANNED);
    const ordered = [...apps].sort(
      (a, b) => Number(b.appName === preferName) - Number(a.appName === preferName) || a.appId - b.appId,
    );
    const ours: ConsoleApp[] = [];
    for (let i = 0; i < ordered.length; i += SCAN_CONCURRENCY) {
      const batch = ordered.slice(i, i + SCAN_CONCURRENCY);
      const found = await Promise.all(batch.map((a) => k8sAppOfApp(ctx, a)));
      batch.forEach((a, j) => {
        if (found[j] === deps.k8sApp) ours.push({ ...a, k8sApp: deps.k8sApp });
      });
    }
    return ours.sort((a, b) => a.appId - b.appId);
  }

  async function find(ctx: ConsoleCtx, preferName?: string): Promise<ConsoleApp | null> {
    return (await scan(ctx, preferName))[0] ?? null;
  }

  /** Names tried when the wanted one is taken by an app that is not ours, e.g. "Cilium-Observability-2". */
  const fallbackNames = (name: string) => [name, ...[2, 3, 4, 5].map((n) => `${name.slice(0, 120)}-${n}`)];

  async function ensure(ctx: ConsoleCtx, appName: string): Promise<ConsoleApp> {
    const existing = await find(ctx, appName);
    if (existing) return existing;
    let lastError: unknown;
    for (const name of fallbackNames(appName)) {
      try {
        const created = await rb.createApp(ctx, { appName: name, k8sApp: deps.k8sApp });
        k8sAppOf.set(key(ctx, created.appId), deps.k8sApp);
        deps.log.info('created Rainbond app', { team: ctx.team, region: ctx.region, appId: created.appId });
        return await settle(ctx, created);
      } catch (e) {
        // "exists": a racing replica made ours meanwhile (k8s_app taken), or a user's app has the name
        if (!isConsoleError(e, 'exists')) throw e;
        lastError = e;
        const raced = await find(ctx, name);
        if (raced) return raced;
      }
    }
    throw lastError;
  }

  /** After creating: if a racing replica made one too, every replica keeps the lowest id and drops its own. */
  async function settle(ctx: ConsoleCtx, created: ConsoleApp): Promise<ConsoleApp> {
    const ours = await scan(ctx, created.appName);
    const keep = ours[0] ?? created;
    if (keep.appId !== created.appId) {
      deps.log.warn('dropping a duplicate Rainbond app made by a racing replica', {
        team: ctx.team,
        kept: keep.appId,
        dropped: created.appId,
      });
      await deleteIfEmpty(ctx, created);
    }
    return keep;
  }

  async function deleteIfEmpty(ctx: ConsoleCtx, app: ConsoleApp): Promise<void> {
    if ((await rb.listAppComponents(ctx, app.appId)).length > 0) return;
    try {
      await rb.deleteApp(ctx, app.appId);
      k8sAppOf.delete(key(ctx, app.appId));
      deps.log.info('deleted empty Rainbond app', { team: ctx.team, appId: app.appId });
    } catch (e) {
      // gone already, or a component appeared meanwhile (409): either way the app is as it should be
      if (!isConsoleError(e, 'not-found') && !isConsoleError(e, 'conflict')) throw e;
    }
  }

  return { find, ensure, deleteIfEmpty };
}

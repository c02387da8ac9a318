/**
 * Registers the observability tools in Rainbond as third-party components and toggles their gateway access.
 * The console is the source of truth: the plugin's app is found by its k8s_app and each tool's component by its
 * k8s_component_name, read back every time, so a restarted process or another replica sees exactly what exists.
 * Inside one process a keyed mutex serialises the changes of one team+tool; across replicas the steps converge.
 */
import { LRUCache } from 'lru-cache';
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import { isConsoleError } from '../../clients/rainbond/console-errors';
import type { ConsoleCtx, RainbondConsole } from '../../clients/rainbond/types';
import type { ToolTarget } from '../../clients/cluster/types';
import { TOOL_IDS, TOOL_TITLES, type ToolId } from '../../../contract';
import type { RegistrationService, ToolConsoleState } from './types';
import { UNREGISTERED } from './registration.mapping';
import { createKeyedMutex } from './keyed-mutex';
import { createPluginApps } from './plugin-app';
import { createToolComponents, pickPort } from './tool-components';

export interface RegistrationServiceDeps {
  console: RainbondConsole;
  log: Logger;
  /** Name of the app when the plugin creates it; must pass the console's rule, e.g. "Cilium-Observability". */
  appName?: string;
  /** k8s_app that identifies the plugin's app, DNS-1123, e.g. "cilium-observability". */
  k8sApp?: string;
  /** How long readAll answers from memory, in ms (any mutation of the team clears it). */
  cacheMs?: number;
}

type All = Record<ToolId, ToolConsoleState>;

export const DEFAULT_APP_NAME = 'Cilium-Observability';

export function createRegistrationService(deps: RegistrationServiceDeps): RegistrationService {
  const rb = deps.console;
  const defaultName = deps.appName ?? DEFAULT_APP_NAME;
  const apps = createPluginApps({
    console: rb,
    log: deps.log,
    k8sApp: deps.k8sApp ?? 'cilium-observability',
  });
  const components = createToolComponents({ console: rb, log: deps.log });
  const mutex = createKeyedMutex();

  const teamKey = (ctx: ConsoleCtx) => `${ctx.region}/${ctx.team}`;
  const lockKey = (ctx: ConsoleCtx, tool: ToolId) => `${teamKey(ctx)}#${tool}`;

  // Short read cache per team. A generation counter per team makes a read that started before a mutation
  // unable to land after it.
  const reads = new LRUCache<string, { gen: number; value: Promise<All> }>({
    max: 5000,
    ttl: deps.cacheMs ?? 3000,
  });
  const generations = new LRUCache<string, number>({ max: 5000, ttl: 10 * 60_000 });
  const invalidate = (ctx: ConsoleCtx) => {
    const k = teamKey(ctx);
    generations.set(k, (generations.get(k) ?? 0) + 1);
    reads.delete(k);
  };

  async function readAllFresh(ctx: ConsoleCtx): Promise<All> {
    const out = Object.fromEntries(TOOL_IDS.map((t) => [t, UNREGISTERED])) as All;
    const app = await apps.find(ctx, defaultName);
    if (!app) return out;
    const named = await components.byName(ctx, await rb.listAppComponents(ctx, app.appId));
    await Promise.all(
      TOOL_IDS.map(async (tool) => {
        const c = named.get(tool)?.[0];
        if (c) out[tool] = await components.liveState(ctx, app, c.alias, c.status);
      }),
    );
    return out;
  }

  function readAll(ctx: ConsoleCtx): Promise<All> {
    const k = teamKey(ctx);
    const gen = generations.get(k) ?? 0;
    const hit = reads.get(k);
    if (hit && hit.gen === gen) return hit.value;
    const value = readAllFresh(ctx);
    reads.set(k, { gen, value });
    // a failed read is not cached
    value.catch(() => {
      if (reads.get(k)?.value === value) reads.delete(k);
    });
    return value;
  }

  /** Runs a change of one tool under its lock, with the team's read cache cleared before and after. */
  function change<T>(ctx: ConsoleCtx, tool: ToolId, fn: () => Promise<T>): Promise<T> {
    return mutex.run(lockKey(ctx, tool), async () => {
      invalidate(ctx);
      try {
        return await fn();
      } finally {
        invalidate(ctx);
      }
    });
  }

  /** App + the tool's component, or null when the tool is not registered. */
  async function locate(ctx: ConsoleCtx, tool: ToolId) {
    const app = await apps.find(ctx, defaultName);
    if (!app) return null;
    const comp = await components.find(ctx, app, tool);
    return comp ? { app, comp } : null;
  }

  return {
    readAll,
    async read(ctx, tool) {
      return (await readAll(ctx))[tool];
    },

    async register(ctx: ConsoleCtx, target: ToolTarget, opts: { appName?: string }) {
      const service = target.service;
      if (!service) throw new AppError('TOOL_NOT_FOUND', `no Service found for ${target.id} in the cluster`);
      const spec = { k8sName: target.id, cname: TOOL_TITLES[target.id], service };
      return change(ctx, target.id, async () => {
        const appName = opts.appName ?? defaultName;
        // the app creation of one team is shared by its tools' registrations
        const app = await mutex.run(`${teamKey(ctx)}#app`, () => apps.ensure(ctx, appName));
        try {
          return await components.bringUp(ctx, app, spec);
        } catch (e) {
          // the app was deleted under us (another tool's unregister): ensure it once more
          if (!isConsoleError(e, 'not-found')) throw e;
          const again = await mutex.run(`${teamKey(ctx)}#app`, () => apps.ensure(ctx, appName));
          return components.bringUp(ctx, again, spec);
        }
      });
    },

    setAccess(ctx, tool, external) {
      return change(ctx, tool, async () => {
        const found = await locate(ctx, tool);
        if (!found) throw new AppError('NOT_REGISTERED', `${tool} is not registered in team ${ctx.team}`);
        const alias = found.comp.alias;
        const port = pickPort(await rb.listPorts(ctx, alias));
        if (!port) throw new AppError('NOT_REGISTERED', `${tool} has no port yet: register it again`);
        if (external) {
          if (!port.isInner) await rb.changePort(ctx, alias, port.port, 'open_inner');
          if (!port.isOuter) await rb.changePort(ctx, alias, port.port, 'open_outer');
        } else if (port.isOuter) {
          await rb.changePort(ctx, alias, port.port, 'close_outer');
        }
        deps.log.info('set tool access', { team: ctx.team, tool, external });
        return components.liveState(ctx, found.app, alias, null, port.port);
      });
    },

    unregister(ctx, tool) {
      return change(ctx, tool, async () => {
        const found = await locate(ctx, tool);
        if (!found) return UNREGISTERED;
        await components.remove(ctx, found.comp.alias);
        deps.log.info('deleted third-party component', { team: ctx.team, tool, alias: found.comp.alias });
        // the app goes only when nothing else lives in it; under the app lock so no registration races it
        await mutex.run(`${teamKey(ctx)}#app`, () => apps.deleteIfEmpty(ctx, found.app));
        return UNREGISTERED;
      });
    },
  };
}

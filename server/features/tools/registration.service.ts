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
import type { ConsoleApp } from '../../clients/rainbond/types';
import type { RegistrationService, ToolConsoleState } from './types';
import { accessOf, combineAccess, entryNameOf, UNREGISTERED } from './registration.mapping';
import { createKeyedMutex } from './keyed-mutex';
import { createPluginApps } from './plugin-app';
import { createToolComponents, orIfGone, pickPort } from './tool-components';

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
        if (!c) return;
        const entry = named.get(entryNameOf(tool))?.[0];
        out[tool] = await stateWithEntry(ctx, app, c.alias, c.status, entry?.alias ?? null);
      }),
    );
    return out;
  }

  /** The tool component's state, its access combined with that of its gateway entry (when there is one). */
  async function stateWithEntry(
    ctx: ConsoleCtx,
    app: ConsoleApp,
    alias: string,
    knownStatus: string | null,
    entryAlias: string | null,
  ): Promise<ToolConsoleState> {
    const [state, entryPorts] = await Promise.all([
      components.liveState(ctx, app, alias, knownStatus),
      entryAlias ? orIfGone(() => rb.listPorts(ctx, entryAlias), []) : Promise.resolve([]),
    ]);
    return { ...state, access: combineAccess(state.access, accessOf(pickPort(entryPorts))) };
  }

  /** close_outer on every outer port of a component; gone = closed. */
  async function closeAll(ctx: ConsoleCtx, alias: string): Promise<void> {
    const ports = await orIfGone(() => rb.listPorts(ctx, alias), []);
    for (const p of ports.filter((x) => x.isOuter))
      await orIfGone(() => rb.changePort(ctx, alias, p.port, 'close_outer'), undefined);
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

  /** App + the tool's component and its gateway entry (null when none), or null when not registered. */
  async function locate(ctx: ConsoleCtx, tool: ToolId) {
    const app = await apps.find(ctx, defaultName);
    if (!app) return null;
    const named = await components.byName(ctx, await rb.listAppComponents(ctx, app.appId));
    const comp = named.get(tool)?.[0] ?? null;
    const entry = named.get(entryNameOf(tool))?.[0] ?? null;
    return { app, comp, entry };
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

    setAccess(ctx, tool, want, selfService) {
      return change(ctx, tool, async () => {
        const found = await locate(ctx, tool);
        if (!found?.comp)
          throw new AppError('NOT_REGISTERED', `${tool} is not registered in team ${ctx.team}`);
        const { app } = found;
        const alias = found.comp.alias;
        const port = pickPort(await rb.listPorts(ctx, alias));
        if (!port) throw new AppError('NOT_REGISTERED', `${tool} has no port yet: register it again`);
        const closeDirect = async () => {
          if (port.isOuter) await rb.changePort(ctx, alias, port.port, 'close_outer');
        };
        let entryAlias = found.entry?.alias ?? null;
        // Every change closes before it opens: no moment open without login, never both entries open.
        if (!want.external) {
          await closeDirect();
          if (entryAlias) await closeAll(ctx, entryAlias);
        } else if (want.mode === 'open') {
          if (entryAlias) await closeAll(ctx, entryAlias);
          if (!port.isInner) await rb.changePort(ctx, alias, port.port, 'open_inner');
          if (!port.isOuter) await rb.changePort(ctx, alias, port.port, 'open_outer');
        } else {
          await closeDirect();
          const self = selfService();
          if (!self) {
            throw new AppError(
              'UNAVAILABLE',
              "the plugin's own Service is not known (set SELF_SERVICE=namespace/name); protected access needs it",
              { reason: 'SELF_SERVICE_UNKNOWN' },
            );
          }
          const entry = await components.bringUp(ctx, app, {
            k8sName: entryNameOf(tool),
            cname: `${TOOL_TITLES[tool]} (protected)`,
            service: self,
          });
          entryAlias = entry.registration?.componentAlias ?? null;
          const entryPort = entryAlias ? pickPort(await rb.listPorts(ctx, entryAlias), self.port) : undefined;
          if (entryAlias && entryPort && !entryPort.isOuter)
            await rb.changePort(ctx, entryAlias, entryPort.port, 'open_outer');
        }
        let state = await stateWithEntry(ctx, app, alias, null, entryAlias);
        // Both outer can only come from a change racing on another replica: the protected entry wins.
        if (state.access.external && state.access.mode === 'open' && entryAlias) {
          const entryOpen = accessOf(
            pickPort(await orIfGone(() => rb.listPorts(ctx, entryAlias), [])),
          ).external;
          if (entryOpen) {
            deps.log.warn('both entries of a tool were open; closing the one without login', {
              team: ctx.team,
              tool,
            });
            await closeAll(ctx, alias);
            state = await stateWithEntry(ctx, app, alias, null, entryAlias);
          }
        }
        deps.log.info('set tool access', { team: ctx.team, tool, external: want.external, mode: want.mode });
        return state;
      });
    },

    unregister(ctx, tool) {
      return change(ctx, tool, async () => {
        const found = await locate(ctx, tool);
        if (!found || (!found.comp && !found.entry)) return UNREGISTERED;
        // the gateway entry first: each removal closes the component's outer ports before deleting it
        for (const c of [found.entry, found.comp]) {
          if (!c) continue;
          await components.remove(ctx, c.alias);
          deps.log.info('deleted third-party component', { team: ctx.team, tool, alias: c.alias });
        }
        // the app goes only when nothing else lives in it; under the app lock so no registration races it
        await mutex.run(`${teamKey(ctx)}#app`, () => apps.deleteIfEmpty(ctx, found.app));
        return UNREGISTERED;
      });
    },
  };
}

/**
 * Registers the observability tools in Rainbond as third-party components (rainbond-contract §3.7) and toggles
 * their gateway access. Every step reads the console first, so any call may be retried after any failure and a
 * restarted process converges; inside the process a keyed mutex keeps one component per team+tool.
 */
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import { isConsoleError } from '../../clients/rainbond/console-errors';
import { createKeyedMutex } from './keyed-mutex';
import type {
  ConsoleApp,
  ConsoleComponent,
  ConsoleComponentSummary,
  ConsoleCtx,
  ConsoleEndpoint,
  ConsolePort,
  RainbondConsole,
} from '../../clients/rainbond/types';
import type { ToolTarget } from '../../clients/cluster/types';
import { TOOL_IDS, type ToolId } from '../../../contract';
import type { RegistrationService, ToolConsoleState } from './types';
import {
  TOOL_TITLES,
  UNREGISTERED,
  accessOf,
  candidatesFor,
  endpointHealth,
  findApp,
  isStartedStatus,
  portAliasFor,
  toConsoleAppName,
} from './registration.mapping';

export interface RegistrationServiceDeps {
  console: RainbondConsole;
  log: Logger;
  /** Default Rainbond app name (made console-safe: "Cilium Observability" → "Cilium-Observability"). */
  appName?: string;
  /** k8s_app of that app, DNS-1123, e.g. "cilium-observability". */
  k8sApp?: string;
  /** How long readAll answers from memory, in ms (any mutation of the team clears it). */
  cacheMs?: number;
}

type All = Record<ToolId, ToolConsoleState>;

export function createRegistrationService(deps: RegistrationServiceDeps): RegistrationService {
  const rb = deps.console;
  const defaultName = toConsoleAppName(deps.appName ?? 'Cilium Observability');
  const k8sApp = deps.k8sApp ?? 'cilium-observability';
  const cacheMs = deps.cacheMs ?? 3000;
  const mutex = createKeyedMutex();

  /** App names this process gave the app per team, so a custom name is still found. */
  const knownNames = new Map<string, Set<string>>();
  /** Concurrent ensureApp calls of one team share one flight. */
  const appFlights = new Map<string, Promise<ConsoleApp>>();
  /** alias → k8s_component_name (set at creation, practically immutable); saves /detail calls. */
  const k8sNames = new Map<string, string>();
  const reads = new Map<string, { at: number; gen: number; value: Promise<All> }>();
  const generations = new Map<string, number>();

  const teamKey = (ctx: ConsoleCtx) => `${ctx.region}/${ctx.team}`;
  const invalidate = (ctx: ConsoleCtx) => {
    const k = teamKey(ctx);
    generations.set(k, (generations.get(k) ?? 0) + 1);
    reads.delete(k);
  };
  const namesOf = (ctx: ConsoleCtx) => [defaultName, ...(knownNames.get(teamKey(ctx)) ?? [])];
  const remember = (ctx: ConsoleCtx, app: ConsoleApp) => {
    const k = teamKey(ctx);
    const s = knownNames.get(k) ?? new Set<string>();
    s.add(app.appName);
    knownNames.set(k, s);
  };

  /** `fn`, but a console "not found" becomes `fallback` (the object is gone, which is what we wanted). */
  async function orIfGone<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isConsoleError(e, 'not-found')) return fallback;
      throw e;
    }
  }

  async function lookupApp(ctx: ConsoleCtx): Promise<ConsoleApp | null> {
    return findApp(await rb.listApps(ctx), k8sApp, namesOf(ctx));
  }

  /** After "k8s_app exists" under a name we do not know: the list lacks k8s_app, so read each app. */
  async function scanForK8sApp(ctx: ConsoleCtx): Promise<ConsoleApp | null> {
    const apps = await rb.listApps(ctx);
    const hit = findApp(apps, k8sApp, namesOf(ctx));
    if (hit) return hit;
    for (const a of apps.slice(0, 50)) {
      const full = await orIfGone(() => rb.getApp(ctx, a.appId), null);
      if (full?.k8sApp === k8sApp) return full;
    }
    return null;
  }

  function ensureApp(ctx: ConsoleCtx, appName: string): Promise<ConsoleApp> {
    const k = teamKey(ctx);
    const inFlight = appFlights.get(k);
    if (inFlight) return inFlight;
    const flight = mutex
      .run(`${k}#app`, async () => {
        const existing = await lookupApp(ctx);
        if (existing) return existing;
        try {
          const created = await rb.createApp(ctx, { appName, k8sApp });
          deps.log.info('created Rainbond app', { team: ctx.team, region: ctx.region, appId: created.appId });
          return created;
        } catch (e) {
          // "app name exist" / 21003: someone else made it meanwhile, or it carries another name
          if (!isConsoleError(e, 'exists')) throw e;
          const found = await scanForK8sApp(ctx);
          if (found) return found;
          throw e;
        }
      })
      .then((app) => {
        remember(ctx, app);
        return app;
      })
      .finally(() => appFlights.delete(k));
    appFlights.set(k, flight);
    return flight;
  }

  async function k8sNameOf(ctx: ConsoleCtx, alias: string): Promise<string | null> {
    const cached = k8sNames.get(`${teamKey(ctx)}/${alias}`);
    if (cached !== undefined) return cached;
    const detail = await orIfGone(() => rb.componentDetail(ctx, alias), null);
    if (!detail) return null;
    k8sNames.set(`${teamKey(ctx)}/${alias}`, detail.k8sComponentName);
    return detail.k8sComponentName;
  }

  /** The tool's component among the app's components (k8s_component_name = tool id). */
  async function findComponent(
    ctx: ConsoleCtx,
    components: ConsoleComponentSummary[],
    tool: ToolId,
  ): Promise<ConsoleComponentSummary | null> {
    for (const c of candidatesFor(components, tool)) if ((await k8sNameOf(ctx, c.alias)) === tool) return c;
    return null;
  }

  /** Maps every tool to its component with as few /detail calls as the cache allows (run in parallel). */
  async function mapComponents(ctx: ConsoleCtx, components: ConsoleComponentSummary[]) {
    const names = await Promise.all(components.map((c) => k8sNameOf(ctx, c.alias)));
    const byTool = new Map<ToolId, ConsoleComponentSummary>();
    components.forEach((c, i) => {
      const n = names[i];
      if ((TOOL_IDS as readonly string[]).includes(n ?? '') && !byTool.has(n as ToolId))
        byTool.set(n as ToolId, c);
    });
    return byTool;
  }

  function stateOf(
    app: ConsoleApp,
    alias: string,
    status: string,
    endpoints: ConsoleEndpoint[],
    port: ConsolePort | undefined,
  ): ToolConsoleState {
    return {
      registration: {
        appId: app.appId,
        appName: app.appName,
        componentAlias: alias,
        componentStatus: status,
        endpoints: endpointHealth(endpoints),
      },
      access: accessOf(port),
    };
  }

  /** The port we registered: the http one (the target port), else the first. */
  const pickPort = (ports: ConsolePort[], want?: number) =>
    ports.find((p) => p.port === want) ?? ports.find((p) => p.protocol === 'http') ?? ports[0];

  async function liveState(
    ctx: ConsoleCtx,
    app: ConsoleApp,
    alias: string,
    knownStatus: string | null,
    wantPort?: number,
  ): Promise<ToolConsoleState> {
    const [status, endpoints, ports] = await Promise.all([
      knownStatus ?? orIfGone(() => rb.componentStatus(ctx, alias), 'unKnow'),
      orIfGone(() => rb.thirdPartyEndpoints(ctx, alias), []),
      orIfGone(() => rb.listPorts(ctx, alias), []),
    ]);
    return stateOf(app, alias, status, endpoints, pickPort(ports, wantPort));
  }

  async function readAllFresh(ctx: ConsoleCtx): Promise<All> {
    const out = Object.fromEntries(TOOL_IDS.map((t) => [t, UNREGISTERED])) as All;
    const app = await lookupApp(ctx);
    if (!app) return out;
    const byTool = await mapComponents(ctx, await rb.listAppComponents(ctx, app.appId));
    await Promise.all(
      [...byTool].map(async ([tool, c]) => {
        out[tool] = await liveState(ctx, app, c.alias, c.status);
      }),
    );
    return out;
  }

  const lockKey = (ctx: ConsoleCtx, tool: ToolId) => `${teamKey(ctx)}#${tool}`;

  async function ensureComponent(
    ctx: ConsoleCtx,
    app: ConsoleApp,
    target: ToolTarget & { service: NonNullable<ToolTarget['service']> },
  ) {
    const tool = target.id;
    const existing = await findComponent(ctx, await rb.listAppComponents(ctx, app.appId), tool);
    if (existing) return rb.componentDetail(ctx, existing.alias);
    try {
      const created = await rb.createThirdPartyComponent(ctx, {
        appId: app.appId,
        cname: TOOL_TITLES[tool],
        k8sComponentName: tool,
        serviceName: target.service.name,
        namespace: target.service.namespace,
      });
      k8sNames.set(`${teamKey(ctx)}/${created.alias}`, created.k8sComponentName);
      deps.log.info('created third-party component', { team: ctx.team, tool, alias: created.alias });
      return created;
    } catch (e) {
      // 20802: created by another process meanwhile
      if (!isConsoleError(e, 'exists')) throw e;
      const again = await findComponent(ctx, await rb.listAppComponents(ctx, app.appId), tool);
      if (!again) throw e;
      return rb.componentDetail(ctx, again.alias);
    }
  }

  async function ensureBuilt(ctx: ConsoleCtx, comp: ConsoleComponent) {
    if (comp.createStatus === 'complete') return;
    try {
      await rb.buildComponent(ctx, comp.alias);
    } catch (e) {
      // a 4xx such as "already built": done if the console now says complete
      if (!isConsoleError(e) || !['rejected', 'exists', 'conflict'].includes(e.reason)) throw e;
      const again = await rb.componentDetail(ctx, comp.alias);
      if (again.createStatus !== 'complete') throw e;
    }
  }

  async function ensurePort(
    ctx: ConsoleCtx,
    tool: ToolId,
    alias: string,
    port: number,
  ): Promise<ConsolePort> {
    let p = (await rb.listPorts(ctx, alias)).find((x) => x.port === port);
    if (!p) {
      try {
        await rb.addPort(ctx, alias, {
          port,
          protocol: 'http',
          portAlias: portAliasFor(tool, port),
          inner: true,
          outer: false,
        });
        return { port, protocol: 'http', isInner: true, isOuter: false, domains: [] };
      } catch (e) {
        if (!isConsoleError(e, 'exists')) throw e; // 409/20501: already there
        p = (await rb.listPorts(ctx, alias)).find((x) => x.port === port);
        if (!p) throw e;
      }
    }
    if (!p.isInner) {
      await rb.changePort(ctx, alias, port, 'open_inner');
      p = { ...p, isInner: true };
    }
    return p;
  }

  async function ensureStarted(ctx: ConsoleCtx, alias: string): Promise<string> {
    const before = await rb.componentStatus(ctx, alias);
    if (isStartedStatus(before)) return before;
    try {
      await rb.startComponent(ctx, alias);
    } catch (e) {
      if (!isConsoleError(e) || !['rejected', 'conflict'].includes(e.reason)) throw e;
      const now = await rb.componentStatus(ctx, alias);
      if (isStartedStatus(now)) return now;
      throw e;
    }
    return rb.componentStatus(ctx, alias);
  }

  async function register(
    ctx: ConsoleCtx,
    target: ToolTarget,
    opts: { appName?: string },
  ): Promise<ToolConsoleState> {
    const service = target.service;
    if (!service) throw new AppError('TOOL_NOT_FOUND', `no Service found for ${target.id} in the cluster`);
    const full = { ...target, service };
    return mutex.run(lockKey(ctx, target.id), async () => {
      invalidate(ctx);
      try {
        const appName = toConsoleAppName(opts.appName ?? defaultName);
        let app = await ensureApp(ctx, appName);
        let comp: ConsoleComponent;
        try {
          comp = await ensureComponent(ctx, app, full);
        } catch (e) {
          // the app was deleted under us (another tool's unregister): ensure it once more
          if (!isConsoleError(e, 'not-found')) throw e;
          app = await ensureApp(ctx, appName);
          comp = await ensureComponent(ctx, app, full);
        }
        await ensureBuilt(ctx, comp);
        const port = await ensurePort(ctx, target.id, comp.alias, service.port);
        const status = await ensureStarted(ctx, comp.alias);
        const endpoints = await orIfGone(() => rb.thirdPartyEndpoints(ctx, comp.alias), []);
        return stateOf(app, comp.alias, status, endpoints, port);
      } finally {
        invalidate(ctx);
      }
    });
  }

  /** App + the tool's component, or null when the tool is not registered. */
  async function locate(ctx: ConsoleCtx, tool: ToolId) {
    const app = await lookupApp(ctx);
    if (!app) return null;
    const components = await rb.listAppComponents(ctx, app.appId);
    const comp = await findComponent(ctx, components, tool);
    return comp ? { app, comp, components } : null;
  }

  async function setAccess(ctx: ConsoleCtx, tool: ToolId, external: boolean): Promise<ToolConsoleState> {
    return mutex.run(lockKey(ctx, tool), async () => {
      invalidate(ctx);
      try {
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
        return await liveState(ctx, found.app, alias, null, port.port);
      } finally {
        invalidate(ctx);
      }
    });
  }

  async function unregister(ctx: ConsoleCtx, tool: ToolId): Promise<ToolConsoleState> {
    return mutex.run(lockKey(ctx, tool), async () => {
      invalidate(ctx);
      try {
        const found = await locate(ctx, tool);
        if (!found) return UNREGISTERED;
        const { app, comp } = found;
        const ports = await orIfGone(() => rb.listPorts(ctx, comp.alias), []);
        for (const p of ports.filter((x) => x.isOuter))
          await orIfGone(() => rb.changePort(ctx, comp.alias, p.port, 'close_outer'), undefined);
        await orIfGone(() => rb.deleteComponent(ctx, comp.alias), undefined);
        k8sNames.delete(`${teamKey(ctx)}/${comp.alias}`);
        deps.log.info('deleted third-party component', { team: ctx.team, tool, alias: comp.alias });
        // the app goes only when nothing else lives in it; under the app lock so no registration races it
        await mutex.run(`${teamKey(ctx)}#app`, async () => {
          const left = await rb.listAppComponents(ctx, app.appId);
          if (left.length > 0) return;
          try {
            await orIfGone(() => rb.deleteApp(ctx, app.appId), undefined);
            deps.log.info('deleted empty Rainbond app', { team: ctx.team, appId: app.appId });
          } catch (e) {
            // 409: a component appeared meanwhile; the app stays
            if (!isConsoleError(e, 'conflict')) throw e;
          }
        });
        return UNREGISTERED;
      } finally {
        invalidate(ctx);
      }
    });
  }

  async function readAll(ctx: ConsoleCtx): Promise<All> {
    const k = teamKey(ctx);
    const hit = reads.get(k);
    const gen = generations.get(k) ?? 0;
    if (hit && hit.gen === gen && Date.now() - hit.at < cacheMs) return hit.value;
    const value = readAllFresh(ctx);
    reads.set(k, { at: Date.now(), gen, value });
    // a failed read is not cached
    value.catch(() => {
      if (reads.get(k)?.value === value) reads.delete(k);
    });
    return value;
  }

  return {
    readAll,
    async read(ctx, tool) {
      return (await readAll(ctx))[tool];
    },
    register,
    unregister,
    setAccess,
  };
}

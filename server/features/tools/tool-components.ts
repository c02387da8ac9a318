/**
 * A tool's third-party component inside the plugin's app, found by its k8s_component_name (the tool id, read
 * back from the console's component detail), and each step of bringing it up: create → build → port → start.
 * Every step reads the console first, so any step may be retried after any failure.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../log';
import { isConsoleError } from '../../clients/rainbond/console-errors';
import type {
  ConsoleApp,
  ConsoleComponent,
  ConsoleComponentSummary,
  ConsoleCtx,
  ConsolePort,
  RainbondConsole,
} from '../../clients/rainbond/types';
import type { ServiceRef } from '../../../contract';
import { accessOf, endpointHealth, isStartedStatus, portAliasFor } from './registration.mapping';
import type { ToolConsoleState } from './types';

/** `fn`, but a console "not found" becomes `fallback` (the object is gone, which is what we wanted). */
export async function orIfGone<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isConsoleError(e, 'not-found')) return fallback;
    throw e;
  }
}

/** The port we registered: the given one, else the http one, else the first. */
export const pickPort = (ports: ConsolePort[], want?: number) =>
  ports.find((p) => p.port === want) ?? ports.find((p) => p.protocol === 'http') ?? ports[0];

export interface ComponentSpec {
  /** k8s_component_name that identifies it in the app, e.g. "hubble-ui". */
  k8sName: string;
  /** Display name (service_cname), e.g. "Hubble UI". */
  cname: string;
  /** The in-cluster Service it routes to. */
  service: ServiceRef;
}

export function createToolComponents(deps: { console: RainbondConsole; log: Logger }) {
  const rb = deps.console;
  // alias → k8s_component_name: set at creation and practically immutable; saves /detail calls
  const k8sNames = new LRUCache<string, string>({ max: 20_000, ttl: 10 * 60_000 });
  const nameKey = (ctx: ConsoleCtx, alias: string) => `${ctx.region}/${ctx.team}/${alias}`;

  async function k8sNameOf(ctx: ConsoleCtx, alias: string): Promise<string | null> {
    const cached = k8sNames.get(nameKey(ctx, alias));
    if (cached !== undefined) return cached;
    const detail = await orIfGone(() => rb.componentDetail(ctx, alias), null);
    if (!detail) return null;
    k8sNames.set(nameKey(ctx, alias), detail.k8sComponentName);
    return detail.k8sComponentName;
  }

  /** Components of the app by k8s_component_name (the first of each name, by alias), details read in parallel. */
  async function byName(
    ctx: ConsoleCtx,
    components: ConsoleComponentSummary[],
  ): Promise<Map<string, ConsoleComponentSummary[]>> {
    const names = await Promise.all(components.map((c) => k8sNameOf(ctx, c.alias)));
    const out = new Map<string, ConsoleComponentSummary[]>();
    components.forEach((c, i) => {
      const n = names[i];
      if (n) out.set(n, [...(out.get(n) ?? []), c]);
    });
    return out;
  }

  async function find(ctx: ConsoleCtx, app: ConsoleApp, k8sName: string) {
    return (await byName(ctx, await rb.listAppComponents(ctx, app.appId))).get(k8sName)?.[0] ?? null;
  }

  /**
   * Finds or creates the component. The console checks k8s_component_name uniqueness before inserting, not
   * atomically: when a racing replica made one too, this one removes its own and takes the other's.
   */
  async function ensure(ctx: ConsoleCtx, app: ConsoleApp, spec: ComponentSpec): Promise<ConsoleComponent> {
    for (let attempt = 0; ; attempt++) {
      const existing = await find(ctx, app, spec.k8sName);
      if (existing) return rb.componentDetail(ctx, existing.alias);
      let created: ConsoleComponent;
      try {
        created = await rb.createThirdPartyComponent(ctx, {
          appId: app.appId,
          cname: spec.cname,
          k8sComponentName: spec.k8sName,
          serviceName: spec.service.name,
          namespace: spec.service.namespace,
        });
      } catch (e) {
        // "exists": created by another process meanwhile; the next loop finds it
        if (!isConsoleError(e, 'exists') || attempt >= 3) throw e;
        continue;
      }
      k8sNames.set(nameKey(ctx, created.alias), created.k8sComponentName);
      deps.log.info('created third-party component', {
        team: ctx.team,
        k8sName: spec.k8sName,
        alias: created.alias,
      });
      const same = (await byName(ctx, await rb.listAppComponents(ctx, app.appId))).get(spec.k8sName) ?? [];
      const other = same.find((c) => c.alias !== created.alias);
      if (!other) return created;
      deps.log.warn('dropping a duplicate component made by a racing replica', {
        team: ctx.team,
        kept: other.alias,
        dropped: created.alias,
      });
      await remove(ctx, created.alias);
      if (attempt >= 3) return rb.componentDetail(ctx, other.alias);
      // both racers may have dropped theirs: wait a random moment and look again
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 200));
    }
  }

  async function ensureBuilt(ctx: ConsoleCtx, comp: ConsoleComponent): Promise<void> {
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

  /** The http port equal to the Service's port (what Rainbond routes third-party endpoints to), inner open. */
  async function ensurePort(
    ctx: ConsoleCtx,
    alias: string,
    k8sName: string,
    port: number,
  ): Promise<ConsolePort> {
    let p = (await rb.listPorts(ctx, alias)).find((x) => x.port === port);
    if (!p) {
      try {
        await rb.addPort(ctx, alias, {
          port,
          protocol: 'http',
          portAlias: portAliasFor(k8sName, port),
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

  /** Create → build → port → start, each step skipped when the console says it is done. */
  async function bringUp(ctx: ConsoleCtx, app: ConsoleApp, spec: ComponentSpec): Promise<ToolConsoleState> {
    const comp = await ensure(ctx, app, spec);
    await ensureBuilt(ctx, comp);
    const port = await ensurePort(ctx, comp.alias, spec.k8sName, spec.service.port);
    const status = await ensureStarted(ctx, comp.alias);
    const endpoints = await orIfGone(() => rb.thirdPartyEndpoints(ctx, comp.alias), []);
    return stateOf(app, comp.alias, status, endpoints, port);
  }

  function stateOf(
    app: ConsoleApp,
    alias: string,
    status: string,
    endpoints: Awaited<ReturnType<RainbondConsole['thirdPartyEndpoints']>>,
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

  /** The component's state as the console reports it now. */
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

  /** Closes every outer port, then deletes the component (is_force). Absent = done. */
  async function remove(ctx: ConsoleCtx, alias: string): Promise<void> {
    const ports = await orIfGone(() => rb.listPorts(ctx, alias), []);
    for (const p of ports.filter((x) => x.isOuter))
      await orIfGone(() => rb.changePort(ctx, alias, p.port, 'close_outer'), undefined);
    await orIfGone(() => rb.deleteComponent(ctx, alias), undefined);
    k8sNames.delete(nameKey(ctx, alias));
  }

  return { byName, find, bringUp, liveState, remove };
}

export type ToolComponents = ReturnType<typeof createToolComponents>;

/** Composes the cluster view (memory) with the console's view of each tool into the Status / Tool shapes. */
import { AppError } from '../../errors';
import type { ClusterSnapshot, ClusterView, ToolTarget } from '../../clients/cluster/types';
import type { ConsoleCtx, RegistrationService, ToolConsoleState } from '../../clients/rainbond/types';
import type { Locale } from '../../http/env';
import { TOOL_IDS, type Status, type Tool, type ToolId } from '../../../contract';
import { buildHints } from './hints';
import type { PluginEntryService } from './plugin-entry.service';
import { buildToolLinks } from '../tools/links';
import { riskMessages } from '../tools/risks';

export const TOOL_TITLES: Record<ToolId, string> = {
  'hubble-ui': 'Hubble UI',
  grafana: 'Grafana',
  prometheus: 'Prometheus',
};

/** The caller's console context plus the team's namespace (for Hubble UI links) and language. */
export type StatusCtx = ConsoleCtx & { namespace: string; locale: Locale };

/** Pure: one tool as the API shows it. Links point at the gateway URL, so only open tools get them. */
export function toTool(
  target: ToolTarget,
  consoleState: ToolConsoleState,
  snapshot: ClusterSnapshot,
  opts: { teamNamespace: string; locale: Locale },
): Tool {
  const baseUrl = consoleState.access.external ? (consoleState.access.urls[0] ?? null) : null;
  return {
    id: target.id,
    title: TOOL_TITLES[target.id],
    state: target.state,
    service: target.service,
    registration: consoleState.registration,
    access: consoleState.access,
    links: buildToolLinks(target.id, snapshot.state, {
      teamNamespace: opts.teamNamespace,
      baseUrl,
      locale: opts.locale,
    }),
    risks: riskMessages(target.risks, opts.locale),
  };
}

export interface StatusService {
  status(ctx: StatusCtx): Promise<Status>;
  tool(ctx: StatusCtx, id: ToolId): Promise<Tool>;
  /** The synced snapshot, or 503 UNAVAILABLE. */
  snapshot(): ClusterSnapshot;
  toolFrom(ctx: StatusCtx, id: ToolId, consoleState: ToolConsoleState): Tool;
}

export function createStatusService(deps: {
  cluster: ClusterView;
  registrations: RegistrationService;
  /** The plugin-entry self-check; absent → no `plugin` field. */
  pluginEntry?: PluginEntryService;
}): StatusService {
  const snapshot = () => {
    const s = deps.cluster.snapshot();
    if (!s.synced)
      throw new AppError('UNAVAILABLE', 'the cluster view is not synced yet; retry in a few seconds');
    return s;
  };
  const toolFrom = (ctx: StatusCtx, id: ToolId, cs: ToolConsoleState) => {
    const snap = snapshot();
    return toTool(snap.state.tools[id], cs, snap, { teamNamespace: ctx.namespace, locale: ctx.locale });
  };
  return {
    snapshot,
    toolFrom,
    async status(ctx) {
      const snap = snapshot();
      const consoleStates = await deps.registrations.readAll(ctx);
      return {
        cluster: {
          cilium: snap.state.cilium,
          hubble: snap.state.hubble,
          monitoring: snap.state.monitoring,
          view: { stale: snap.stale, lastSyncAt: snap.lastSyncAt },
        },
        tools: TOOL_IDS.map((id) =>
          toTool(snap.state.tools[id], consoleStates[id], snap, {
            teamNamespace: ctx.namespace,
            locale: ctx.locale,
          }),
        ),
        hints: buildHints(snap.state, ctx.locale),
        ...(deps.pluginEntry ? { plugin: deps.pluginEntry.view(ctx.locale) } : {}),
      };
    },
    async tool(ctx, id) {
      snapshot();
      return toolFrom(ctx, id, await deps.registrations.read(ctx, id));
    },
  };
}

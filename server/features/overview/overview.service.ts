/** GET /api/v1/status: the cluster as the view sees it, the tools as the tools feature shows them, and the fixes. */
import type { ClusterView } from '../../clients/cluster/types';
import { syncedSnapshot } from '../../clients/cluster/synced';
import type { RequestCtx } from '../../request-context';
import type { GatewayStatus, Locale, Status, Tool } from '../../../contract';
import { buildHints } from './hints';
import type { PluginEntryService } from './plugin-entry.service';

export interface OverviewService {
  status(ctx: RequestCtx): Promise<Status>;
}

export function createOverviewService(deps: {
  cluster: ClusterView;
  /** The three tools for this caller (the tools feature's list, passed in by the wiring). */
  listTools: (ctx: RequestCtx) => Promise<Tool[]>;
  /** The plugin-entry self-check; absent → no `plugin` field. */
  pluginEntry?: PluginEntryService;
  /** The gateway listener and the plugin Service protected entries point to; absent → no `gateway` field. */
  gateway?: (locale: Locale) => GatewayStatus;
}): OverviewService {
  return {
    async status(ctx) {
      const snap = syncedSnapshot(deps.cluster);
      const tools = await deps.listTools(ctx);
      return {
        cluster: {
          cilium: snap.state.cilium,
          hubble: snap.state.hubble,
          monitoring: snap.state.monitoring,
          view: { stale: snap.stale, lastSyncAt: snap.lastSyncAt },
        },
        tools,
        hints: buildHints(snap.state, ctx.locale),
        ...(deps.pluginEntry ? { plugin: deps.pluginEntry.view(ctx.locale) } : {}),
        ...(deps.gateway ? { gateway: deps.gateway(ctx.locale) } : {}),
      };
    },
  };
}

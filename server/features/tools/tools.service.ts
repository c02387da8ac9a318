/**
 * The tools feature: each tool's state (cluster view + console), registration and access. Checks the
 * preconditions (Service present, registered, risks acknowledged) before the console is asked to change anything.
 */
import { AppError } from '../../errors';
import type { ClusterView } from '../../clients/cluster/types';
import { syncedSnapshot } from '../../clients/cluster/synced';
import type { RequestCtx } from '../../request-context';
import { TOOL_IDS, type Tool, type ToolId } from '../../../contract';
import type { RegistrationService, ToolConsoleState } from './types';
import { toTool } from './tools.mapping';

export interface ToolsService {
  /** All three tools, in the order hubble-ui, grafana, prometheus. */
  list(ctx: RequestCtx): Promise<Tool[]>;
  get(ctx: RequestCtx, id: ToolId): Promise<Tool>;
  register(ctx: RequestCtx, id: ToolId, input: { appName?: string }): Promise<Tool>;
  unregister(ctx: RequestCtx, id: ToolId): Promise<Tool>;
  setAccess(
    ctx: RequestCtx,
    id: ToolId,
    input: { external: boolean; acknowledgedRisks?: string[] },
  ): Promise<Tool>;
}

export function createToolsService(deps: {
  cluster: ClusterView;
  registrations: RegistrationService;
}): ToolsService {
  const { registrations } = deps;
  const view = (ctx: RequestCtx, id: ToolId, cs: ToolConsoleState): Tool => {
    const snap = syncedSnapshot(deps.cluster);
    return toTool(snap.state.tools[id], cs, snap, { teamNamespace: ctx.namespace, locale: ctx.locale });
  };

  return {
    async list(ctx) {
      syncedSnapshot(deps.cluster);
      const states = await registrations.readAll(ctx);
      return TOOL_IDS.map((id) => view(ctx, id, states[id]));
    },
    async get(ctx, id) {
      syncedSnapshot(deps.cluster);
      return view(ctx, id, await registrations.read(ctx, id));
    },
    async register(ctx, id, input) {
      const target = syncedSnapshot(deps.cluster).state.tools[id];
      if (target.state === 'missing' || !target.service) {
        throw new AppError(
          'TOOL_NOT_FOUND',
          `${id} has no Service in the cluster; install it first (see hints)`,
        );
      }
      return view(ctx, id, await registrations.register(ctx, target, { appName: input.appName }));
    },
    async unregister(ctx, id) {
      syncedSnapshot(deps.cluster);
      return view(ctx, id, await registrations.unregister(ctx, id));
    },
    async setAccess(ctx, id, input) {
      const target = syncedSnapshot(deps.cluster).state.tools[id];
      if (input.external) {
        const current = await registrations.read(ctx, id);
        if (!current.registration) {
          throw new AppError(
            'NOT_REGISTERED',
            `${id} is not registered in team ${ctx.team}; register it first`,
          );
        }
        const acked = new Set(input.acknowledgedRisks ?? []);
        const missing = target.risks.filter((r) => !acked.has(r));
        if (missing.length > 0) {
          throw new AppError(
            'RISKS_NOT_ACKNOWLEDGED',
            `opening ${id} needs acknowledgement of: ${missing.join(', ')}`,
            {
              missing,
            },
          );
        }
      }
      return view(ctx, id, await registrations.setAccess(ctx, id, input.external));
    },
  };
}

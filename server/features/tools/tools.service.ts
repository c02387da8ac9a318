/**
 * The tools feature: each tool's state (cluster view + console), registration and access. Checks the
 * preconditions (Service present, registered, risks acknowledged) before the console is asked to change anything.
 */
import { AppError } from '../../errors';
import type { ClusterView } from '../../clients/cluster/types';
import { syncedSnapshot } from '../../clients/cluster/synced';
import type { RequestCtx } from '../../request-context';
import {
  TOOL_IDS,
  type AccessInput,
  type LaunchInput,
  type LaunchResult,
  type RegistrationInput,
  type ServiceRef,
  type Tool,
  type ToolId,
} from '../../../contract';
import type { LaunchTickets, RegistrationService, ToolConsoleState } from './types';
import { toTool } from './tools.mapping';
import type { UserIdentity } from '../../clients/rainbond/types';

export interface ToolsService {
  /** All three tools, in the order hubble-ui, grafana, prometheus. */
  list(ctx: RequestCtx): Promise<Tool[]>;
  get(ctx: RequestCtx, id: ToolId): Promise<Tool>;
  register(ctx: RequestCtx, id: ToolId, input: RegistrationInput): Promise<Tool>;
  unregister(ctx: RequestCtx, id: ToolId): Promise<Tool>;
  /** Opening needs a registration (NOT_REGISTERED) and, for `open`, every risk acknowledged (RISKS_NOT_ACKNOWLEDGED). */
  setAccess(ctx: RequestCtx, id: ToolId, input: AccessInput): Promise<Tool>;
  /** A single-use launch URL on the tool's protected gateway host; 403 / 409 NOT_REGISTERED / 409 NOT_PROTECTED. */
  launch(ctx: RequestCtx, id: ToolId, input: LaunchInput): Promise<LaunchResult>;
}

/** Who may launch a protected tool whose components `toolsTeam` holds (TOOL_VIEWERS). */
export interface LaunchPolicy {
  readonly viewers: 'enterprise-admins' | 'team-members';
  mayView(user: UserIdentity, toolsTeam: string): boolean;
}

const ENTERPRISE_ADMINS_ONLY: LaunchPolicy = {
  viewers: 'enterprise-admins',
  mayView: (user) => user.isEnterpriseAdmin,
};

export function createToolsService(deps: {
  cluster: ClusterView;
  registrations: RegistrationService;
  /** The plugin's own Service the protected entries point to (SELF_SERVICE or discovered), null while unknown. */
  selfService?: () => ServiceRef | null;
  /** Issues launch tickets; absent → launch answers 503. */
  tickets?: LaunchTickets;
  /** Who may launch a protected tool (TOOL_VIEWERS; the permission policy fits), default enterprise admins. */
  viewers?: LaunchPolicy;
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
      const mode = input.mode ?? 'protected';
      if (input.external) {
        const current = await registrations.read(ctx, id);
        if (!current.registration) {
          throw new AppError(
            'NOT_REGISTERED',
            `${id} is not registered in team ${ctx.team}; register it first`,
          );
        }
        const acked = new Set(input.acknowledgedRisks ?? []);
        // protected needs no acknowledgement: nobody reaches the tool without a Rainbond login
        const missing = mode === 'open' ? target.risks.filter((r) => !acked.has(r)) : [];
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
      const self = deps.selfService ?? (() => null);
      return view(ctx, id, await registrations.setAccess(ctx, id, { external: input.external, mode }, self));
    },
    async launch(ctx, id, input) {
      syncedSnapshot(deps.cluster);
      const policy = deps.viewers ?? ENTERPRISE_ADMINS_ONLY;
      if (!policy.mayView(ctx.user, ctx.team)) {
        throw new AppError(
          'FORBIDDEN',
          policy.viewers === 'team-members'
            ? `only members of team ${ctx.team} and enterprise admins may open ${id}`
            : `only enterprise admins may open ${id}: it sees the whole cluster`,
          {
            required: policy.viewers === 'team-members' ? 'team-member' : 'enterprise-admin',
            setting: `TOOL_VIEWERS=${policy.viewers}`,
          },
        );
      }
      const current = await registrations.read(ctx, id);
      if (!current.registration) {
        throw new AppError(
          'NOT_REGISTERED',
          `${id} is not registered in team ${ctx.team}; register it first`,
        );
      }
      const origin = current.access.urls[0];
      if (!current.access.external || current.access.mode !== 'protected' || !origin) {
        throw new AppError(
          'NOT_PROTECTED',
          `${id} has no protected external access in team ${ctx.team}; switch its access to protected first`,
        );
      }
      if (!deps.tickets) throw new AppError('UNAVAILABLE', 'the gateway listener is not running');
      return deps.tickets.issue({
        user: ctx.user,
        jwt: ctx.jwt,
        team: ctx.team,
        region: ctx.region,
        tool: id,
        origin,
        path: input.path ?? '/',
      });
    },
  };
}

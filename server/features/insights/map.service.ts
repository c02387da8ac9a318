/**
 * The team's service map: the namespace's flows of the window from the shared map reader, component names from
 * the team's directory, the deciding policy of drop edges, aggregated and capped by map.mapping.ts.
 */
import type { Locale } from '../../../contract/common';
import { durationMs, type MapQuery, type ServiceMap } from '../../../contract/map';
import type { FlowView } from '../../../contract/insights';
import type { PolicySummary } from '../../cilium/policies';
import type { ConsoleCtx } from '../../clients/rainbond/types';
import { dropReasonText } from '../../cilium/drop-reasons';
import { explainFlow } from './drop-explain';
import { componentOf } from './flows.names';
import { buildServiceMap } from './map.mapping';
import type { MapFlowSource } from './map.source';
import type { TeamDirectoryService } from './team-directory';

export interface MapServiceDeps {
  source: MapFlowSource;
  directory: TeamDirectoryService;
  policies: () => readonly PolicySummary[];
  maxNodes?: number;
  maxEdges?: number;
  now?: () => number;
}

export interface MapService {
  map(ctx: ConsoleCtx & { namespace: string; locale: Locale }, q: MapQuery): Promise<ServiceMap>;
}

export function createMapService(deps: MapServiceDeps): MapService {
  const now = deps.now ?? Date.now;
  return {
    async map(ctx, q) {
      const [flows, directory] = await Promise.all([
        deps.source.read({
          namespace: ctx.namespace,
          windowMs: durationMs(q.since),
          ...(q.verdict ? { verdict: q.verdict } : {}),
          ...(q.hide?.length ? { hide: q.hide } : {}),
        }),
        deps.directory.get(ctx),
      ]);
      const policies = deps.policies();
      const explain = (v: FlowView) => {
        const named: FlowView = {
          ...v,
          source: { ...v.source, component: componentOf(v.source, ctx.namespace, directory) },
          destination: { ...v.destination, component: componentOf(v.destination, ctx.namespace, directory) },
        };
        return explainFlow(named, { namespace: ctx.namespace, locale: ctx.locale, policies });
      };
      const built = buildServiceMap(flows.views, {
        namespace: ctx.namespace,
        directory,
        explain,
        reasonText: (r) => dropReasonText(r, ctx.locale),
        ...(deps.maxNodes ? { maxNodes: deps.maxNodes } : {}),
        ...(deps.maxEdges ? { maxEdges: deps.maxEdges } : {}),
      });
      return {
        namespace: ctx.namespace,
        since: new Date(flows.sinceMs).toISOString(),
        window: q.since,
        generatedAt: new Date(now()).toISOString(),
        flowsSeen: flows.flowsSeen,
        truncated: flows.truncated || built.folded,
        namesResolved: directory !== null,
        nodes: built.nodes,
        edges: built.edges,
      };
    },
  };
}

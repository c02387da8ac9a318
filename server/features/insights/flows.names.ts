/**
 * Rainbond names and drop explanations on a team's flows: an endpoint of the team's namespace whose pod carries
 * `k8s:service_alias=<alias>` of one of the team's components gets that component; endpoints elsewhere never do
 * (another team's components are not in this team's directory, and aliases are only read in the team's namespace).
 */
import type { Locale } from '../../../contract/common';
import type { FlowComponent, FlowEndpoint, FlowView } from '../../../contract/insights';
import { componentAlias } from '../../../contract/endpoints';
import type { PolicySummary } from '../../cilium/policies';
import type { ConsoleCtx } from '../../clients/rainbond/types';
import { explainFlow } from './drop-explain';
import type { TeamDirectory, TeamDirectoryService } from './team-directory';

/** The component of an endpoint of `namespace`, or null. */
export function componentOf(
  ep: Pick<FlowEndpoint, 'namespace' | 'labels'>,
  namespace: string,
  directory: TeamDirectory | null,
): FlowComponent | null {
  if (!directory || ep.namespace !== namespace) return null;
  const alias = componentAlias(ep.labels);
  return (alias && directory.byAlias.get(alias)) || null;
}

export interface DecorateContext {
  namespace: string;
  locale: Locale;
  directory: TeamDirectory | null;
  policies: readonly PolicySummary[];
}

/** FlowView → the same with `component` on both sides, `policy` and `explanation` (pure). */
export function decorateFlow(view: FlowView, d: DecorateContext): FlowView {
  const source = { ...view.source, component: componentOf(view.source, d.namespace, d.directory) };
  const destination = {
    ...view.destination,
    component: componentOf(view.destination, d.namespace, d.directory),
  };
  const named = { ...view, source, destination };
  const { policy, explanation } = explainFlow(named, d);
  return { ...named, policy, explanation };
}

export interface FlowEnricher {
  /** Reads the team's directory (one console call, cached), then returns the synchronous decorator. */
  forContext(
    ctx: ConsoleCtx & { namespace: string; locale: Locale },
  ): Promise<{ decorate: (v: FlowView) => FlowView; decorateKey: string }>;
}

export function createFlowEnricher(deps: {
  directory: TeamDirectoryService;
  /** The cluster view's network policies (all namespaces and cluster-wide). */
  policies: () => readonly PolicySummary[];
}): FlowEnricher {
  return {
    async forContext(ctx) {
      const first = await deps.directory.get(ctx);
      const consoleCtx = { jwt: ctx.jwt, team: ctx.team, region: ctx.region };
      return {
        decorateKey: ctx.locale,
        decorate: (v) =>
          decorateFlow(v, {
            namespace: ctx.namespace,
            locale: ctx.locale,
            directory: deps.directory.peek(consoleCtx) ?? first,
            policies: deps.policies(),
          }),
      };
    },
  };
}

/** Pure: one tool as the API shows it, from the cluster's target and the console's state of it. */
import type { ClusterSnapshot, ToolTarget } from '../../clients/cluster/types';
import { TOOL_TITLES, type Locale, type Tool } from '../../../contract';
import { buildToolLinks } from './links';
import { riskMessages } from './risks';
import type { ToolConsoleState } from './types';

/** Links point at the gateway URL, so only tools with external access get them. */
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

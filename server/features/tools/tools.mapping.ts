/** Pure: one tool as the API shows it, from the cluster's target and the console's state of it. */
import type { ClusterSnapshot, ToolTarget } from '../../clients/cluster/types';
import { TOOL_TITLES, type Link, type Locale, type Tool } from '../../../contract';
import { buildToolLinks } from './links';
import { riskMessages } from './risks';
import type { ToolConsoleState } from './types';

/** Each link's path on the tool (its URL minus the gateway URL), which a protected tool's launch opens. */
function withPaths(links: Link[], baseUrl: string | null): Link[] {
  const base = (baseUrl ?? '').replace(/\/+$/, '');
  return links.map((l) => ({
    ...l,
    path: base && l.url.startsWith(base) ? l.url.slice(base.length) || '/' : '/',
  }));
}

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
    links: withPaths(
      buildToolLinks(target.id, snapshot.state, {
        teamNamespace: opts.teamNamespace,
        baseUrl,
        locale: opts.locale,
      }),
      baseUrl,
    ),
    risks: riskMessages(target.risks, opts.locale),
  };
}

/**
 * Recent and live flows of ONE team's namespace from Hubble Relay. The namespace always comes from the
 * server-side ctx; filters are sent to Relay and every flow is re-checked here (defence in depth).
 */
import { AppError } from '../../errors';
import { isUnavailableNodeState } from '../../../contract/names';
import type { Logger } from '../../log';
import type { RelayConnector } from '../../clients/hubble/relay-client';
import { relayErrorCode } from '../../clients/hubble/relay-client';
import type { GetFlowsResponse } from '../../clients/hubble/schemas';
import type { FlowStreamLost, FlowStreamNodes, FlowView, Flows } from '../../../contract/insights';
import { matchesRelayFilters } from './flows.filters';
import {
  isTeamFlow,
  lostOf,
  matchesQuery,
  nodeStatusOf,
  relayFiltersOf,
  toFlowView,
  timestampMs,
  type TeamFlowQuery,
} from './flows.mapping';

export const MAX_FLOWS = 1000;

/** One decoded Relay message; live-stream.ts sends each as the contract's SSE event of the same name. */
export type LiveEvent =
  | { type: 'flow'; flow: FlowView }
  /** Relay or agent dropped events (ring buffer overrun etc.), e.g. { count: 12, source: "HUBBLE_RING_BUFFER" }. */
  | ({ type: 'lost' } & FlowStreamLost)
  /** A node status change, e.g. { state: "NODE_UNAVAILABLE", nodes: ["kind-worker2"] }. */
  | ({ type: 'nodes' } & FlowStreamNodes);

export interface FlowsServiceDeps {
  relay: Pick<RelayConnector, 'current'>;
  log: Logger;
  /** Deadline of one bounded read (recent), ms. */
  timeoutMs?: number;
}

export interface FlowsService {
  recent(q: TeamFlowQuery & { limit: number }): Promise<Flows>;
  follow(q: TeamFlowQuery & { signal: AbortSignal }): AsyncIterable<LiveEvent>;
}

export function relayNotFound(): AppError {
  return new AppError(
    'UNAVAILABLE',
    'Hubble Relay not found in the cluster (enable it: hubble.relay.enabled=true)',
    {
      reason: 'RELAY_NOT_FOUND',
    },
  );
}

/** GetFlowsResponse → LiveEvent, or null for a flow outside the team's namespace / query. */
export function toLiveEvent(m: GetFlowsResponse, q: TeamFlowQuery): LiveEvent | null {
  if (m.flow) {
    const view = toFlowView(m.flow, { nodeName: m.node_name, time: m.time });
    if (!isTeamFlow(view, q.namespace) || !matchesQuery(view, q)) return null;
    // the tags and toggles again, on the decoded flow: a Relay that ignored a field must not change the answer
    // (without them the team scope, verdict and protocol checked above are the whole filter)
    if ((q.tags?.length || q.hide?.length) && !matchesRelayFilters(m.flow, relayFiltersOf(q))) return null;
    return { type: 'flow', flow: q.decorate ? q.decorate(view) : view };
  }
  if (m.lost_events) return { type: 'lost', ...lostOf(m.lost_events, m.node_name) };
  if (m.node_status) return { type: 'nodes', ...nodeStatusOf(m.node_status) };
  return null;
}

export function createFlowsService(deps: FlowsServiceDeps): FlowsService {
  const timeoutMs = deps.timeoutMs ?? 5000;
  const log = deps.log.child({ feature: 'insights.flows' });

  return {
    async recent(q) {
      const client = deps.relay.current();
      if (!client) throw relayNotFound();
      const limit = Math.min(Math.max(1, Math.floor(q.limit)), MAX_FLOWS);
      const abort = new AbortController();
      const kept: { ms: number; view: FlowView }[] = [];
      const unavailable = new Set<string>();
      let lostEvents = 0;
      let foreign = 0;
      // A misbehaving relay must not make us read forever.
      let budget = limit * 10 + 100;
      try {
        for await (const m of client.getFlows({ number: limit, ...relayFiltersOf(q) }, abort.signal, {
          deadlineMs: timeoutMs,
        })) {
          if (--budget < 0) {
            abort.abort();
            break;
          }
          const e = toLiveEvent(m, q);
          if (m.flow && !e) foreign++;
          if (!e) continue;
          if (e.type === 'flow') kept.push({ ms: timestampMs(m.flow?.time ?? m.time), view: e.flow });
          else if (e.type === 'lost') lostEvents += e.count;
          else if (isUnavailableNodeState(e.state)) e.nodes.forEach((n) => unavailable.add(n));
          else if (e.state === 'NODE_CONNECTED') e.nodes.forEach((n) => unavailable.delete(n));
        }
      } catch (e) {
        // A deadline after some flows arrived is a partial answer, not a failure.
        if (relayErrorCode(e) !== 'DEADLINE_EXCEEDED' || kept.length === 0) throw e;
        log.warn('relay GetFlows hit the deadline; returning a partial answer', {
          flows: kept.length,
          timeoutMs,
        });
      }
      if (foreign > 0)
        log.warn('relay returned flows outside the requested namespace; dropped', {
          namespace: q.namespace,
          count: foreign,
        });
      kept.sort((a, b) => b.ms - a.ms);
      return {
        namespace: q.namespace,
        flows: kept.slice(0, limit).map((k) => k.view),
        lostEvents,
        unavailableNodes: [...unavailable].sort(),
      };
    },

    follow(q) {
      const client = deps.relay.current();
      if (!client) throw relayNotFound();
      const stream = client.getFlows({ follow: true, ...relayFiltersOf(q) }, q.signal);
      return {
        async *[Symbol.asyncIterator]() {
          for await (const m of stream) {
            const e = toLiveEvent(m, q);
            if (e) yield e;
          }
        },
      };
    },
  };
}

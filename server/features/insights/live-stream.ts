/**
 * One browser's live flow stream, minus the HTTP: takes a slot in the session registry, follows Relay through
 * the flows service (shared per team and filter by live-hub.ts) and says how each LiveEvent, the drops, the end
 * and a failure are told to the client in the contract's event names. flows.routes.ts hands it to the SSE writer.
 */
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import type { FlowStreamEventName, FlowStreamPayload } from '../../../contract/insights';
import type { TeamFlowQuery } from './flows.mapping';
import type { FlowsService, LiveEvent } from './flows.service';
import type { LiveSessionStats, LiveStreamRegistry } from './live-sessions';

/** One event of the live flow stream as the contract names it, e.g. { event: "dropped", data: { count: 3 } }. */
export type FlowStreamMessage = {
  [E in FlowStreamEventName]: { event: E; data: FlowStreamPayload<E> };
}[FlowStreamEventName];

/** LiveEvent → its contract event. One function for every stream, so the SSE writer serialises a shared event once. */
export function toStreamMessage(e: LiveEvent): FlowStreamMessage {
  switch (e.type) {
    case 'flow':
      return { event: 'flow', data: e.flow };
    case 'lost':
      return { event: 'lost', data: { count: e.count, source: e.source, node: e.node } };
    case 'nodes':
      return { event: 'nodes', data: { state: e.state, nodes: e.nodes, message: e.message } };
  }
}

/** What the SSE writer needs for one live stream (server/http/sse.ts, SseStreamOptions). */
export interface LiveStream {
  source: AsyncIterable<LiveEvent>;
  event: (e: LiveEvent) => FlowStreamMessage;
  bufferSize: number;
  keepaliveMs: number;
  droppedEvent: (count: number) => FlowStreamMessage;
  endEvent: () => FlowStreamMessage;
  errorEvent: (error: unknown) => FlowStreamMessage;
  counters: LiveSessionStats;
  onWrite: (event: string) => void;
  onClose: () => void;
}

export interface LiveStreamsDeps {
  flows: Pick<FlowsService, 'follow'>;
  registry: LiveStreamRegistry;
  log: Logger;
}

export interface OpenLiveStream {
  /** Rainbond user id, for the per-user cap, e.g. "42". */
  user: string;
  /** The team's namespace (from ctx) and the filters. */
  query: TeamFlowQuery;
}

export function createLiveStreams(deps: LiveStreamsDeps) {
  const { registry, log } = deps;
  return {
    /** Throws UNAVAILABLE (TOO_MANY_STREAMS) at a cap, or the flows service's error when Relay is missing. */
    open({ user, query }: OpenLiveStream): LiveStream {
      const session = registry.acquire(user, query.namespace);
      if (!session)
        throw new AppError(
          'UNAVAILABLE',
          'too many live flow streams; close another tab or try again later',
          {
            reason: 'TOO_MANY_STREAMS',
            maxPerUser: registry.options.maxPerUser,
            maxTotal: registry.options.maxTotal,
          },
        );
      const upstream = new AbortController();
      let source: AsyncIterable<LiveEvent>;
      try {
        source = deps.flows.follow({ ...query, signal: upstream.signal });
      } catch (e) {
        registry.release(session);
        throw e;
      }
      log.info('live flow stream opened', { stream: session.id, namespace: query.namespace, user });
      return {
        source,
        event: toStreamMessage,
        bufferSize: registry.options.bufferSize,
        keepaliveMs: registry.options.keepaliveMs,
        droppedEvent: (count) => ({ event: 'dropped', data: { count } }),
        endEvent: () => ({ event: 'end', data: { reason: 'relay closed the stream' } }),
        errorEvent: (e) => {
          const code = e instanceof AppError ? e.code : 'INTERNAL';
          const message = e instanceof Error ? e.message : String(e);
          log.warn('live flow stream failed', { code, message });
          return { event: 'error', data: { code, message } };
        },
        counters: session,
        onWrite: (event) => {
          if (event === 'flow') session.delivered++;
        },
        onClose: () => {
          // Client gone or stream over: stop the gRPC stream and free the slot.
          upstream.abort();
          registry.release(session);
          log.info('live flow stream closed', {
            stream: session.id,
            delivered: session.delivered,
            dropped: session.dropped,
            seconds: Math.round((Date.now() - session.startedAt) / 1000),
          });
        },
      };
    },
  };
}

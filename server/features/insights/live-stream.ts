/**
 * One browser's live flow stream, minus the HTTP: takes a slot in the session registry, follows Relay through
 * the flows service (shared per team and filter by live-hub.ts) and says how each LiveEvent, the drops, the end
 * and a failure are told to the client in the contract's event names. flows.routes.ts hands it to the SSE writer.
 */
import { AppError, tooMany } from '../../errors';
import type { MembershipVerdict } from '../../http/auth';
import type { Logger } from '../../log';
import type { FlowStreamEndReason, FlowStreamEventName, FlowStreamPayload } from '../../../contract/insights';
import type { TeamFlowQuery } from './flows.mapping';
import type { FlowsService, LiveEvent } from './flows.service';
import type { LiveSessionStats, LiveStreamLimit, LiveStreamRegistry } from './live-sessions';

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
  /** Rainbond team name, for the per-team cap, e.g. "dev-team". */
  team: string;
  /** The team's namespace (from ctx) and the filters. */
  query: TeamFlowQuery;
  /** Asked every `recheckMs`: is the user still a member of the team? `removed` / `rejected` end the stream. */
  membership: () => Promise<MembershipVerdict>;
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** The 429 of a refused stream, naming the cap, e.g. "you already have 3 live flow streams open …". */
function refusal(limit: LiveStreamLimit, max: number, team: string, retryAfterMs: number): AppError {
  const wait = seconds(retryAfterMs);
  const message = {
    user: `you already have ${max} live flow streams open; close one (another tab) or retry in ${wait} s`,
    team: `team ${team} already has ${max} live flow streams open; close one or retry in ${wait} s`,
    process: `this backend already serves its maximum of ${max} live flow streams; retry in ${wait} s`,
  }[limit];
  return tooMany('TOO_MANY_STREAMS', message, wait, { limit, max });
}

export function createLiveStreams(deps: LiveStreamsDeps) {
  const { registry, log } = deps;
  return {
    /** Throws TOO_MANY_STREAMS (429) at a cap, or the flows service's error when Relay is missing. */
    open({ user, team, query, membership }: OpenLiveStream): LiveStream {
      const slot = registry.acquire({ user, team, namespace: query.namespace });
      if (!slot.ok) {
        log.info('live flow stream refused', { user, team, limit: slot.limit, max: slot.max });
        throw refusal(slot.limit, slot.max, team, slot.retryAfterMs);
      }
      const session = slot.session;
      const upstream = new AbortController();
      let source: AsyncIterable<LiveEvent>;
      try {
        source = deps.flows.follow({ ...query, signal: upstream.signal });
      } catch (e) {
        registry.release(session);
        throw e;
      }
      log.info('live flow stream opened', { stream: session.id, namespace: query.namespace, team, user });

      // The backend ends a stream by stopping its source; the writer then sends `end` with this reason.
      let stoppedFor: FlowStreamEndReason | null = null;
      const stop = (reason: FlowStreamEndReason) => {
        if (stoppedFor) return;
        stoppedFor = reason;
        clearTimers();
        log.info('live flow stream ended by the backend', { stream: session.id, team, user, reason });
        upstream.abort();
      };
      const lifetime = setTimeout(() => stop('max-duration'), registry.options.maxAgeMs);
      let checking = false;
      const recheck = setInterval(() => {
        if (checking) return;
        checking = true;
        membership()
          .catch((): MembershipVerdict => 'unknown')
          .then((v) => {
            if (v === 'removed') stop('membership');
            else if (v === 'rejected') stop('session');
            else if (v === 'unknown')
              log.warn('live flow stream: membership could not be checked; asking again later', {
                stream: session.id,
                team,
                user,
              });
          })
          .finally(() => (checking = false));
      }, registry.options.recheckMs);
      lifetime.unref?.();
      recheck.unref?.();
      function clearTimers() {
        clearTimeout(lifetime);
        clearInterval(recheck);
      }
      const endMessage = (): FlowStreamMessage => ({
        event: 'end',
        data: { reason: stoppedFor ?? 'relay-closed' },
      });

      return {
        source,
        event: toStreamMessage,
        bufferSize: registry.options.bufferSize,
        keepaliveMs: registry.options.keepaliveMs,
        droppedEvent: (count) => ({ event: 'dropped', data: { count } }),
        endEvent: endMessage,
        errorEvent: (e) => {
          // Stopping the source may make it throw (a cancelled gRPC stream): that is still our `end`.
          if (stoppedFor) return endMessage();
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
          // Client gone or stream over: stop the gRPC stream and the timers, free the slot.
          clearTimers();
          upstream.abort();
          registry.release(session);
          log.info('live flow stream closed', {
            stream: session.id,
            delivered: session.delivered,
            dropped: session.dropped,
            seconds: Math.round((registry.now() - session.startedAt) / 1000),
            ...(stoppedFor ? { reason: stoppedFor } : {}),
          });
        },
      };
    },
  };
}

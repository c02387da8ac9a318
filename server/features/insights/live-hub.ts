/**
 * One Relay stream per (namespace, verdict, protocol), however many browsers follow it: the flows are
 * decoded, checked and mapped once and the same LiveEvent objects go to every subscriber. The upstream stream
 * opens with the first subscriber and is cancelled when the last one leaves.
 */
import type { FlowsService, LiveEvent } from './flows.service';
import { formatTags } from '../../../contract/flow-tags';
import type { TeamFlowQuery } from './flows.mapping';
import { createPushQueue, type PushQueue } from '../../push-queue';

/** Events a subscriber may hold before its oldest are discarded; its reader drains it at once, so this is a fuse. */
const SUBSCRIBER_QUEUE_CAP = 10_000;

type Subscriber = Pick<PushQueue<LiveEvent>, 'push' | 'end'>;

interface Upstream {
  abort: AbortController;
  subscribers: Set<Subscriber>;
  /** Node status events seen so far (latest per state), replayed to late joiners so they know who is unavailable. */
  nodes: Map<string, LiveEvent>;
}

export interface LiveHubStats {
  /** Relay streams open now. */
  upstreams: number;
  /** Subscribers across them. */
  subscribers: number;
}

/** Streams are shared by namespace and every filter; decorateKey (e.g. the locale) keeps decorated events apart. */
const keyOf = (q: TeamFlowQuery) =>
  [
    q.namespace,
    q.verdict ?? '',
    q.protocol ?? '',
    formatTags(q.tags ?? []),
    (q.hide ?? []).join(','),
    q.workloadFilters === false ? 'pods' : '',
    q.decorateKey ?? '',
  ].join('\u0000');

/** Wraps a FlowsService so follow() shares upstream streams; recent() is unchanged. */
export function shareLiveStreams(inner: FlowsService): FlowsService & { hubStats(): LiveHubStats } {
  const upstreams = new Map<string, Upstream>();

  const open = (key: string, q: TeamFlowQuery & { signal?: AbortSignal }): Upstream => {
    const abort = new AbortController();
    // Throws synchronously when there is no Relay, so the route can still answer with a JSON error.
    const { signal: _own, ...query } = q;
    const events = inner.follow({ ...query, signal: abort.signal });
    const up: Upstream = { abort, subscribers: new Set(), nodes: new Map() };
    upstreams.set(key, up);
    void (async () => {
      let failure: unknown;
      try {
        for await (const e of events) {
          if (e.type === 'nodes') up.nodes.set(e.state, e);
          for (const s of up.subscribers) s.push(e);
        }
      } catch (e) {
        failure = e;
      } finally {
        if (upstreams.get(key) === up) upstreams.delete(key);
        for (const s of up.subscribers) s.end(abort.signal.aborted ? undefined : failure);
        up.subscribers.clear();
      }
    })();
    return up;
  };

  return {
    recent: (q) => inner.recent(q),
    hubStats: () => ({
      upstreams: upstreams.size,
      subscribers: [...upstreams.values()].reduce((n, u) => n + u.subscribers.size, 0),
    }),
    follow(q) {
      const key = keyOf(q);
      const up = upstreams.get(key) ?? open(key, q);
      const sub = createPushQueue<LiveEvent>({
        cap: SUBSCRIBER_QUEUE_CAP,
        onRelease: () => {
          q.signal.removeEventListener('abort', leave);
          leave();
        },
      });
      for (const e of up.nodes.values()) sub.push(e);
      up.subscribers.add(sub);
      const leave = () => {
        if (!up.subscribers.delete(sub)) return;
        sub.end();
        if (up.subscribers.size === 0) {
          if (upstreams.get(key) === up) upstreams.delete(key);
          up.abort.abort();
        }
      };
      if (q.signal.aborted) leave();
      else q.signal.addEventListener('abort', leave, { once: true });
      return sub.iterable;
    },
  };
}

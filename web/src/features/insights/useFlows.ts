/**
 * Flows for the table: one GET per filter change; "live" opens an EventSource on the same path with follow=true
 * and handles each of its events (flow, lost, dropped, nodes, error, end), falling back to polling every 3 s
 * when the connection fails or the console is < 6.8. A stream the backend ends at its lifetime (`end`, reason
 * "max-duration") is opened again at once, keeping the rows.
 */
import { getCurrentScope, onScopeDispose, shallowRef, watch } from 'vue';
import type {
  FlowStreamEnd,
  FlowStreamError,
  FlowStreamEventName,
  FlowStreamNodes,
  FlowStreamPayload,
  FlowView,
  Flows,
} from '../../../../contract/insights';
import type { Scope } from '../../lib/services';
import { useI18n } from '../../lib/i18n';
import { usePolling } from '../../lib/usePolling';
import { useResource } from '../../lib/useResource';
import { isUnavailableNodeState } from '../../../../contract/names';
import { mergeFlows } from './flow-format';
import { useInsightsApi, type FlowFilter } from './insights.api';

export const FLOW_POLL_MS = 3000;
/** `ended`: the server sent `end`; `failed`: it sent `error`. Both stop live updates until `reconnect()`. */
export type LiveMode = 'off' | 'sse' | 'polling' | 'ended' | 'failed';

/** What the live stream reported besides flows; starts empty with each stream. */
export interface StreamState {
  /** Events Hubble lost (sum of `lost` counts), e.g. 12. */
  lost: number;
  /** Source of the latest `lost`, e.g. "HUBBLE_RING_BUFFER". */
  lostSource: string | null;
  /** Flows the backend skipped because the browser read too slowly (sum of `dropped` counts). */
  dropped: number;
  /** Nodes reported unavailable by `nodes` and not connected again since, e.g. ["kind-worker2"]. */
  unavailableNodes: string[];
  /** The `end` event, once the stream ended. */
  end: FlowStreamEnd | null;
  /** The `error` event, once the stream failed. */
  error: FlowStreamError | null;
}

export const EMPTY_STREAM: StreamState = {
  lost: 0,
  lostSource: null,
  dropped: 0,
  unavailableNodes: [],
  end: null,
  error: null,
};

/** Unavailable nodes after a `nodes` event, e.g. ["a"] + { state: "NODE_CONNECTED", nodes: ["a"] } → []. */
export function nextUnavailableNodes(current: string[], e: FlowStreamNodes): string[] {
  const rest = current.filter((n) => !e.nodes.includes(n));
  return isUnavailableNodeState(e.state) ? [...rest, ...e.nodes] : rest;
}

export interface FlowsOptions {
  scope: () => Scope;
  filter: () => FlowFilter;
  live: () => boolean;
  /** Console ≥ 6.8 (its plugin proxy streams). */
  supportsSse: () => boolean;
  /** Injected in tests; defaults to the browser's. */
  EventSourceImpl?: typeof EventSource;
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

export function useFlows(options: FlowsOptions) {
  const api = useInsightsApi();
  const { locale } = useI18n();
  const cap = () => options.filter().limit ?? 100;
  const flows = shallowRef<FlowView[]>([]);
  const mode = shallowRef<LiveMode>('off');
  const stream = shallowRef<StreamState>(EMPTY_STREAM);
  const res = useResource<Flows>(
    async () => {
      const answer = await api.flows(options.scope(), options.filter());
      flows.value = mergeFlows(mode.value === 'off' ? [] : flows.value, answer.flows, cap());
      return answer;
    },
    { immediate: false, keepDataOnError: false },
  );
  let source: EventSource | null = null;

  const close = () => {
    source?.close();
    source = null;
  };
  const patch = (next: Partial<StreamState>) => (stream.value = { ...stream.value, ...next });
  /** The server ends the response after `error` and `end`; closing first keeps EventSource from reconnecting. */
  const stop = (next: 'ended' | 'failed', state: Partial<StreamState>) => {
    close();
    patch(state);
    mode.value = next;
  };

  const handlers: { [E in FlowStreamEventName]: (data: FlowStreamPayload<E>) => void } = {
    flow: (f) => (flows.value = mergeFlows(flows.value, [f], cap())),
    lost: (e) => patch({ lost: stream.value.lost + count(e.count), lostSource: e.source || null }),
    dropped: (e) => patch({ dropped: stream.value.dropped + count(e.count) }),
    nodes: (e) => patch({ unavailableNodes: nextUnavailableNodes(stream.value.unavailableNodes, e) }),
    error: (e) => stop('failed', { error: e }),
    end: (e) => {
      if (e.reason === 'max-duration' && options.live()) startLive(stream.value);
      else stop('ended', { end: e });
    },
  };

  /** `carried`: what the previous stream reported, kept when it is only renewed (max-duration). */
  function startLive(carried: StreamState = EMPTY_STREAM) {
    close();
    stream.value = carried;
    const ES = options.EventSourceImpl ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
    if (!options.supportsSse() || !ES) {
      mode.value = 'polling';
      return;
    }
    mode.value = 'sse';
    const es = new ES(api.flowStreamUrl(options.scope(), options.filter(), locale.value));
    source = es;
    for (const name of Object.keys(handlers) as FlowStreamEventName[]) {
      es.addEventListener(name, (ev) => {
        if (source !== es) return;
        const data = (ev as Partial<MessageEvent>).data;
        // EventSource's own "error" (connection failed or closed) carries no data, unlike the server's `error`
        if (typeof data !== 'string') {
          if (name === 'error') {
            close();
            mode.value = 'polling';
          }
          return;
        }
        let payload: unknown;
        try {
          payload = JSON.parse(data);
        } catch {
          return; // a malformed event is skipped; the next one may be fine
        }
        if (payload !== null && typeof payload === 'object')
          (handlers[name] as (d: unknown) => void)(payload);
      });
    }
  }

  watch(
    () => JSON.stringify([options.scope(), options.filter()]),
    () => {
      flows.value = [];
      void res.refresh();
      if (options.live()) startLive();
    },
    { immediate: true },
  );
  watch(options.live, (on) => {
    if (on) startLive();
    else {
      close();
      mode.value = 'off';
      stream.value = EMPTY_STREAM;
    }
  });
  usePolling({ intervalMs: FLOW_POLL_MS, active: () => mode.value === 'polling', tick: res.refresh });
  if (getCurrentScope()) onScopeDispose(close);

  /** Open the live stream again after it ended or failed (the table keeps its rows). */
  const reconnect = () => {
    if (options.live()) startLive();
  };

  return { ...res, flows, mode, stream, reconnect };
}

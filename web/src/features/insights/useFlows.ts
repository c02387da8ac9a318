/**
 * Flows for the table: one GET per filter change; "live" opens an EventSource on the same path with follow=true
 * (`event: flow`, `data: <FlowView JSON>`), falling back to polling every 3 s when SSE errors or the console is < 6.8.
 */
import { getCurrentScope, onScopeDispose, shallowRef, watch } from 'vue';
import type { FlowView, Flows } from '../../../../contract/insights';
import type { Scope } from '../../lib/services';
import { usePolling } from '../../lib/usePolling';
import { useResource } from '../../lib/useResource';
import { mergeFlows } from './flow-format';
import { useInsightsApi, type FlowFilter } from './insights.api';

export const FLOW_POLL_MS = 3000;
export type LiveMode = 'off' | 'sse' | 'polling';

export interface FlowsOptions {
  scope: () => Scope;
  filter: () => FlowFilter;
  live: () => boolean;
  /** Console ≥ 6.8 (its plugin proxy streams). */
  supportsSse: () => boolean;
  /** Injected in tests; defaults to the browser's. */
  EventSourceImpl?: typeof EventSource;
}

export function useFlows(options: FlowsOptions) {
  const api = useInsightsApi();
  const cap = () => options.filter().limit ?? 100;
  const flows = shallowRef<FlowView[]>([]);
  const mode = shallowRef<LiveMode>('off');
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

  function startLive() {
    close();
    const ES = options.EventSourceImpl ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
    if (!options.supportsSse() || !ES) {
      mode.value = 'polling';
      return;
    }
    mode.value = 'sse';
    const es = new ES(api.flowStreamUrl(options.scope(), options.filter()));
    source = es;
    es.addEventListener('flow', (ev) => {
      try {
        const flow = JSON.parse((ev as MessageEvent<string>).data) as FlowView;
        flows.value = mergeFlows(flows.value, [flow], cap());
      } catch {
        // a malformed event is skipped; the next one may be fine
      }
    });
    es.onerror = () => {
      if (source !== es) return;
      close();
      mode.value = 'polling';
    };
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
    }
  });
  usePolling({ intervalMs: FLOW_POLL_MS, active: () => mode.value === 'polling', tick: res.refresh });
  if (getCurrentScope()) onScopeDispose(close);

  return { ...res, flows, mode };
}

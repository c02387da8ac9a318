/** GET /status for the current scope; polls every 2 s while an operation settles (see `settle`). */
import { shallowRef, watch } from 'vue';
import type { Status } from '../../../../contract';
import type { Scope } from '../../lib/services';
import { usePolling } from '../../lib/usePolling';
import { useResource } from '../../lib/useResource';
import { useOverviewApi } from './overview.api';

export const SETTLE_INTERVAL_MS = 2000;
/** How many polls after an operation, e.g. 10 × 2 s: a component usually reaches "running" within 20 s. */
export const SETTLE_TICKS = 10;

export function useStatus(scope: () => Scope | null) {
  const api = useOverviewApi();
  const res = useResource<Status>(
    () => {
      const s = scope();
      return s ? api.status(s) : Promise.reject(new Error('no scope'));
    },
    { immediate: false },
  );
  const ticksLeft = shallowRef(0);

  watch(
    () => {
      const s = scope();
      return s ? `${s.team}\n${s.region}` : '';
    },
    (key) => {
      res.data.value = null;
      res.error.value = null;
      ticksLeft.value = 0;
      if (key) void res.refresh();
    },
    { immediate: true },
  );

  usePolling({
    intervalMs: SETTLE_INTERVAL_MS,
    active: () => ticksLeft.value > 0,
    tick: async () => {
      ticksLeft.value = Math.max(0, ticksLeft.value - 1);
      await res.refresh();
    },
  });

  /** Start (or restart) settle polling after an operation. */
  const settle = (ticks = SETTLE_TICKS) => {
    ticksLeft.value = ticks;
  };
  return { ...res, settle, settling: () => ticksLeft.value > 0 };
}

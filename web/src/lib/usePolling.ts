/** Calls `tick` every `intervalMs` while `active()` is true and the document is visible; stops on scope dispose. */
import { getCurrentScope, onScopeDispose, watch } from 'vue';

export interface PollingOptions {
  intervalMs: number;
  /** Reactive gate, e.g. "an operation is settling". */
  active: () => boolean;
  tick: () => Promise<unknown> | void;
}

export function usePolling({ intervalMs, active, tick }: PollingOptions): { stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

  const clear = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const schedule = () => {
    clear();
    if (stopped || !active() || !visible()) return;
    timer = setTimeout(async () => {
      timer = null;
      try {
        await tick();
      } finally {
        schedule();
      }
    }, intervalMs);
  };

  const onVisibility = () => schedule();
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
  const stopWatch = watch(active, schedule, { immediate: true });

  const stop = () => {
    stopped = true;
    clear();
    stopWatch();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
  };
  if (getCurrentScope()) onScopeDispose(stop);
  return { stop };
}

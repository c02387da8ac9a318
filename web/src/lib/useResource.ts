/** One async read as `{ data, error, isLoading, refresh }`; late answers after dispose or a newer refresh are dropped. */
import { getCurrentScope, onScopeDispose, shallowRef, type ShallowRef } from 'vue';

export interface Resource<T> {
  data: ShallowRef<T | null>;
  error: ShallowRef<unknown>;
  isLoading: ShallowRef<boolean>;
  /** Resolves when this load finished (never rejects: the error lands in `error`). */
  refresh: () => Promise<void>;
}

export interface ResourceOptions {
  /** Load at once (default true). */
  immediate?: boolean;
  /** Keep the last data when a refresh fails (default true): a blip does not blank the page. */
  keepDataOnError?: boolean;
}

export function useResource<T>(load: () => Promise<T>, options: ResourceOptions = {}): Resource<T> {
  const data = shallowRef<T | null>(null);
  const error = shallowRef<unknown>(null);
  const isLoading = shallowRef(false);
  let seq = 0;
  let disposed = false;

  async function refresh(): Promise<void> {
    const mine = ++seq;
    isLoading.value = true;
    try {
      const value = await load();
      if (disposed || mine !== seq) return;
      data.value = value;
      error.value = null;
    } catch (e) {
      if (disposed || mine !== seq) return;
      error.value = e;
      if (options.keepDataOnError === false) data.value = null;
    } finally {
      if (!disposed && mine === seq) isLoading.value = false;
    }
  }

  if (getCurrentScope()) onScopeDispose(() => (disposed = true));
  if (options.immediate !== false) void refresh();
  return { data, error, isLoading, refresh };
}

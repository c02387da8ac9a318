/**
 * The service map: loaded when it becomes visible, refreshed every `intervalMs` while it is visible (on screen and
 * the tab not hidden), stopped otherwise; each answer is laid out from the previous layout so nodes stay put.
 */
import { shallowRef, watch } from 'vue';
import type { ServiceMap } from '../../../../contract/map';
import type { Scope } from '../../lib/services';
import { usePolling } from '../../lib/usePolling';
import { useResource } from '../../lib/useResource';
import { useInsightsApi, type MapFilter } from './insights.api';
import { layoutMap, type MapLayout } from './map-layout';

export const MAP_REFRESH_MS = 10_000;

export interface MapOptions {
  scope: () => Scope;
  filter: () => MapFilter;
  /** The map is on screen (IntersectionObserver in the view). */
  visible: () => boolean;
  intervalMs?: number;
}

export function useMap(options: MapOptions) {
  const api = useInsightsApi();
  const layout = shallowRef<MapLayout | null>(null);
  const res = useResource<ServiceMap>(
    async () => {
      const m = await api.map(options.scope(), options.filter());
      layout.value = layoutMap(m, layout.value);
      return m;
    },
    { immediate: false },
  );
  let loadedFor = '';
  let loadedScope = '';
  watch(
    () => [JSON.stringify([options.scope(), options.filter()]), options.visible()] as const,
    ([key, visible]) => {
      if (!visible || key === loadedFor) return;
      const scope = JSON.stringify(options.scope());
      // another team: its map starts from a fresh layout
      if (scope !== loadedScope) layout.value = null;
      loadedFor = key;
      loadedScope = scope;
      void res.refresh();
    },
    { immediate: true },
  );
  usePolling({
    intervalMs: options.intervalMs ?? MAP_REFRESH_MS,
    active: () => options.visible() && loadedFor !== '',
    tick: res.refresh,
  });
  /** Forget positions and lay the map out again. */
  const relayout = () => {
    const m = res.data.value;
    layout.value = m ? layoutMap(m, null) : null;
  };
  return { ...res, layout, relayout };
}

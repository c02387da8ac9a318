/** What every feature gets from App.vue: the HTTP client and the panel's context (entry.ts builds it). */
import { inject, provide, type InjectionKey } from 'vue';
import type { ContextQuery } from '../../../contract';
import type { HttpClient } from './http';
import type { Locale } from './i18n';

/** Team and region every /api/v1 call carries, e.g. `{ team: "dev-team", region: "rainbond" }`. */
export type Scope = ContextQuery;

export type PanelView = 'Team' | 'Platform';

export interface PanelContext {
  view: PanelView;
  /** RBDPlugin name, e.g. "cilium-observability". */
  pluginId: string;
  token: string | null;
  /** Team name from the console, e.g. "dev-team"; null in the Platform view of older consoles. */
  team: string | null;
  /** Region name, e.g. "rainbond". */
  region: string | null;
  locale: Locale;
  /** Host theme colour, e.g. "#4d73b1". */
  colorPrimary: string | null;
  /** Console ≥ 6.8 streams the plugin proxy (SSE passes); older ones buffer it with a 20 s timeout. */
  supportsSse: boolean;
  /** How the console routes, for links into it: hash (`#/team/…`, the default build) or history (`ROUTE_MODE=history`). */
  routing?: ConsoleRouting;
}

export type ConsoleRouting = 'hash' | 'history';

export interface PanelServices {
  /** Follows the current base and token: App.vue swaps the client behind it when they change. */
  http: HttpClient;
  context: () => PanelContext;
}

const SERVICES_KEY: InjectionKey<PanelServices> = Symbol('cobs-services');

export const provideServices = (s: PanelServices) => provide(SERVICES_KEY, s);

export function useServices(): PanelServices {
  const s = inject(SERVICES_KEY, null);
  if (!s) throw new Error('useServices() outside the panel app');
  return s;
}

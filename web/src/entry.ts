/**
 * The ONLY file that knows the Rainbond host: the AMD module's named export `plugin`, React 16 class components
 * (host React, `import React from 'react'`) that mount the Vue panel, and the host props → PanelContext mapping
 * with per-version fallbacks (older consoles pass no team or region: they come from the hash route).
 * No error leaves this file towards the host.
 */
import React from 'react';
import type { PanelContext, PanelView } from './lib/services';
import { toLocale } from './lib/i18n';
import { mountPanel, type PanelHandle } from './mount';

export const DEFAULT_PLUGIN_ID = 'cilium-observability';

/** The subset of RBDPluginsCom's props we read; every field may be missing on some console version. */
export interface HostProps {
  baseInfo?: {
    token?: string;
    team_name?: string;
    region_name?: string;
    currentLocale?: string;
    colorPrimary?: string;
    currentTeam?: { team_name?: string } | null;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** The plugin list item the host passes to init(), e.g. `{ name: "cilium-observability", … }`. */
export interface PluginMeta {
  name?: string;
  [key: string]: unknown;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Team/region from the console's hash route: `#/team/{team}/region/{region}/…` or `…?regionName=R`. */
export function contextFromLocation(loc: Pick<Location, 'hash' | 'search'>): {
  team?: string;
  region?: string;
} {
  const out: { team?: string; region?: string } = {};
  const m = /\/team\/([^/?#]+)\/region\/([^/?#]+)/.exec(loc.hash);
  if (m) {
    out.team = decode(m[1]!);
    out.region = decode(m[2]!);
  }
  const q = /[?&]regionName=([^&#]+)/.exec(loc.hash) ?? /[?&]regionName=([^&#]+)/.exec(loc.search);
  if (!out.region && q) out.region = decode(q[1]!);
  return out;
}

function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  const m = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(document.cookie);
  return m ? decode(m[1]!) : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

export function resolveContext(
  view: PanelView,
  props: HostProps,
  meta: PluginMeta | null,
  loc: Pick<Location, 'hash' | 'search'> & Partial<Pick<Location, 'pathname'>> = window.location,
): PanelContext {
  const info = props.baseInfo ?? {};
  const fromUrl = contextFromLocation(loc);
  return {
    view,
    pluginId: str(meta?.name) ?? DEFAULT_PLUGIN_ID,
    token: str(info.token) ?? readCookie('token'),
    team: str(info.team_name) ?? str(info.currentTeam?.team_name) ?? fromUrl.team ?? null,
    region: str(info.region_name) ?? fromUrl.region ?? null,
    locale: toLocale(info.currentLocale),
    colorPrimary: str(info.colorPrimary),
    // region_name first appears in baseInfo with 6.8.0, the first console whose plugin proxy streams (SSE)
    supportsSse: 'region_name' in info,
    // a history-mode console has the team route in the path; the default build keeps it in the hash
    routing: /\/team\/[^/]+\/region\//.test(loc.pathname ?? '') ? 'history' : 'hash',
  };
}

const report = (err: unknown) => {
  try {
    console.error('[cilium-observability]', err);
  } catch {
    // nothing else to do
  }
};

interface PageState {
  failed: boolean;
}

function createPage(view: PanelView) {
  return class CiliumObservabilityPage extends React.Component<HostProps, PageState> {
    static displayName = `CiliumObservability${view}`;
    state: PageState = { failed: false };
    private host: HTMLDivElement | null = null;
    private panel: PanelHandle | null = null;
    private setHost = (el: HTMLDivElement | null) => {
      this.host = el;
    };

    static getDerivedStateFromError(): PageState {
      return { failed: true };
    }

    componentDidMount() {
      try {
        if (this.host)
          this.panel = mountPanel(this.host, resolveContext(view, this.props, plugin.meta), report);
      } catch (err) {
        report(err);
        this.setState({ failed: true });
      }
    }

    componentDidUpdate() {
      try {
        this.panel?.update(resolveContext(view, this.props, plugin.meta));
      } catch (err) {
        report(err);
      }
    }

    componentWillUnmount() {
      try {
        this.panel?.unmount();
      } catch (err) {
        report(err);
      }
      this.panel = null;
    }

    componentDidCatch(err: unknown) {
      report(err);
    }

    render() {
      try {
        if (this.state.failed)
          return React.createElement(
            'div',
            { role: 'alert', style: { padding: 16, color: '#c0392b' } },
            'Cilium Observability: 插件页面出错 / the plugin page failed.',
          );
        return React.createElement('div', { ref: this.setHost, 'data-plugin': 'cilium-observability' });
      } catch (err) {
        report(err);
        return null;
      }
    }
  };
}

const Team = createPage('Team');
const Platform = createPage('Platform');

/** Which page renders for a view on consoles before 6.9.1 (no viewPages): they pick by `plugin_views.length`. */
export function pagesForViews(views: unknown): { root: typeof Team; OtherPages: typeof Team } {
  const list = Array.isArray(views) ? views : [];
  // one view → root; two → root is the higher-priority view (Platform) and OtherPages the other (rainbond-ui)
  if (list.includes('Platform')) return { root: Platform, OtherPages: Team };
  return { root: Team, OtherPages: Team };
}

export const plugin = {
  /** Set by the host after init(): the plugin list item, e.g. `{ name: "cilium-observability", … }`. */
  meta: null as PluginMeta | null,
  init(meta?: PluginMeta) {
    try {
      if (!meta) return;
      plugin.meta = meta;
      Object.assign(plugin, pagesForViews(meta.plugin_views));
    } catch (err) {
      report(err);
    }
  },
  /** Consoles < 6.9.1 with one declared view render `root` (we declare Team; see init for two views). */
  root: Team,
  OtherPages: Team,
  /** Consoles ≥ 6.9.1 pick `viewPages[currentView]` first. */
  viewPages: { Team, Platform },
};

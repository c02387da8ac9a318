/**
 * A faithful stand-in for the Rainbond console page (6.6 to 6.9.4) that hosts a JSInject plugin:
 * SystemJS 0.20.19 with react/react-dom 16.14.0, lodash, moment and xu-demo-data exposed through
 * `SystemJS.registerDynamic`, the console's global CSS, `SystemJS.import('/console/regions/{region}/static/plugins/{id}')`,
 * `plugin.init(meta)`, the component chosen like `getPluginRenderComponent`, rendered with ReactDOM inside a fake
 * console layout whose error boundary replaces the whole layout (as the real one does).
 *
 * Mount with `app.route('/', createHostRoutes({ pluginId, region, team }))`; open
 * `/?console=6.9.4&view=Team&locale=zh` (or `console=6.6`, `view=Platform`, `locale=en`). The page reads the JWT from
 * the `token` cookie the sandbox sets. API calls go to `/console/regions/{region}/backend/plugins/{id}/...`,
 * which the sandbox must forward to the backend (this router does not).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export type ConsoleVersion = '6.6' | '6.8' | '6.9.0' | '6.9.4';
export type HostView = 'Team' | 'Platform';

export interface HostPageParams {
  /** Console generation to imitate: baseInfo keys differ by version; 6.9.1+ picks `viewPages` first. */
  console: ConsoleVersion;
  view: HostView;
  locale: 'zh' | 'en';
  pluginId: string;
  region: string;
  team: string;
  /** Enterprise id for the Platform route, e.g. "ent-1". */
  eid?: string;
  /** Used when the browser has no `token` cookie (tests that cannot set cookies). */
  token?: string;
  /** Host theme colour, e.g. "#4d73b1" (Rainbond's default). */
  colorPrimary?: string;
}

export interface HostOptions {
  pluginId: string;
  region: string;
  team: string;
  /** The bundle served at the console's static plugin route; default web/dist/main.js. */
  bundlePath?: string;
  /** Token to put into baseInfo when the request carries no `token` cookie. */
  tokenForUser?: string;
}

/** URL path → file on disk of the host's vendor scripts (UMD builds, as the console bundles them). */
export const HOST_ASSETS: Record<string, string> = {
  '/host/vendor/system.js': require.resolve('systemjs/dist/system.js'),
  '/host/vendor/react.js': require.resolve('react/umd/react.production.min.js'),
  '/host/vendor/react-dom.js': require.resolve('react-dom/umd/react-dom.production.min.js'),
  '/host/vendor/lodash.js': require.resolve('lodash/lodash.min.js'),
  '/host/vendor/moment.js': require.resolve('moment/min/moment.min.js'),
  '/host/vendor/xu-demo-data.js': require.resolve('xu-demo-data/dist/bundle.js'),
};

/** The console's global CSS that reaches every plugin (rainbond-ui src/global.less + antd 3.19 base). */
const CONSOLE_CSS = `
:root { --rbd-primary-color: #4d73b1; --rbd-bg: #f0f5ff; }
* { margin: 0; padding: 0; border: 0; }
*, *::before, *::after { box-sizing: border-box; }
html, body { width: 100%; height: 100%; }
body { font-family: 'Source Han Sans CN' !important; background-color: #f0f5ff !important; color: rgba(0,0,0,.65);
  font-size: 14px; line-height: 1.5; font-variant: tabular-nums; }
h1, h2, h3, h4, h5, h6 { margin-top: 0; margin-bottom: .5em; color: rgba(0,0,0,.85); font-weight: 500; }
p { margin-top: 0; margin-bottom: 1em; }
a { color: #1890ff; text-decoration: none; background-color: transparent; outline: none; cursor: pointer; }
a:hover { color: #40a9ff; }
ul, ol { margin-top: 0; margin-bottom: 1em; }
button, input, select, textarea { margin: 0; color: inherit; font-size: inherit; font-family: inherit; line-height: inherit; }
button { overflow: visible; text-transform: none; }
button, [type='button'], [type='submit'] { -webkit-appearance: button; }
table { border-collapse: collapse; }
th { text-align: inherit; }
code, kbd, pre, samp { font-size: 1em; font-family: 'SFMono-Regular', Consolas, 'Liberation Mono', Menlo, Courier, monospace; }
pre { margin-top: 0; margin-bottom: 1em; overflow: auto; }
.rbd-layout { display: flex; flex-direction: column; min-height: 100vh; }
.rbd-header { height: 64px; background: #001529; color: #fff; display: flex; align-items: center; padding: 0 24px; }
.rbd-header h1 { color: #fff; font-size: 18px; margin: 0; }
.rbd-body { display: flex; flex: 1; }
.rbd-menu { width: 200px; background: #fff; padding: 16px 0; }
.rbd-menu a { display: block; padding: 8px 24px; color: rgba(0,0,0,.65); }
.rbd-menu a.active { background: #e6f7ff; color: #1890ff; }
.rbd-content { flex: 1; padding: 24px; min-width: 0; }
.rbd-crash { padding: 48px; text-align: center; color: #f5222d; }
`;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The host page's own script: plain ES5-ish JS run in the browser, as the console's webpack bundle would. */
const HOST_SCRIPT = String.raw`
(function () {
  var cfg = JSON.parse(document.getElementById('host-config').textContent);
  window.__hostErrors = [];
  window.addEventListener('error', function (e) { window.__hostErrors.push(String(e.message)); });
  window.addEventListener('unhandledrejection', function (e) { window.__hostErrors.push(String(e.reason)); });

  function cmp(a, b) {
    var x = a.split('.').map(Number), y = b.split('.').map(Number);
    for (var i = 0; i < 3; i++) { if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) - (y[i] || 0); }
    return 0;
  }
  var v = cfg.console;
  // the hash route the console would be on (hash router, config/router.config.js)
  if (!location.hash) {
    location.hash = cfg.view === 'Platform'
      ? '#/enterprise/' + cfg.eid + '/plugins/' + cfg.pluginId + '?regionName=' + cfg.region
      : '#/team/' + cfg.team + '/region/' + cfg.region + '/plugins/' + cfg.pluginId;
  }
  var m = /(?:^|;\s*)token=([^;]*)/.exec(document.cookie);
  var token = m ? decodeURIComponent(m[1]) : cfg.token;

  // src/utils/importPlugins.js
  var SystemJS = window.System;
  var initializedAt = Date.now();
  SystemJS.registry.set('plugin-loader', SystemJS.newModule({
    locate: function (load) { return load.address + '?_cache=' + initializedAt; }
  }));
  SystemJS.config({
    baseURL: '/public', defaultExtension: 'js',
    packages: { plugins: { defaultExtension: 'js' } },
    meta: { '/*': { esModule: true, authorization: false, loader: 'plugin-loader' } }
  });
  function exposeToPlugin(name, component) {
    SystemJS.registerDynamic(name, [], true, function (require, exports, module) { module.exports = component; });
  }
  exposeToPlugin('lodash', window._);
  exposeToPlugin('moment', window.moment);
  exposeToPlugin('react', window.React);
  exposeToPlugin('react-dom', window.ReactDOM);
  exposeToPlugin('xu-demo-data', window.MyLibrary);
  window.moment.locale(cfg.locale === 'zh' ? 'zh-cn' : 'en');

  var views = cfg.view === 'Platform' ? ['Platform'] : ['Team'];
  // the plugin list item of GET /console/enterprise/{eid}/regions/{region}/plugins
  var meta = {
    name: cfg.pluginId, alias: 'Cilium Observability', display_name: 'Cilium Observability',
    plugin_type: 'JSInject', plugin_views: views, enable_status: 'true', status: 'running',
    labels: { 'plugin.rainbond.io/name': cfg.pluginId, app_id: 'region-app-1' },
    region_app_id: 'region-app-1', app_id: 1, team_name: cfg.team,
    frontend_component: cfg.pluginId, entry_path: '/static/main.js', menu_title: 'Cilium Observability',
    route_path: cfg.pluginId, namespace: cfg.team,
    backend_service: cfg.pluginId + '.' + cfg.team + '.svc.cluster.local:8080',
    frontend_service: cfg.pluginId + '.' + cfg.team + '.svc.cluster.local:8080/static/main.js',
    urls: [], backend: ''
  };

  // src/utils/pulginUtils.js getPluginRenderComponent (>= 6.9.1) vs. plugin_views.length (older)
  function pick(plugin) {
    if (cmp(v, '6.9.1') >= 0 && plugin.viewPages && plugin.viewPages[cfg.view]) return plugin.viewPages[cfg.view];
    if (views.length === 1) return plugin.root;
    if (views.length === 2) {
      var order = ['Platform', 'Team', 'Application', 'Component'];
      var top = views.slice().sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); })[0];
      return cfg.view === top ? plugin.root : plugin.OtherPages;
    }
    return plugin.OtherPages;
  }

  var baseInfo = {
    colorPrimary: cfg.colorPrimary, currentLocale: cfg.locale, cluster_info: [{ region_name: cfg.region }],
    currentUser: { user_id: 1, nick_name: 'admin', enterprise_id: cfg.eid }, token: token,
    pluginsList: [meta], overviewInfo: {}, appDetail: {}
  };
  if (cmp(v, '6.8.0') >= 0) baseInfo.region_name = cfg.region;
  if (cmp(v, '6.9.0') >= 0) baseInfo.namespace = cfg.team;
  if (cmp(v, '6.9.1') >= 0) {
    baseInfo.currentTeam = cfg.view === 'Team' ? { team_name: cfg.team, team_alias: cfg.team } : undefined;
    baseInfo.team_name = cfg.view === 'Team' ? cfg.team : undefined;
    baseInfo.componentID = baseInfo.component_id = baseInfo.service_id = baseInfo.service_alias = undefined;
    baseInfo.appID = baseInfo.app_id = undefined;
  }

  var h = React.createElement;
  // the console's error boundary wraps the WHOLE layout: a plugin that throws takes the header and menu with it
  class LayoutBoundary extends React.Component {
    constructor(p) { super(p); this.state = { error: null }; }
    static getDerivedStateFromError(error) { return { error: error }; }
    componentDidCatch(error) { window.__hostErrors.push('boundary: ' + String(error && error.message || error)); }
    render() {
      return this.state.error ? h('div', { className: 'rbd-crash', id: 'rbd-crash' }, 'Something went wrong (console layout replaced)') : this.props.children;
    }
  }
  function Layout(props) {
    return h('div', { className: 'rbd-layout' },
      h('header', { className: 'rbd-header', id: 'rbd-header' }, h('h1', null, 'Rainbond')),
      h('div', { className: 'rbd-body' },
        h('nav', { className: 'rbd-menu', id: 'rbd-menu' },
          h('a', { href: '#', className: 'active' }, 'Cilium Observability'), h('a', { href: '#' }, 'Apps'),
          // Host controls of the kinds our CSS could reach by accident (antd 3 classes, bare elements).
          h('div', { id: 'rbd-samples', className: 'ant-card', style: { position: 'absolute', left: '-10000px', top: 0 } },
            h('h2', null, 'Host'), h('p', null, 'text'), h('button', { className: 'ant-btn ant-btn-primary' }, 'OK'),
            h('input', { className: 'ant-input', defaultValue: 'x' }), h('select', null, h('option', null, 'a')),
            h('ul', null, h('li', null, 'item')), h('table', { className: 'ant-table' },
              h('tbody', null, h('tr', null, h('th', null, 'th'), h('td', null, 'td')))),
            h('span', { className: 'el-tag' }, 'tag'), h('div', { className: 'el-card' }, 'card'), h('code', null, 'code'))),
        h('main', { className: 'rbd-content', id: 'rbd-content' }, props.children)));
  }
  class Host extends React.Component {
    constructor(p) { super(p); this.state = { show: true, Comp: null, error: null }; window.__host = this; }
    render() {
      var Comp = this.state.Comp;
      var body = this.state.error ? h('div', { id: 'rbd-plugin-error' }, '插件加载失败: ' + this.state.error)
        : !Comp ? h('div', { id: 'rbd-plugin-loading' }, '插件内容加载中...')
        : this.state.show ? h(Comp, { baseInfo: Object.assign({}, baseInfo, this.state.extra || {}),
            dispatch: function () {}, formatMessage: function (d) { return d && d.id; }, globalUtile: {},
            jumpRouter: function () {} }) : null;
      return h(LayoutBoundary, null, h(Layout, null, body));
    }
  }
  ReactDOM.render(h(Host), document.getElementById('root'));

  var t0 = performance.now();
  SystemJS.import('/console/regions/' + cfg.region + '/static/plugins/' + cfg.pluginId).then(function (exports) {
    var plugin = exports.plugin ? exports.plugin : new window.MyLibrary.RainbondRootPagePlugin();
    plugin.init(meta);
    plugin.meta = meta;
    var Comp = pick(plugin);
    window.__pluginLoadMs = performance.now() - t0;
    window.__host.setState({ Comp: Comp || null, error: Comp ? null : 'no component for view ' + cfg.view });
  }).catch(function (err) {
    window.__hostErrors.push('import: ' + String(err && err.message || err));
    window.__host.setState({ error: String(err && err.message || err) });
  });
  // test hooks: unmount / remount / change props the way route changes do
  window.__hostUnmount = function () { window.__host.setState({ show: false }); };
  window.__hostRemount = function () { window.__host.setState({ show: true }); };
  window.__hostSetBaseInfo = function (extra) { window.__host.setState({ extra: extra }); };
})();
`;

export function hostFiles(): { html: (params: HostPageParams) => string; assets: Record<string, string> } {
  return {
    assets: HOST_ASSETS,
    html(params) {
      const cfg = {
        console: params.console,
        view: params.view,
        locale: params.locale,
        pluginId: params.pluginId,
        region: params.region,
        team: params.team,
        eid: params.eid ?? 'ent-1',
        token: params.token ?? null,
        colorPrimary: params.colorPrimary ?? '#4d73b1',
      };
      const json = JSON.stringify(cfg).replace(/</g, '\\u003c');
      return `<!doctype html>
<html lang="${params.locale === 'en' ? 'en' : 'zh-CN'}">
<head>
<meta charset="utf-8">
<title>Rainbond console ${esc(params.console)} (plugin host sandbox)</title>
<style>${CONSOLE_CSS}</style>
<script src="/host/vendor/react.js"></script>
<script src="/host/vendor/react-dom.js"></script>
<script src="/host/vendor/lodash.js"></script>
<script src="/host/vendor/moment.js"></script>
<script src="/host/vendor/xu-demo-data.js"></script>
<script src="/host/vendor/system.js"></script>
</head>
<body>
<div id="root"></div>
<script type="application/json" id="host-config">${json}</script>
<script>${HOST_SCRIPT}</script>
</body>
</html>`;
    },
  };
}

const CONSOLE_VERSIONS: ConsoleVersion[] = ['6.6', '6.8', '6.9.0', '6.9.4'];

/** Query → page params, e.g. `?console=6.6&view=Platform&locale=en`; unknown values fall back to 6.9.4/Team/zh. */
export function parseHostQuery(
  q: Record<string, string | undefined>,
  opts: Pick<HostOptions, 'pluginId' | 'region' | 'team'>,
): HostPageParams {
  const console = CONSOLE_VERSIONS.find((v) => v === q.console) ?? '6.9.4';
  return {
    console,
    view: q.view === 'Platform' ? 'Platform' : 'Team',
    locale: q.locale === 'en' ? 'en' : 'zh',
    pluginId: opts.pluginId,
    region: opts.region,
    team: opts.team,
  };
}

export function createHostRoutes(opts: HostOptions): Hono {
  const files = hostFiles();
  const bundlePath = opts.bundlePath ?? `${repoRoot}web/dist/main.js`;
  const app = new Hono();
  app.get('/', (c) => {
    const params = parseHostQuery(c.req.query(), opts);
    const hasCookie = /(?:^|;\s*)token=/.test(c.req.header('cookie') ?? '');
    return c.html(files.html({ ...params, token: hasCookie ? undefined : opts.tokenForUser }));
  });
  for (const [path, file] of Object.entries(files.assets)) {
    app.get(path, (c) =>
      c.body(readFileSync(file, 'utf8'), 200, { 'content-type': 'application/javascript' }),
    );
  }
  // the console's static plugin route: always 200 application/javascript, even when fetching the bundle failed
  app.get('/console/regions/:region/static/plugins/:id', (c) => {
    const body =
      c.req.param('id') === opts.pluginId && existsSync(bundlePath)
        ? readFileSync(bundlePath, 'utf8')
        : `throw new Error(${JSON.stringify(`plugin bundle not available: ${bundlePath}`)});`;
    return c.body(body, 200, { 'content-type': 'application/javascript' });
  });
  return app;
}

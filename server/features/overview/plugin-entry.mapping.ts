/**
 * Pure: the backend's RBDPlugin as read → is the console's plugin entry present, enabled and pointing at this
 * backend? The console's market install computes frontend_service = "<k8s_service_name>.<team ns>.svc.cluster.local:
 * <first port>/<entry_path>" and backend_service = the same host:port (single component), and hides an entry whose
 * label plugin.rainbond.io/enable is neither absent nor "true" (rainbond-ui pulginUtils.js, region ListPlugins).
 */
import type { PluginEntryRead, SlimRBDPlugin } from '../../clients/cluster/plugin-entry';
import type { Locale } from '../../../contract';
import type { PluginEntry } from '../../../contract';

export const ENABLE_LABEL = 'plugin.rainbond.io/enable';

/** What the backend knows about itself. */
export interface PluginSelf {
  /** PLUGIN_ID, e.g. "cilium-observability". */
  pluginId: string;
  /** Namespace the pod runs in (its ServiceAccount's), e.g. "dev-team"; null out of cluster. */
  namespace: string | null;
  /** Port the backend serves on, e.g. 8080 (the component's first port). */
  port: number;
  /** Path of the panel bundle, "/static/main.js". */
  bundlePath: string;
}

export interface ServiceAddress {
  host: string;
  port: number;
  /** "" or e.g. "/static/main.js". */
  path: string;
}

/** "svc.ns.svc.cluster.local:8080/static/main.js" (scheme optional, http assumed as rbd-api does) → parts. */
export function parseServiceAddress(s: string): ServiceAddress | null {
  const m = /^(?:(https?):\/\/)?([^/:\s]+)(?::(\d{1,5}))?(\/\S*)?$/i.exec(s.trim());
  if (!m) return null;
  const [, scheme, host = '', port, path = ''] = m;
  return {
    host: host.toLowerCase(),
    port: port ? Number(port) : scheme?.toLowerCase() === 'https' ? 443 : 80,
    path,
  };
}

/** Namespace in a Service host name ("svc.ns", "svc.ns.svc", "svc.ns.svc.cluster.local"); null for IPs and others. */
export function namespaceOfHost(host: string): string | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return null;
  const labels = host.split('.');
  if (labels.length === 2 || (labels.length >= 3 && labels[2] === 'svc')) return labels[1] ?? null;
  return null;
}

export type PluginEntryVerdict =
  | { state: 'ok'; plugin: SlimRBDPlugin; hostChecked: boolean }
  | { state: 'missing'; reason: 'absent' | 'no-crd' }
  | { state: 'disabled'; plugin: SlimRBDPlugin; value: string }
  | {
      state: 'elsewhere';
      plugin: SlimRBDPlugin;
      field: 'frontend_service' | 'backend_service';
      reason: 'empty' | 'unparsable' | 'port' | 'path' | 'namespace';
    }
  | { state: 'unknown'; reason: 'pending' }
  | { state: 'unknown'; reason: 'error'; status: number | null; message: string };

type Mismatch = 'empty' | 'unparsable' | 'port' | 'path' | 'namespace' | null;

function mismatch(value: string, self: PluginSelf, wantPath: string | null): Mismatch {
  if (value.trim() === '') return 'empty';
  const a = parseServiceAddress(value);
  if (!a) return 'unparsable';
  if (a.port !== self.port) return 'port';
  if (wantPath !== null && a.path.replace(/\/+$/, '') !== wantPath) return 'path';
  const ns = namespaceOfHost(a.host);
  if (self.namespace && ns && ns !== self.namespace) return 'namespace';
  return null;
}

export function judgePluginEntry(read: PluginEntryRead, self: PluginSelf): PluginEntryVerdict {
  switch (read.kind) {
    case 'pending':
      return { state: 'unknown', reason: 'pending' };
    case 'error':
      return { state: 'unknown', reason: 'error', status: read.status, message: read.message };
    case 'absent':
    case 'no-crd':
      return { state: 'missing', reason: read.kind };
    case 'found':
      break;
  }
  const plugin = read.plugin;
  const enable = plugin.labels[ENABLE_LABEL];
  if (enable !== undefined && enable !== 'true') return { state: 'disabled', plugin, value: enable };
  const front = mismatch(plugin.frontendService, self, self.bundlePath);
  if (front) return { state: 'elsewhere', plugin, field: 'frontend_service', reason: front };
  const back = mismatch(plugin.backendService, self, null);
  if (back) return { state: 'elsewhere', plugin, field: 'backend_service', reason: back };
  const host = parseServiceAddress(plugin.frontendService)?.host ?? '';
  return { state: 'ok', plugin, hostChecked: self.namespace !== null && namespaceOfHost(host) !== null };
}

type Text = Record<Locale, string>;
const pick = (t: Text, locale: Locale) => t[locale];

/** The API shape, in the caller's language, with the commands that fix it. */
export function pluginEntryView(
  verdict: PluginEntryVerdict,
  self: PluginSelf,
  locale: Locale,
  checkedAt: string | null,
): PluginEntry {
  const id = self.pluginId;
  const ns = self.namespace ?? '<namespace>';
  const here = self.namespace ? `${self.namespace}:${self.port}` : `:${self.port}`;
  const applyEntry = `npm run render -- rbdplugin --namespace ${ns} | kubectl apply -f -`;
  const plugin = 'plugin' in verdict ? verdict.plugin : null;
  const base = {
    id,
    checkedAt,
    frontendService: plugin ? plugin.frontendService : null,
    backendService: plugin ? plugin.backendService : null,
  };
  const view = (message: Text, fix: string[]): PluginEntry => ({
    ...base,
    state: verdict.state,
    message: pick(message, locale),
    fix,
  });

  switch (verdict.state) {
    case 'ok':
      return view(
        {
          en:
            `The console's plugin entry "${id}" loads this backend (frontend_service ${verdict.plugin.frontendService}).` +
            (verdict.hostChecked
              ? ''
              : ' Only port and path were compared: the host is not a Service name here.'),
          'zh-CN':
            `控制台的插件入口 "${id}" 指向本后端（frontend_service ${verdict.plugin.frontendService}）。` +
            (verdict.hostChecked ? '' : '这里只比对了端口和路径：主机名不是 Service 名称。'),
        },
        [],
      );
    case 'missing':
      if (verdict.reason === 'no-crd') {
        return view(
          {
            en: `The console has no plugin entry for this backend: the cluster has no RBDPlugin resource type (rbdplugins.rainbond.io), i.e. Rainbond before v6.6.0 or no Rainbond.`,
            'zh-CN': `控制台没有本后端的插件入口：集群中没有 RBDPlugin 资源类型（rbdplugins.rainbond.io），即 Rainbond 低于 v6.6.0 或不是 Rainbond 集群。`,
          },
          [
            'kubectl get crd rbdplugins.rainbond.io',
            locale === 'en'
              ? '# upgrade Rainbond to v6.6.0 or later: rbd-api installs the CRD when it starts'
              : '# 将 Rainbond 升级到 v6.6.0 或更高版本：rbd-api 启动时会安装该 CRD',
          ],
        );
      }
      return view(
        {
          en: `The console has no plugin entry for this backend: RBDPlugin "${id}" does not exist, so no menu item loads this panel. An app-market install does not report a failed plugin creation; the console log does.`,
          'zh-CN': `控制台没有本后端的插件入口：RBDPlugin "${id}" 不存在，菜单里没有加载本面板的入口。应用市场安装时插件创建失败不会报错，只记在控制台日志里。`,
        },
        [`kubectl -n rbd-system logs deploy/rbd-app-ui | grep 'Failed to create RBDPlugin'`, applyEntry],
      );
    case 'disabled':
      return view(
        {
          en: `The plugin entry "${id}" is disabled (label ${ENABLE_LABEL}=${verdict.value}): the console hides its menu item.`,
          'zh-CN': `插件入口 "${id}" 已停用（标签 ${ENABLE_LABEL}=${verdict.value}）：控制台不显示它的菜单项。`,
        },
        [
          locale === 'en'
            ? '# an enterprise admin enables it in the console (Platform → Extension → the cluster → plugins), or:'
            : '# 企业管理员在控制台启用（平台管理 → 功能扩展 → 对应集群 → 插件），或者：',
          `kubectl label rbdplugins.rainbond.io ${id} ${ENABLE_LABEL}=true --overwrite`,
        ],
      );
    case 'elsewhere': {
      const value =
        verdict.field === 'frontend_service' ? verdict.plugin.frontendService : verdict.plugin.backendService;
      const fix = [`kubectl get rbdplugins.rainbond.io ${id} -o yaml`, applyEntry];
      if (verdict.reason === 'empty') {
        const component = verdict.plugin.frontendComponent;
        return view(
          {
            en: `The plugin entry "${id}" has an empty ${verdict.field}: at install the console found no component named "${component}" (service_cname) in the app, so it has nothing to load.`,
            'zh-CN': `插件入口 "${id}" 的 ${verdict.field} 为空：安装时控制台在应用中没有找到名为 "${component}"（service_cname）的组件，因此没有可加载的内容。`,
          },
          fix,
        );
      }
      return view(
        {
          en: `The plugin entry points elsewhere (${verdict.field} ${value}): the console ${verdict.field === 'frontend_service' ? 'loads the panel from' : "sends the panel's API calls to"} another backend, not this one (${here}).`,
          'zh-CN': `插件入口指向别处（${verdict.field} ${value}）：控制台${verdict.field === 'frontend_service' ? '从另一个后端加载面板' : '把面板的 API 请求发往另一个后端'}，而不是本后端（${here}）。`,
        },
        [
          ...fix,
          locale === 'en'
            ? '# or remove the other installation it points to'
            : '# 或者删除它指向的另一套安装',
        ],
      );
    }
    case 'unknown':
      if (verdict.reason === 'pending') {
        return view({ en: 'The plugin entry has not been read yet.', 'zh-CN': '尚未读取插件入口。' }, []);
      }
      if (verdict.status === 403) {
        return view(
          {
            en: `This backend may not read RBDPlugins (HTTP 403): its ClusterRole lacks get on rbdplugins.rainbond.io.`,
            'zh-CN': `本后端无权读取 RBDPlugin（HTTP 403）：它的 ClusterRole 缺少 rbdplugins.rainbond.io 的 get 权限。`,
          },
          [`npm run render -- rbac --namespace ${ns} | kubectl apply -f -`],
        );
      }
      return view(
        {
          en: `The plugin entry could not be read: ${verdict.message}`,
          'zh-CN': `无法读取插件入口：${verdict.message}`,
        },
        [],
      );
  }
}

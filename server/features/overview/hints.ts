/**
 * What to run to enable what is missing, for the detected Cilium version and namespace; the commands come from
 * server/cilium/fix-commands.ts, shared with the Insights diagnoses.
 */
import {
  applyMonitoringExample,
  dashboardsFix,
  helmUpgradeCommands,
  hubbleMetricsFix,
  rolloutStatus as rollout,
  type CiliumInstall,
} from '../../cilium/fix-commands';
import { CILIUM_DASHBOARDS } from '../../cilium/dashboards';
import { hasContextLabels, supportsLabelsContext } from '../../cilium/hubble-metrics';
import type { ClusterState } from '../../clients/cluster/types';
import type { Hint, Locale } from '../../../contract';

export type HintCode =
  | 'CILIUM_MISSING'
  | 'CILIUM_DEGRADED'
  | 'HUBBLE_DISABLED'
  | 'RELAY_MISSING'
  | 'RELAY_NOT_READY'
  | 'UI_MISSING'
  | 'UI_NOT_READY'
  | 'HUBBLE_METRICS_DISABLED'
  | 'NO_CONTEXT_LABELS'
  | 'AGENT_METRICS_DISABLED'
  | 'MONITORING_MISSING'
  | 'MONITORING_NOT_READY'
  | 'GRAFANA_DASHBOARDS_MISSING';

/** The dashboards every Cilium version ships (the L7 one only in newer ones, so not asked for). */
const CORE_DASHBOARDS = CILIUM_DASHBOARDS.filter((d) => d.id !== 'hubble-l7-http');

type Msg = Record<Locale, string>;

export function buildHints(state: ClusterState, locale: Locale): Hint[] {
  const hints: Hint[] = [];
  const add = (code: HintCode, msg: Msg, commands: string[]) =>
    hints.push({ code, message: msg[locale], commands });
  const { cilium, hubble } = state;

  if (cilium.state === 'missing' || cilium.namespace === null) {
    add(
      'CILIUM_MISSING',
      {
        en: 'Cilium was not found (no DaemonSet labelled k8s-app=cilium). This plugin needs Cilium as the cluster network plugin; if it runs in a namespace we may not read, set CILIUM_NAMESPACE.',
        'zh-CN':
          '未找到 Cilium（没有带 k8s-app=cilium 标签的 DaemonSet）。本插件需要集群使用 Cilium 网络插件；如果它安装在其他命名空间，请设置 CILIUM_NAMESPACE。',
      },
      ['kubectl get daemonsets --all-namespaces -l k8s-app=cilium', 'cilium status'],
    );
    return hints;
  }

  const ns = cilium.namespace;
  const version = cilium.version;
  const vText = version ?? '?';
  const install: CiliumInstall = { version, namespace: ns };

  if (cilium.state === 'degraded') {
    add(
      'CILIUM_DEGRADED',
      {
        en: `Cilium ${vText} is not fully ready: ${cilium.agents.ready}/${cilium.agents.desired} agents, ${cilium.operator.ready} operator replicas ready.`,
        'zh-CN': `Cilium ${vText} 未完全就绪：代理 ${cilium.agents.ready}/${cilium.agents.desired}，operator 就绪副本 ${cilium.operator.ready}。`,
      },
      [
        rollout(ns, 'daemonset/cilium'),
        rollout(ns, 'deployment/cilium-operator'),
        `kubectl -n ${ns} get pods -l k8s-app=cilium -o wide`,
      ],
    );
  }

  if (hubble.state === 'disabled') {
    add(
      'HUBBLE_DISABLED',
      {
        en: `Hubble is off in Cilium ${vText}. Turn on Hubble with Relay and the UI:`,
        'zh-CN': `Cilium ${vText} 未开启 Hubble。开启 Hubble 及其 Relay 和 UI：`,
      },
      [
        ...helmUpgradeCommands(install, [
          'hubble.enabled=true',
          'hubble.relay.enabled=true',
          'hubble.ui.enabled=true',
        ]),
        rollout(ns, 'daemonset/cilium'),
        rollout(ns, 'deployment/hubble-relay'),
        rollout(ns, 'deployment/hubble-ui'),
      ],
    );
  } else if (hubble.state !== 'missing') {
    if (state.relay === null && hubble.relay.desired === 0) {
      add(
        'RELAY_MISSING',
        {
          en: 'Hubble Relay is not deployed: flows cannot be read cluster-wide. Enable it:',
          'zh-CN': '未部署 Hubble Relay：无法读取全集群的网络流。启用它：',
        },
        [
          ...helmUpgradeCommands(install, ['hubble.relay.enabled=true']),
          rollout(ns, 'deployment/hubble-relay'),
        ],
      );
    } else if (hubble.relay.desired === 0 || hubble.relay.ready < hubble.relay.desired) {
      add(
        'RELAY_NOT_READY',
        {
          en: `Hubble Relay is not ready (${hubble.relay.ready}/${hubble.relay.desired} ready). Check it:`,
          'zh-CN': `Hubble Relay 未就绪（就绪 ${hubble.relay.ready}/${hubble.relay.desired}）。检查：`,
        },
        [
          `kubectl -n ${ns} scale deployment/hubble-relay --replicas=1`,
          rollout(ns, 'deployment/hubble-relay'),
          `kubectl -n ${ns} logs deployment/hubble-relay --tail=50`,
        ],
      );
    }
    const ui = state.tools['hubble-ui'];
    if (ui.state === 'missing') {
      add(
        'UI_MISSING',
        { en: 'Hubble UI is not deployed. Enable it:', 'zh-CN': '未部署 Hubble UI。启用它：' },
        [...helmUpgradeCommands(install, ['hubble.ui.enabled=true']), rollout(ns, 'deployment/hubble-ui')],
      );
    } else if (ui.state === 'not-ready') {
      add(
        'UI_NOT_READY',
        {
          en: `Hubble UI is not ready (${ui.workload.ready}/${ui.workload.desired} ready endpoints of its Service). Check it:`,
          'zh-CN': `Hubble UI 未就绪（其 Service 的就绪端点 ${ui.workload.ready}/${ui.workload.desired}）。检查：`,
        },
        [
          rollout(ns, 'deployment/hubble-ui'),
          `kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${ui.service?.name ?? 'hubble-ui'}`,
          `kubectl -n ${ns} describe deployment hubble-ui`,
        ],
      );
    }

    const why = supportsLabelsContext(version)
      ? {
          en: 'httpV2 and labelsContext (namespace labels)',
          'zh-CN': 'httpV2 与 labelsContext（命名空间标签）',
        }
      : {
          en: `http and sourceContext/destinationContext (Cilium ${vText} has no httpV2 / labelsContext)`,
          'zh-CN': `http 与 sourceContext/destinationContext（Cilium ${vText} 不支持 httpV2 / labelsContext）`,
        };
    if (!state.hubbleMetrics.enabled) {
      add(
        'HUBBLE_METRICS_DISABLED',
        {
          en: `Hubble metrics are off: Grafana's Hubble dashboard and the traffic summaries stay empty. Enable them with ${why.en}:`,
          'zh-CN': `Hubble 指标未开启：Grafana 的 Hubble 仪表盘和流量摘要将没有数据。开启指标，使用 ${why['zh-CN']}：`,
        },
        hubbleMetricsFix(install, state.hubbleMetrics),
      );
    } else if (!hasContextLabels(state.hubbleMetrics)) {
      add(
        'NO_CONTEXT_LABELS',
        {
          en: `Hubble metrics carry no namespace labels, so traffic cannot be shown per team. Add ${why.en}:`,
          'zh-CN': `Hubble 指标没有命名空间标签，无法按团队展示流量。添加 ${why['zh-CN']}：`,
        },
        hubbleMetricsFix(install, state.hubbleMetrics),
      );
    }
  }

  const agentOff = state.ciliumMetrics.agent === null;
  const operatorOff = state.ciliumMetrics.operator === null;
  if (agentOff || operatorOff) {
    add(
      'AGENT_METRICS_DISABLED',
      {
        en: `Cilium ${[agentOff ? 'agent' : '', operatorOff ? 'operator' : ''].filter(Boolean).join(' and ')} metrics are off: the Cilium dashboards stay empty. Enable them:`,
        'zh-CN': `Cilium ${[agentOff ? '代理' : '', operatorOff ? 'operator' : ''].filter(Boolean).join('和')}指标未开启：Cilium 仪表盘将没有数据。开启：`,
      },
      [
        ...helmUpgradeCommands(install, [
          ...(agentOff ? ['prometheus.enabled=true'] : []),
          ...(operatorOff ? ['operator.prometheus.enabled=true'] : []),
        ]),
        ...(agentOff ? [rollout(ns, 'daemonset/cilium')] : []),
        ...(operatorOff ? [rollout(ns, 'deployment/cilium-operator')] : []),
      ],
    );
  }

  const mon = state.monitoring;
  if (mon.state === 'missing') {
    add(
      'MONITORING_MISSING',
      {
        en: "No Prometheus / Grafana found. Deploy Cilium's monitoring example (Prometheus + Grafana with the Cilium and Hubble dashboards) into cilium-monitoring:",
        'zh-CN':
          '未找到 Prometheus / Grafana。部署 Cilium 的监控示例（Prometheus + Grafana，含 Cilium 和 Hubble 仪表盘）到 cilium-monitoring：',
      },
      [
        applyMonitoringExample(version),
        rollout('cilium-monitoring', 'deployment/prometheus'),
        rollout('cilium-monitoring', 'deployment/grafana'),
      ],
    );
  } else if (mon.state === 'degraded' && mon.namespace) {
    const g = state.tools.grafana.service;
    const p = state.tools.prometheus.service;
    add(
      'MONITORING_NOT_READY',
      {
        en: `Monitoring in ${mon.namespace} is incomplete or not ready (Prometheus ${mon.prometheus.ready}/${mon.prometheus.desired}, Grafana ${mon.grafana.ready}/${mon.grafana.desired}).`,
        'zh-CN': `${mon.namespace} 中的监控不完整或未就绪（Prometheus ${mon.prometheus.ready}/${mon.prometheus.desired}，Grafana ${mon.grafana.ready}/${mon.grafana.desired}）。`,
      },
      [
        `kubectl -n ${mon.namespace} get deployments,statefulsets,services`,
        ...(g
          ? [`kubectl -n ${g.namespace} get endpointslices -l kubernetes.io/service-name=${g.name}`]
          : []),
        ...(p
          ? [`kubectl -n ${p.namespace} get endpointslices -l kubernetes.io/service-name=${p.name}`]
          : []),
      ],
    );
  }

  const grafanaSvc = state.tools.grafana.service;
  const loaded = new Set(state.grafanaDashboards.uids);
  const missing = CORE_DASHBOARDS.filter((d) => !loaded.has(d.uid));
  if (grafanaSvc && missing.length > 0) {
    const sidecar = state.grafanaDashboards.sidecar;
    const names = missing.map((d) => d.id).join(', ');
    // The sidecar's namespaces must include where the Cilium chart puts the ConfigMaps (its release namespace).
    const reaches = sidecar && (sidecar.namespaces === 'ALL' || sidecar.namespaces.includes(ns));
    const fix = dashboardsFix(install, {
      namespace: reaches ? null : grafanaSvc.namespace,
      label: sidecar?.label ?? null,
      labelValue: sidecar?.labelValue ?? null,
    });
    add(
      'GRAFANA_DASHBOARDS_MISSING',
      sidecar
        ? {
            en: `Grafana in ${grafanaSvc.namespace} has not loaded Cilium's dashboards (${names}), so it shows no dashboard links. Its sidecar loads ConfigMaps labelled ${sidecar.label}${sidecar.labelValue ? `=${sidecar.labelValue}` : ''}; let the Cilium chart create them (dashboards.enabled, operator.dashboards.enabled, hubble.metrics.dashboards.enabled):`,
            'zh-CN': `${grafanaSvc.namespace} 中的 Grafana 未加载 Cilium 仪表盘（${names}），因此不显示仪表盘链接。它的 sidecar 会加载带 ${sidecar.label}${sidecar.labelValue ? `=${sidecar.labelValue}` : ''} 标签的 ConfigMap；让 Cilium chart 创建它们（dashboards.enabled、operator.dashboards.enabled、hubble.metrics.dashboards.enabled）：`,
          }
        : {
            en: `Grafana in ${grafanaSvc.namespace} has not loaded Cilium's dashboards (${names}), so it shows no dashboard links, and it has no dashboard sidecar. Turn the sidecar on in its chart (grafana: sidecar.dashboards.enabled=true; kube-prometheus-stack: grafana.sidecar.dashboards.enabled=true), then let the Cilium chart create the dashboard ConfigMaps in ${grafanaSvc.namespace}:`,
            'zh-CN': `${grafanaSvc.namespace} 中的 Grafana 未加载 Cilium 仪表盘（${names}），因此不显示仪表盘链接，且它没有仪表盘 sidecar。请先在其 chart 中开启 sidecar（grafana：sidecar.dashboards.enabled=true；kube-prometheus-stack：grafana.sidecar.dashboards.enabled=true），再让 Cilium chart 在 ${grafanaSvc.namespace} 中创建仪表盘 ConfigMap：`,
          },
      fix,
    );
  }
  return hints;
}

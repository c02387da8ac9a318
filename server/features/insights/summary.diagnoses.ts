/** Why the summary's cards are empty or partial (zh-CN / en), most blocking first, with the commands that fix it. */
import {
  applyMonitoringExample,
  helmUpgrade,
  hubbleMetricsFix,
  type CiliumInstall,
} from '../../cilium/fix-commands';
import { supportsHttpV2, type HubbleMetricsConfig } from '../../cilium/hubble-metrics';
import type { Target } from '../../clients/prometheus/client';
import type { Locale } from '../../../contract';
import type { Diagnosis } from '../../../contract/insights';
import type { CardId } from './summary.queries';

export interface DiagnosisFacts {
  locale: Locale;
  /** null = no Prometheus configured or found in the cluster. */
  prometheusUrl: string | null;
  /** Name Prometheus's URL and the scrape targets' errors (enterprise admins); false: say it in words. */
  revealAddresses: boolean;
  reachable: boolean;
  /** Why it is unreachable, e.g. "cannot reach http://…: ECONNREFUSED" (admins) or "cannot connect (ECONNREFUSED)". */
  unreachableReason?: string;
  hubbleMetrics: HubbleMetricsConfig;
  ciliumNamespace: string;
  /** Detected Cilium version, e.g. "1.17.5"; null when unknown (the fixes then ask for it). */
  ciliumVersion: string | null;
  /** Any hubble_ series present. */
  hubbleSeriesPresent: boolean;
  scope: 'namespace' | 'cluster';
  unscopedMetrics: string[];
  /** Targets on the hubble-metrics port; null = the targets API failed. */
  hubbleTargets: Target[] | null;
  hubblePort: number;
  /** Effective scrape interval of the job scraping Hubble (or the global one), seconds. */
  scrapeIntervalSeconds: number | null;
  windowSeconds: number;
  window: string;
  httpAvailable: boolean;
  /** Cards whose queries failed, with the reason. */
  failedCards: { id: CardId; reason: string }[];
}

type Text = Record<Locale, string>;
const t = (locale: Locale, text: Text) => text[locale];

export function diagnose(f: DiagnosisFacts): Diagnosis[] {
  const out: Diagnosis[] = [];
  const L = f.locale;
  const ns = f.ciliumNamespace;
  const install: CiliumInstall = { version: f.ciliumVersion, namespace: ns };

  if (f.prometheusUrl === null) {
    out.push({
      code: 'PROMETHEUS_NOT_FOUND',
      severity: 'error',
      message: t(L, {
        en: 'No Prometheus found: no Prometheus Service in the cluster and PROMETHEUS_URL is not set.',
        'zh-CN': '未找到 Prometheus：集群中没有 Prometheus Service，且未设置 PROMETHEUS_URL。',
      }),
      fix: [
        'PROMETHEUS_URL=http://prometheus.cilium-monitoring.svc:9090  # plugin backend environment',
        applyMonitoringExample(f.ciliumVersion),
      ],
    });
    return out;
  }
  if (!f.reachable) {
    out.push({
      code: 'PROMETHEUS_UNREACHABLE',
      severity: 'error',
      message: f.revealAddresses
        ? t(L, {
            en: `Prometheus at ${f.prometheusUrl} did not answer (${f.unreachableReason ?? 'unknown error'}).`,
            'zh-CN': `Prometheus（${f.prometheusUrl}）无响应（${f.unreachableReason ?? '未知错误'}）。`,
          })
        : t(L, {
            en: `Prometheus did not answer (${f.unreachableReason ?? 'unknown error'}).`,
            'zh-CN': `Prometheus 无响应（${f.unreachableReason ?? '未知错误'}）。`,
          }),
      fix: [
        ...(f.revealAddresses ? [`curl -s ${f.prometheusUrl}/-/ready`] : []),
        'kubectl get pods -A -l app=prometheus',
        'PROMETHEUS_URL=http://<service>.<namespace>.svc:9090  # plugin backend environment',
      ],
    });
    return out;
  }

  const metricsOff = !f.hubbleMetrics.enabled || f.hubbleMetrics.list.length === 0;
  if (metricsOff && !f.hubbleSeriesPresent) {
    out.push({
      code: 'HUBBLE_METRICS_DISABLED',
      severity: 'error',
      message: t(L, {
        en: 'Hubble metrics are disabled (cilium-config has no hubble-metrics), so Prometheus has nothing to show.',
        'zh-CN': 'Hubble 指标未启用（cilium-config 中没有 hubble-metrics），Prometheus 中没有可展示的数据。',
      }),
      fix: hubbleMetricsFix(install, f.hubbleMetrics, { alsoSet: ['hubble.enabled=true'] }),
    });
  } else if (!f.hubbleSeriesPresent) {
    const targets = f.hubbleTargets ?? [];
    const down = targets.filter((x) => x.health !== 'up');
    // a target's lastError names the node's address: admins only
    const lastError = f.revealAddresses ? (down[0]?.lastError ?? '') : null;
    const detail =
      f.hubbleTargets === null
        ? ''
        : targets.length === 0
          ? t(L, {
              en: ` Prometheus has no scrape target on port ${f.hubblePort}.`,
              'zh-CN': ` Prometheus 没有端口 ${f.hubblePort} 的抓取目标。`,
            })
          : down.length > 0
            ? t(L, {
                en: ` ${down.length} target(s) on port ${f.hubblePort} are down${lastError === null ? '.' : `: ${lastError}`}`,
                'zh-CN': ` 端口 ${f.hubblePort} 的 ${down.length} 个抓取目标不可用${lastError === null ? '。' : `：${lastError}`}`,
              })
            : '';
    out.push({
      code: 'NOT_SCRAPED',
      severity: 'error',
      message:
        t(L, {
          en: 'Hubble metrics are enabled but Prometheus holds no hubble_ series.',
          'zh-CN': 'Hubble 指标已启用，但 Prometheus 中没有 hubble_ 开头的指标。',
        }) + detail,
      fix: [
        `kubectl -n ${ns} get service hubble-metrics -o jsonpath='{.metadata.annotations}'`,
        `kubectl -n ${ns} annotate service hubble-metrics prometheus.io/scrape=true prometheus.io/port=${f.hubblePort} --overwrite`,
        `${helmUpgrade(install, ['hubble.metrics.serviceMonitor.enabled=true'])}  # Prometheus Operator`,
      ],
    });
  }

  if (f.hubbleSeriesPresent && f.scope === 'cluster') {
    out.push({
      code: 'NO_CONTEXT_LABELS',
      severity: 'warning',
      message: t(L, {
        en: 'Hubble metrics carry no namespace labels, so a per-namespace view is not possible: figures below are for the whole cluster.',
        'zh-CN': 'Hubble 指标没有命名空间标签，无法按命名空间统计：以下数据为整个集群的数据。',
      }),
      fix: hubbleMetricsFix(install, f.hubbleMetrics),
    });
  } else if (f.scope === 'namespace' && f.unscopedMetrics.length > 0) {
    const list = f.unscopedMetrics.join(', ');
    out.push({
      code: 'NO_CONTEXT_LABELS',
      severity: 'info',
      message: t(L, {
        en: `These Hubble metrics carry no namespace labels and are left empty: ${list}.`,
        'zh-CN': `以下 Hubble 指标没有命名空间标签，相关卡片不显示数据：${list}。`,
      }),
      fix: hubbleMetricsFix(install, f.hubbleMetrics),
    });
  }

  if (f.scrapeIntervalSeconds !== null && f.windowSeconds < 4 * f.scrapeIntervalSeconds) {
    const need = 4 * f.scrapeIntervalSeconds;
    out.push({
      code: 'SCRAPE_TOO_SLOW',
      severity: 'warning',
      message: t(L, {
        en: `Prometheus scrapes Hubble every ${f.scrapeIntervalSeconds}s; a ${f.window} rate window needs at least ${need}s (4 scrapes) or charts show "No data" (cilium/cilium#16148).`,
        'zh-CN': `Prometheus 每 ${f.scrapeIntervalSeconds} 秒抓取一次 Hubble；${f.window} 的速率窗口至少需要 ${need} 秒（4 次抓取），否则图表显示“无数据”（cilium/cilium#16148）。`,
      }),
      fix: [
        `window=${Math.ceil(need / 60)}m`,
        'scrape_interval: 10s  # prometheus.yaml, global or the Hubble job',
      ],
    });
  }

  if (f.hubbleSeriesPresent && !f.httpAvailable) {
    const http = supportsHttpV2(f.ciliumVersion) ? 'httpV2' : 'http';
    out.push({
      code: 'HTTP_METRICS_DISABLED',
      severity: 'info',
      message: t(L, {
        en: `HTTP metrics (${http}) are off; HTTP error ratio and latency need them and an L7 policy that sees HTTP.`,
        'zh-CN': `未启用 HTTP 指标（${http}）；HTTP 错误率和延迟需要它，并需要能看到 HTTP 的 L7 策略。`,
      }),
      fix: hubbleMetricsFix(install, f.hubbleMetrics),
    });
  }

  if (f.failedCards.length > 0) {
    out.push({
      code: 'QUERY_FAILED',
      severity: 'warning',
      message: t(L, {
        en: `Some queries failed (${f.failedCards.map((c) => c.id).join(', ')}): ${f.failedCards[0]?.reason ?? ''}`,
        'zh-CN': `部分查询失败（${f.failedCards.map((c) => c.id).join(', ')}）：${f.failedCards[0]?.reason ?? ''}`,
      }),
      fix: [],
    });
  }
  return out;
}

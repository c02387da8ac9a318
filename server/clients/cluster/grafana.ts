/**
 * What Grafana's own objects say: risks in grafana.ini and the container env, and which Cilium dashboards it has
 * loaded — ConfigMaps mounted into its pod (Cilium's monitoring example) or picked up by the grafana chart's
 * dashboard sidecar (kiwigrid k8s-sidecar: env LABEL, LABEL_VALUE, NAMESPACE; kube-prometheus-stack's default).
 */
import type { RiskCode } from '../../../contract';
import type { SlimConfigMap, SlimService, SlimWorkload } from './objects';

/** Minimal INI reader for grafana.ini: `[section]` + `key = value`, `;`/`#` comments, quotes stripped. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      section = (sec[1] ?? '').trim().toLowerCase();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    let value = line.slice(eq + 1).trim();
    if (/^(["']).*\1$/.test(value) && value.length >= 2) value = value.slice(1, -1);
    (out[section] ??= {})[key] = value;
  }
  return out;
}

/**
 * Grafana risks from grafana.ini and the container's literal env (env wins, as in Grafana):
 * anonymous access with org_role Admin → ANONYMOUS_ADMIN; admin password literally "admin" → DEFAULT_CREDENTIALS.
 */
export function grafanaRisks(ini: string | null, env: Record<string, string>): RiskCode[] {
  const cfg = ini ? parseIni(ini) : {};
  const anonEnabled = env.GF_AUTH_ANONYMOUS_ENABLED ?? cfg['auth.anonymous']?.enabled ?? 'false';
  // Grafana's default anonymous role is Viewer.
  const anonRole = env.GF_AUTH_ANONYMOUS_ORG_ROLE ?? cfg['auth.anonymous']?.org_role ?? 'Viewer';
  const adminUser = env.GF_SECURITY_ADMIN_USER ?? cfg.security?.admin_user ?? 'admin';
  const adminPassword = env.GF_SECURITY_ADMIN_PASSWORD ?? cfg.security?.admin_password;
  const risks: RiskCode[] = [];
  if (anonEnabled.toLowerCase() === 'true' && anonRole.toLowerCase() === 'admin')
    risks.push('ANONYMOUS_ADMIN');
  if (adminUser === 'admin' && adminPassword === 'admin') risks.push('DEFAULT_CREDENTIALS');
  return risks;
}

/** grafana.ini of a Grafana: mounted ConfigMaps first, then `grafana-config` (example), `<release>-grafana` (chart). */
export function findGrafanaIni(
  svc: SlimService,
  workload: SlimWorkload | null,
  configMaps: readonly SlimConfigMap[],
): string | null {
  const inNs = configMaps.filter(
    (c) => c.namespace === svc.namespace && typeof c.data['grafana.ini'] === 'string',
  );
  const mounted = inNs.find((c) => workload?.configMaps.includes(c.name));
  const named = inNs.find((c) => c.name === 'grafana-config' || c.name === svc.name);
  return (mounted ?? named ?? inNs[0])?.data['grafana.ini'] ?? null;
}

/** The grafana chart's dashboard sidecar, as its container env says. */
export interface DashboardSidecar {
  /** LABEL, e.g. "grafana_dashboard". */
  label: string;
  /** LABEL_VALUE, e.g. "1"; null = any value. */
  labelValue: string | null;
  /** NAMESPACE: "ALL", a list, or (unset) Grafana's own namespace. */
  namespaces: 'ALL' | string[];
}

/** The dashboard sidecar container (`<name>-sc-dashboard`, image k8s-sidecar with a dashboards FOLDER), if any. */
export function dashboardSidecar(workload: SlimWorkload | null): DashboardSidecar | null {
  const c = workload?.containers.find(
    (x) =>
      typeof x.env.LABEL === 'string' &&
      (x.name.endsWith('sc-dashboard') ||
        (/k8s-sidecar/.test(x.image) && /dashboard/i.test(x.env.FOLDER ?? ''))),
  );
  if (!c || !workload) return null;
  const ns = (c.env.NAMESPACE ?? '').trim();
  return {
    label: c.env.LABEL ?? '',
    labelValue: c.env.LABEL_VALUE?.trim() ? c.env.LABEL_VALUE.trim() : null,
    namespaces:
      ns.toUpperCase() === 'ALL'
        ? 'ALL'
        : ns === ''
          ? [workload.namespace]
          : ns
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
  };
}

export interface LoadedDashboards {
  /** Cilium dashboard UIDs this Grafana has, e.g. ["vtuWtdumz", "5HftnJAWz"]. */
  uids: string[];
  sidecar: DashboardSidecar | null;
}

/**
 * The Cilium dashboards a Grafana has loaded: UIDs in ConfigMaps mounted into its pod, or in ConfigMaps its
 * sidecar watches (label, value, namespaces). Without a known workload, the Grafana namespace's ConfigMaps count.
 * `notTeam` keeps team namespaces out even when the sidecar watches ALL (a tenant may label a ConfigMap too).
 */
export function loadedDashboards(
  svc: SlimService,
  workload: SlimWorkload | null,
  configMaps: readonly SlimConfigMap[],
  notTeam: (ns: string) => boolean,
): LoadedDashboards {
  const sidecar = dashboardSidecar(workload);
  const watchedBySidecar = (c: SlimConfigMap) =>
    sidecar !== null &&
    c.labels[sidecar.label] !== undefined &&
    (sidecar.labelValue === null || c.labels[sidecar.label] === sidecar.labelValue) &&
    (sidecar.namespaces === 'ALL' || sidecar.namespaces.includes(c.namespace)) &&
    notTeam(c.namespace);
  const mounted = (c: SlimConfigMap) =>
    c.namespace === svc.namespace && (workload ? workload.configMaps.includes(c.name) : true);
  const uids = new Set<string>();
  for (const c of configMaps) {
    if (c.dashboardUids.length > 0 && (mounted(c) || watchedBySidecar(c)))
      for (const u of c.dashboardUids) uids.add(u);
  }
  return { uids: [...uids].sort(), sidecar };
}

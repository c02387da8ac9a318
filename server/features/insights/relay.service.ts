/**
 * Relay connectivity for the panel: ServerStatus + GetNodes, turned into connected/unavailable nodes and
 * diagnoses. Always answers: a relay that cannot be reached is data (reachable: false), never a 5xx.
 */
import type { Locale } from '../../../contract';
import { isUnavailableNodeState } from '../../../contract/names';
import { helmUpgrade } from '../../cilium/fix-commands';
import type { Logger } from '../../log';
import type { RelayConnector } from '../../clients/hubble/relay-client';
import { relayErrorCode } from '../../clients/hubble/relay-client';
import type { GetNodesResponse, ServerStatusResponse } from '../../clients/hubble/schemas';
import type { Diagnosis, RelayStatus } from '../../../contract/insights';

export interface RelayServiceDeps {
  relay: Pick<RelayConnector, 'current' | 'address'>;
  log: Logger;
  /** Namespace Cilium runs in (for the commands in fixes), e.g. "kube-system"; null = unknown. */
  ciliumNamespace?: () => string | null;
  /** Detected Cilium version, e.g. "1.17.5", pinned in the helm fix; null = unknown. */
  ciliumVersion?: () => string | null;
}

export interface RelayStatusView {
  /** Relay's address and the nodes' addresses in the reply: for enterprise admins only (teams get words). */
  revealAddresses?: boolean;
}

export interface RelayService {
  status(locale: Locale, view?: RelayStatusView): Promise<RelayStatus>;
}

export type RelayProblem =
  | { kind: 'not-found' }
  | { kind: 'unreachable'; address: string; grpcCode: string; detail: string }
  | { kind: 'nodes-unavailable'; nodes: string[]; connected: number };

const MESSAGES = {
  en: {
    notFound: 'Hubble Relay was not found in the cluster, so flows cannot be shown.',
    unreachable: (a: string | null, c: string) =>
      a === null
        ? `Hubble Relay cannot be reached (${c}).`
        : `Hubble Relay at ${a} cannot be reached (${c}).`,
    tls: 'If Relay serves TLS (Service port 443), set HUBBLE_RELAY_TLS=on with the Hubble CA and a client certificate.',
    nodes: (n: string[], c: number) =>
      `Relay cannot reach ${n.length} node(s): ${n.join(', ')} (${c} connected); their flows are missing.`,
    checkPeer: 'Check the hubble-peer Service exists and points at the agents (port 443 → 4244).',
    checkPort:
      'Check that TCP 4244 on every node is reachable from the Relay pod (firewalls, security groups).',
    checkTls:
      'Check the Hubble TLS certificates (secret hubble-relay-client-certs) are valid and not expired.',
  },
  'zh-CN': {
    notFound: '集群中未找到 Hubble Relay，无法查看流量。',
    unreachable: (a: string | null, c: string) =>
      a === null ? `无法连接 Hubble Relay（${c}）。` : `无法连接 Hubble Relay（${a}，${c}）。`,
    tls: '如果 Relay 启用了 TLS（Service 端口 443），请设置 HUBBLE_RELAY_TLS=on 并提供 Hubble CA 和客户端证书。',
    nodes: (n: string[], c: number) =>
      `Relay 无法连接 ${n.length} 个节点：${n.join('、')}（已连接 ${c} 个），这些节点的流量缺失。`,
    checkPeer: '检查 hubble-peer Service 是否存在并指向各节点的 agent（端口 443 → 4244）。',
    checkPort: '检查 Relay Pod 能否访问每个节点的 TCP 4244 端口（防火墙、安全组）。',
    checkTls: '检查 Hubble TLS 证书（secret hubble-relay-client-certs）是否有效、未过期。',
  },
} as const;

/**
 * Pure: the diagnoses for what went wrong, in the caller's language, with commands that fix or inspect it.
 * Without `revealAddresses` they say what is wrong without naming Relay's address.
 */
export function relayDiagnoses(
  problems: RelayProblem[],
  locale: Locale,
  ns: string | null,
  ciliumVersion: string | null = null,
  view: RelayStatusView = { revealAddresses: true },
): Diagnosis[] {
  const m = MESSAGES[locale];
  const n = ns ?? 'kube-system';
  return problems.map((p): Diagnosis => {
    switch (p.kind) {
      case 'not-found':
        return {
          code: 'RELAY_NOT_FOUND',
          severity: 'error',
          message: m.notFound,
          fix: [
            helmUpgrade({ version: ciliumVersion, namespace: n }, [
              'hubble.enabled=true',
              'hubble.relay.enabled=true',
            ]),
            'cilium hubble enable',
          ],
        };
      case 'unreachable': {
        const tlsLikely = p.address.endsWith(':443') || /ssl|tls|handshake|certificate/i.test(p.detail);
        return {
          code: 'RELAY_UNREACHABLE',
          severity: 'error',
          message:
            m.unreachable(view.revealAddresses ? p.address : null, p.grpcCode) +
            (tlsLikely ? ` ${m.tls}` : ''),
          fix: [
            `kubectl -n ${n} get pods -l k8s-app=hubble-relay`,
            `kubectl -n ${n} logs deploy/hubble-relay --tail=50`,
            `kubectl -n ${n} get svc hubble-relay -o wide`,
          ],
        };
      }
      case 'nodes-unavailable':
        return {
          code: 'NODES_UNAVAILABLE',
          severity: p.connected === 0 ? 'error' : 'warning',
          message: `${m.nodes(p.nodes, p.connected)} ${m.checkPeer} ${m.checkPort} ${m.checkTls}`,
          fix: [
            `kubectl -n ${n} get svc hubble-peer -o yaml`,
            `kubectl -n ${n} logs deploy/hubble-relay --tail=100 | grep -i peer`,
            `kubectl -n ${n} get secret hubble-relay-client-certs hubble-server-certs`,
            'cilium hubble disable && cilium hubble enable --relay  # re-issues the Hubble certificates',
          ],
        };
    }
  });
}

/** Cilium version "1.17.5+g…" / "v1.14.2" → minor, or null. */
export function versionMinor(v: string): number | null {
  const m = /^v?1\.(\d+)\./.exec(v.trim());
  return m ? Number(m[1]) : null;
}

/** Pure: ServerStatus + GetNodes → RelayStatus (without diagnoses). */
export function toRelayStatus(
  address: string,
  status: ServerStatusResponse,
  nodes: GetNodesResponse | null,
): Omit<RelayStatus, 'diagnoses'> {
  const nodeViews = (nodes?.nodes ?? []).map((n) => ({
    name: n.name,
    state: n.state,
    version: n.version,
    address: n.address,
    tls: n.tls?.enabled ?? false,
  }));
  const unavailable = new Set(status.unavailable_nodes);
  for (const n of nodeViews) if (isUnavailableNodeState(n.state)) unavailable.add(n.name);
  const connected =
    status.num_connected_nodes?.value ?? nodeViews.filter((n) => n.state === 'NODE_CONNECTED').length;
  const minor = versionMinor(status.version);
  return {
    address,
    found: true,
    reachable: true,
    version: status.version || null,
    connectedNodes: connected,
    unavailableNodes: [...unavailable].sort(),
    numFlows: status.num_flows,
    maxFlows: status.max_flows,
    // flows_rate exists since 1.15; older relays send nothing (decoded as 0), so 0 there means unknown.
    flowsRate: minor !== null && minor < 15 ? null : status.flows_rate,
    nodes: nodeViews,
  };
}

export function createRelayService(deps: RelayServiceDeps): RelayService {
  const log = deps.log.child({ feature: 'insights.relay' });
  const ns = () => deps.ciliumNamespace?.() ?? null;
  const empty = (address: string | null): Omit<RelayStatus, 'diagnoses'> => ({
    address,
    found: address !== null,
    reachable: false,
    version: null,
    connectedNodes: 0,
    unavailableNodes: [],
    numFlows: 0,
    maxFlows: 0,
    flowsRate: null,
    nodes: [],
  });

  return {
    async status(locale, view = {}) {
      const reply = await statusOf(locale, view);
      return view.revealAddresses ? reply : withoutAddresses(reply);
    },
  };

  async function statusOf(locale: Locale, view: RelayStatusView): Promise<RelayStatus> {
    const client = deps.relay.current();
    if (!client)
      return {
        ...empty(null),
        diagnoses: relayDiagnoses(
          [{ kind: 'not-found' }],
          locale,
          ns(),
          deps.ciliumVersion?.() ?? null,
          view,
        ),
      };
    const [st, nodes] = await Promise.allSettled([client.serverStatus(), client.getNodes()]);
    if (st.status === 'rejected') {
      const grpcCode = relayErrorCode(st.reason) ?? 'UNKNOWN';
      const detail = st.reason instanceof Error ? st.reason.message : String(st.reason);
      log.warn('relay unreachable', { address: client.address, grpcCode });
      return {
        ...empty(client.address),
        diagnoses: relayDiagnoses(
          [{ kind: 'unreachable', address: client.address, grpcCode, detail }],
          locale,
          ns(),
          null,
          view,
        ),
      };
    }
    if (nodes.status === 'rejected')
      log.warn('relay GetNodes failed; node list omitted', { code: relayErrorCode(nodes.reason) });
    const status = toRelayStatus(client.address, st.value, nodes.status === 'fulfilled' ? nodes.value : null);
    const problems: RelayProblem[] = status.unavailableNodes.length
      ? [{ kind: 'nodes-unavailable', nodes: status.unavailableNodes, connected: status.connectedNodes }]
      : [];
    return { ...status, diagnoses: relayDiagnoses(problems, locale, ns(), null, view) };
  }
}

/** Pure: a reply for a team: no Relay address, no node addresses (the logs keep both). */
export function withoutAddresses(s: RelayStatus): RelayStatus {
  return { ...s, address: null, nodes: s.nodes.map((n) => ({ ...n, address: '' })) };
}

/**
 * Cilium's DropReason names (flow.proto) in words, zh-CN and en: a flow's `explanation.text` and a map edge's
 * `dropReasonTexts`, in the request's language. Unknown names fall back to a generic line.
 */
import type { Locale } from '../../contract/common';

interface Words {
  en: string;
  'zh-CN': string;
}

/** Drop reasons decided by network policy: the ones the deciding policy is looked for. */
export const POLICY_DROP_REASONS: readonly string[] = ['POLICY_DENIED', 'POLICY_DENY', 'AUTH_REQUIRED'];

export const DROP_REASON_WORDS: Record<string, Words> = {
  POLICY_DENIED: {
    en: 'No network policy allows this traffic: the pod is selected by a policy for this direction, and none of its rules matches (default deny).',
    'zh-CN': '没有网络策略允许这段流量：该 Pod 在这个方向上被某个策略选中，而其规则都不匹配（默认拒绝）。',
  },
  POLICY_DENY: {
    en: 'An explicit deny rule of a network policy (ingressDeny / egressDeny) matched this traffic.',
    'zh-CN': '网络策略中的显式拒绝规则（ingressDeny / egressDeny）匹配了这段流量。',
  },
  AUTH_REQUIRED: {
    en: 'The policy requires mutual authentication (authentication.mode: required) and the peers are not authenticated yet.',
    'zh-CN': '策略要求双向认证（authentication.mode: required），而通信双方尚未完成认证。',
  },
  STALE_OR_UNROUTABLE_IP: {
    en: 'The packet used an IP address Cilium no longer knows (a deleted or restarted pod, or a stale DNS / connection cache).',
    'zh-CN': '数据包使用了 Cilium 已不再识别的 IP（Pod 已删除或重建，或 DNS/连接缓存过期）。',
  },
  CT_MAP_INSERTION_FAILED: {
    en: "Cilium's connection-tracking table is full, so the new connection could not be recorded.",
    'zh-CN': 'Cilium 的连接跟踪表已满，新连接无法被记录。',
  },
  CT_MISSING_TCP_ACK_FLAG: {
    en: 'A TCP packet without the ACK flag arrived for a connection Cilium did not see start (often after a restart).',
    'zh-CN': '收到的 TCP 包缺少 ACK 标志，且 Cilium 没有看到这个连接的建立（常见于重启之后）。',
  },
  CT_TRUNCATED_OR_INVALID_HEADER: {
    en: 'The packet header was truncated or invalid.',
    'zh-CN': '数据包头被截断或无效。',
  },
  CT_UNKNOWN_L4_PROTOCOL: {
    en: 'Connection tracking does not know this L4 protocol.',
    'zh-CN': '连接跟踪不认识这个四层协议。',
  },
  UNKNOWN_L3_TARGET_ADDRESS: {
    en: 'The destination address is not known to Cilium on this node.',
    'zh-CN': '目标地址在本节点的 Cilium 中未知。',
  },
  UNKNOWN_L4_PROTOCOL: {
    en: 'The L4 protocol is not supported by the policy or datapath.',
    'zh-CN': '策略或数据路径不支持这个四层协议。',
  },
  UNSUPPORTED_L3_PROTOCOL: {
    en: 'The L3 protocol is not supported (e.g. IPv6 traffic with IPv6 disabled).',
    'zh-CN': '不支持的三层协议（例如关闭了 IPv6 时的 IPv6 流量）。',
  },
  INVALID_SOURCE_IP: {
    en: 'The source IP does not belong to the sending pod (spoofed or misconfigured address).',
    'zh-CN': '源 IP 不属于发送的 Pod（地址伪造或配置错误）。',
  },
  INVALID_PACKET_DROPPED: {
    en: 'The packet was malformed.',
    'zh-CN': '数据包格式错误。',
  },
  SERVICE_BACKEND_NOT_FOUND: {
    en: 'The Service has no ready backend (no ready endpoints behind it).',
    'zh-CN': '该 Service 没有可用的后端（没有就绪的 Endpoint）。',
  },
  NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT: {
    en: 'No tunnel endpoint is known for the destination node.',
    'zh-CN': '目标节点没有已知的隧道端点。',
  },
  FIB_LOOKUP_FAILED: {
    en: 'The kernel found no route for the packet.',
    'zh-CN': '内核没有为该数据包找到路由。',
  },
  DENIED_BY_LB_SRC_RANGE_CHECK: {
    en: "The client's address is outside the Service's loadBalancerSourceRanges.",
    'zh-CN': '客户端地址不在 Service 的 loadBalancerSourceRanges 范围内。',
  },
  UNENCRYPTED_TRAFFIC: {
    en: 'Encryption is enforced and this packet was not encrypted.',
    'zh-CN': '已强制加密，而这个数据包未加密。',
  },
  TTL_EXCEEDED: {
    en: 'The packet TTL ran out (a routing loop or too many hops).',
    'zh-CN': '数据包 TTL 耗尽（路由环路或跳数过多）。',
  },
  DROP_RATE_LIMITED: {
    en: 'The packet exceeded a rate limit.',
    'zh-CN': '数据包超出了速率限制。',
  },
  DROP_HOST_NOT_READY: {
    en: "The node's Cilium agent was not ready yet.",
    'zh-CN': '节点上的 Cilium agent 尚未就绪。',
  },
  DROP_EP_NOT_READY: {
    en: 'The pod was not ready in Cilium yet (its endpoint was still being set up).',
    'zh-CN': 'Pod 在 Cilium 中尚未就绪（其 endpoint 仍在创建）。',
  },
  NO_EGRESS_GATEWAY: {
    en: 'An egress gateway policy matched but no gateway node is available.',
    'zh-CN': '匹配了出口网关策略，但没有可用的网关节点。',
  },
  IS_A_CLUSTERIP: {
    en: 'The traffic was sent to a ClusterIP from outside the cluster, where it does not exist.',
    'zh-CN': '流量从集群外发往 ClusterIP，而 ClusterIP 在集群外不存在。',
  },
  PROXY_REDIRECTION_NOT_SUPPORTED_FOR_PROTOCOL: {
    en: 'An L7 policy asked to redirect this protocol to the proxy, which the proxy does not support.',
    'zh-CN': 'L7 策略要求将该协议重定向到代理，而代理不支持该协议。',
  },
};

const FALLBACK: Words = {
  en: 'Cilium dropped the packet ({reason}).',
  'zh-CN': 'Cilium 丢弃了该数据包（{reason}）。',
};

/** The reason in words, e.g. ("POLICY_DENY", "en") → "An explicit deny rule …"; unknown → a generic line. */
export function dropReasonText(reason: string, locale: Locale): string {
  return (DROP_REASON_WORDS[reason] ?? FALLBACK)[locale].replace('{reason}', reason);
}

export const isPolicyDrop = (reason: string | null): boolean =>
  reason !== null && POLICY_DROP_REASONS.includes(reason);

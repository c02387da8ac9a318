/**
 * Where Hubble Relay is and whether to dial it with TLS. The chart's Relay Service listens on 80, or on 443 when
 * Relay serves TLS (`hubble.relay.tls.server.enabled`).
 */

/** HUBBLE_RELAY_TLS: "auto" = TLS when the Relay port is 443, "on" = always TLS, "off" = never. */
export const RELAY_TLS_MODES = ['auto', 'on', 'off'] as const;
export type RelayTlsMode = (typeof RELAY_TLS_MODES)[number];

/**
 * Relay address: the HUBBLE_RELAY_ADDR override, else the cluster's hubble-relay Service,
 * e.g. { namespace: "kube-system", name: "hubble-relay", port: 80 } → "hubble-relay.kube-system.svc:80".
 */
export function resolveRelayAddress(
  override: string | undefined,
  service: { namespace: string; name: string; port: number } | null,
): string | null {
  if (override) return override;
  if (!service) return null;
  return `${service.name}.${service.namespace}.svc:${service.port}`;
}

/** Whether to dial `address` (host:port) with TLS, e.g. ("auto", "hubble-relay.kube-system.svc:443") → true. */
export function relayUsesTls(mode: RelayTlsMode, address: string): boolean {
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  return address.endsWith(':443');
}

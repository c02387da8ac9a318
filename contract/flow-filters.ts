/**
 * The flow filter values of the insights contract, without zod, so the panel can import the values themselves.
 * insights.contract.ts builds its schemas from these.
 */

/** Hubble's Verdict enum names a client may filter by, e.g. "DROPPED". */
export const FLOW_VERDICTS = [
  'FORWARDED',
  'DROPPED',
  'ERROR',
  'AUDIT',
  'REDIRECTED',
  'TRACED',
  'TRANSLATED',
] as const;
export type FlowVerdict = (typeof FLOW_VERDICTS)[number];

/** L4/L7 protocols as Hubble's FlowFilter.protocol understands them. */
export const FLOW_PROTOCOLS = ['tcp', 'udp', 'icmp', 'sctp', 'dns', 'http'] as const;
export type FlowProtocol = (typeof FLOW_PROTOCOLS)[number];

/** flow.Verdict enum numbers (flow.proto: FORWARDED = 1 … TRANSLATED = 7), used in Hubble UI URLs, e.g. `verdicts=2`. */
export const VERDICT_NUMBER: Record<FlowVerdict, number> = {
  FORWARDED: 1,
  DROPPED: 2,
  ERROR: 3,
  AUDIT: 4,
  REDIRECTED: 5,
  TRACED: 6,
  TRANSLATED: 7,
};

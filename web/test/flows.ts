/** FlowView builders for panel tests: every field the contract has, overridable, e.g. flowView({ verdict: 'DROPPED' }). */
import type { FlowView } from '../../contract/insights';

export const endpoint = (over: Partial<FlowView['source']> = {}): FlowView['source'] => ({
  namespace: '',
  pod: '',
  workload: '',
  labels: [],
  ip: '',
  names: [],
  identity: 0,
  component: null,
  workloadKind: '',
  service: '',
  ...over,
});

export const flowView = (over: Partial<FlowView> = {}): FlowView => ({
  time: '2026-01-01T00:00:01Z',
  node: 'n1',
  verdict: 'FORWARDED',
  dropReason: null,
  direction: 'egress',
  isReply: false,
  source: endpoint({ namespace: 'dev', pod: 'web-1' }),
  destination: endpoint({ ip: '1.1.1.1' }),
  l4: { protocol: 'TCP', sourcePort: 4000, destinationPort: 443, flags: [] },
  l7: null,
  summary: 's',
  uuid: '',
  traceObservationPoint: '',
  type: 'L3_L4',
  policy: null,
  explanation: null,
  ...over,
});

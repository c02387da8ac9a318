import { describe, expect, it } from 'vitest';
import { GetNodesResponseSchema, ServerStatusResponseSchema } from '../../clients/hubble/schemas';
import {
  relayDiagnoses,
  toRelayStatus,
  versionMinor,
  withoutAddresses,
  type RelayProblem,
} from './relay.service';

describe('relayDiagnoses', () => {
  it.each<[RelayProblem, string, string, RegExp, RegExp]>([
    [{ kind: 'not-found' }, 'RELAY_NOT_FOUND', 'error', /not found/, /未找到/],
    [
      {
        kind: 'unreachable',
        address: 'hubble-relay.kube-system.svc:80',
        grpcCode: 'UNAVAILABLE',
        detail: 'ECONNREFUSED',
      },
      'RELAY_UNREACHABLE',
      'error',
      /hubble-relay\.kube-system\.svc:80 cannot be reached \(UNAVAILABLE\)\.$/,
      /无法连接/,
    ],
    [
      { kind: 'unreachable', address: 'hubble-relay.cilium.svc:443', grpcCode: 'UNAVAILABLE', detail: 'x' },
      'RELAY_UNREACHABLE',
      'error',
      /HUBBLE_RELAY_TLS=on/,
      /HUBBLE_RELAY_TLS=on/,
    ],
    [
      { kind: 'nodes-unavailable', nodes: ['n2', 'n3'], connected: 1 },
      'NODES_UNAVAILABLE',
      'warning',
      /2 node\(s\): n2, n3 \(1 connected\).*hubble-peer.*4244.*certificates/,
      /2 个节点：n2、n3.*4244/,
    ],
    [
      { kind: 'nodes-unavailable', nodes: ['n1'], connected: 0 },
      'NODES_UNAVAILABLE',
      'error',
      /1 node\(s\)/,
      /1 个节点/,
    ],
  ])('%j → %s (%s)', (problem, code, severity, en, zh) => {
    const [d] = relayDiagnoses([problem], 'en', 'cilium');
    expect(d).toMatchObject({ code, severity });
    expect(d!.message).toMatch(en);
    expect(d!.fix.length).toBeGreaterThan(0);
    expect(d!.fix.join('\n')).toMatch(/-n cilium|cilium hubble/);
    expect(relayDiagnoses([problem], 'zh-CN', null)[0]!.message).toMatch(zh);
  });

  it('says Relay cannot be reached without its address when the reply is not for an admin', () => {
    const problem: RelayProblem = {
      kind: 'unreachable',
      address: 'hubble-relay.kube-system.svc:443',
      grpcCode: 'UNAVAILABLE',
      detail: 'x',
    };
    const [en] = relayDiagnoses([problem], 'en', null, null, { revealAddresses: false });
    expect(en!.message).toMatch(/^Hubble Relay cannot be reached \(UNAVAILABLE\)\. If Relay serves TLS/);
    const [zh] = relayDiagnoses([problem], 'zh-CN', null, null, { revealAddresses: false });
    expect(zh!.message).toMatch(/^无法连接 Hubble Relay（UNAVAILABLE）。/);
    expect(JSON.stringify([en, zh])).not.toContain('hubble-relay.kube-system.svc');
  });

  it('uses kube-system in commands when the Cilium namespace is unknown', () => {
    expect(relayDiagnoses([{ kind: 'not-found' }], 'en', null)[0]!.fix[0]).toContain(
      '--namespace kube-system',
    );
  });

  it('pins the helm upgrade that enables Relay to the detected Cilium version', () => {
    expect(relayDiagnoses([{ kind: 'not-found' }], 'en', 'cilium', '1.16.3')[0]!.fix[0]).toBe(
      'helm upgrade cilium cilium/cilium --version 1.16.3 --namespace cilium --reuse-values --set hubble.enabled=true --set hubble.relay.enabled=true',
    );
    expect(relayDiagnoses([{ kind: 'not-found' }], 'en', null)[0]!.fix[0]).toContain(
      '--version <CILIUM_VERSION>',
    );
  });
});

describe('toRelayStatus', () => {
  const nodes = GetNodesResponseSchema.parse({
    nodes: [
      { name: 'a', version: 'v1.17.5', address: '10.0.0.1', state: 'NODE_CONNECTED', tls: { enabled: true } },
      { name: 'b', state: 'NODE_ERROR' },
      { name: 'c', state: 'NODE_GONE' },
    ],
  });

  it.each([
    [
      'wrapped counts and flows_rate (1.17)',
      { version: '1.17.5+g1', num_connected_nodes: { value: 1 }, unavailable_nodes: ['b'], flows_rate: 12.5 },
      { connectedNodes: 1, unavailableNodes: ['b'], flowsRate: 12.5, version: '1.17.5+g1' },
    ],
    [
      'no wrapper → counted from nodes; 1.14 has no flows_rate',
      { version: 'v1.14.2', num_flows: 100, max_flows: 8190 },
      { connectedNodes: 1, unavailableNodes: ['b'], flowsRate: null, numFlows: 100, maxFlows: 8190 },
    ],
  ])('%s', (_name, status, expected) => {
    const view = toRelayStatus('r:80', ServerStatusResponseSchema.parse(status), nodes);
    expect(view).toMatchObject({ address: 'r:80', reachable: true, ...expected });
    expect(view.nodes[0]).toEqual({
      name: 'a',
      state: 'NODE_CONNECTED',
      version: 'v1.17.5',
      address: '10.0.0.1',
      tls: true,
    });
  });

  it('withoutAddresses drops the Relay and node addresses and keeps the rest', () => {
    const view = {
      ...toRelayStatus('r:80', ServerStatusResponseSchema.parse({ version: '1.17.5' }), nodes),
      diagnoses: [],
    };
    const team = withoutAddresses(view);
    expect(team).toMatchObject({ address: null, found: true, reachable: true, connectedNodes: 1 });
    expect(team.nodes.map((n) => [n.name, n.address])).toEqual([
      ['a', ''],
      ['b', ''],
      ['c', ''],
    ]);
  });

  it.each([
    ['1.17.5+g0123456', 17],
    ['v1.14.2', 14],
    ['', null],
    ['dev', null],
  ])('versionMinor(%j) = %s', (v, m) => expect(versionMinor(v)).toBe(m));
});

import { describe, expect, it } from 'vitest';
import { relayUsesTls, resolveRelayAddress } from './relay';

describe('resolveRelayAddress', () => {
  it.each([
    ['relay.test:4245', null, 'relay.test:4245'],
    [
      undefined,
      { namespace: 'kube-system', name: 'hubble-relay', port: 80 },
      'hubble-relay.kube-system.svc:80',
    ],
    [undefined, { namespace: 'cilium', name: 'hubble-relay', port: 443 }, 'hubble-relay.cilium.svc:443'],
    ['override:80', { namespace: 'kube-system', name: 'hubble-relay', port: 80 }, 'override:80'],
    [undefined, null, null],
  ])('override %j + service %j → %j', (override, svc, out) =>
    expect(resolveRelayAddress(override, svc)).toBe(out),
  );
});

describe('relayUsesTls', () => {
  it.each([
    ['auto', 'hubble-relay.kube-system.svc:80', false],
    ['auto', 'hubble-relay.kube-system.svc:443', true],
    ['on', 'relay:4245', true],
    ['off', 'relay:443', false],
  ] as const)('%s on %s → %s', (mode, address, tls) => {
    expect(relayUsesTls(mode, address)).toBe(tls);
  });
});

import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log';
import {
  createRelayConnector,
  resolveRelayAddress,
  type RelayClient,
  type RelayClientOptions,
} from './relay-client';

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

describe('createRelayConnector', () => {
  function recording() {
    const made: RelayClientOptions[] = [];
    const closed: string[] = [];
    const createClient = (o: RelayClientOptions): RelayClient => {
      made.push(o);
      return {
        address: o.address,
        tls: Boolean(o.tls),
        serverStatus: () => Promise.reject(new Error('unused')),
        getNodes: () => Promise.reject(new Error('unused')),
        getFlows: () => ({ [Symbol.asyncIterator]: async function* () {} })[Symbol.asyncIterator](),
        close: () => closed.push(o.address),
      };
    };
    return { made, closed, createClient };
  }

  it('reuses the channel while the address is stable and re-creates it when it changes', () => {
    const r = recording();
    let addr: string | null = 'a:80';
    const c = createRelayConnector({
      getRelayAddress: () => addr,
      log: silentLogger,
      createClient: r.createClient,
    });
    expect(c.current()?.address).toBe('a:80');
    expect(c.current()?.address).toBe('a:80');
    expect(r.made).toHaveLength(1);
    addr = 'b:80';
    expect(c.current()?.address).toBe('b:80');
    expect(r.closed).toEqual(['a:80']);
    addr = null;
    expect(c.current()).toBeNull();
    expect(r.closed).toEqual(['a:80', 'b:80']);
  });

  it.each([
    ['auto', 'hubble-relay.kube-system.svc:80', false],
    ['auto', 'hubble-relay.kube-system.svc:443', true],
    [true, 'relay:4245', true],
    [false, 'relay:443', false],
  ] as const)('useTls=%s on %s → tls %s', (useTls, address, tls) => {
    const r = recording();
    const c = createRelayConnector({
      getRelayAddress: () => address,
      useTls,
      tls: { serverName: 'ui.hubble-relay.cilium.io' },
      log: silentLogger,
      createClient: r.createClient,
    });
    expect(c.current()?.tls).toBe(tls);
    if (tls) expect(r.made[0]!.tls).toEqual({ serverName: 'ui.hubble-relay.cilium.io' });
  });
});

import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log';
import { createRelayConnector, type RelayClient, type RelayClientOptions } from './relay-client';

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
    [undefined, 'hubble-relay.kube-system.svc:80', false],
    [undefined, 'hubble-relay.kube-system.svc:443', true],
    ['on', 'relay:4245', true],
    ['off', 'relay:443', false],
  ] as const)('tlsMode=%s on %s → tls %s', (tlsMode, address, tls) => {
    const r = recording();
    const c = createRelayConnector({
      getRelayAddress: () => address,
      ...(tlsMode ? { tlsMode } : {}),
      tls: { serverName: 'ui.hubble-relay.cilium.io' },
      log: silentLogger,
      createClient: r.createClient,
    });
    expect(c.current()?.tls).toBe(tls);
    if (tls) expect(r.made[0]!.tls).toEqual({ serverName: 'ui.hubble-relay.cilium.io' });
  });
});

import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log';
import type { RelayClient, RelayConnector } from '../../clients/hubble/relay-client';
import { roundTripGetFlowsResponse } from '../../clients/hubble/proto';
import {
  GetFlowsResponseSchema,
  type GetFlowsRequest,
  type GetFlowsResponse,
} from '../../clients/hubble/schemas';
import { podEndpoint, tcpFlow } from '../../../test/fakes/hubble-relay';
import { eventually } from '../../../test/support/eventually';
import { createMapFlowSource } from './map.source';

const msg = (src: string, dst: string): GetFlowsResponse =>
  GetFlowsResponseSchema.parse(
    roundTripGetFlowsResponse({
      flow: tcpFlow({
        timeMs: Date.now(),
        source: podEndpoint({ namespace: src, app: 'a' }),
        destination: podEndpoint({ namespace: dst, app: 'b' }),
      }),
    }),
  );

/** A relay answering every GetFlows with these messages after `gate` resolves; records the requests. */
function stubRelay(messages: GetFlowsResponse[]) {
  const requests: GetFlowsRequest[] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((r) => (release = r));
  const client = {
    address: 'stub',
    tls: false,
    async *getFlows(req: GetFlowsRequest) {
      requests.push(req);
      await gate;
      yield* messages;
    },
  } as unknown as RelayClient;
  const relay: Pick<RelayConnector, 'current'> = { current: () => client };
  return {
    relay,
    requests,
    open: () => release(),
    close: () => (gate = new Promise<void>((r) => (release = r))),
  };
}

describe('map flow source', () => {
  const flows = [msg('a', 'a'), msg('a', 'b'), msg('b', 'b'), msg('c', 'c')];

  it('asks arriving together share one read; each namespace gets only its flows', async () => {
    const r = stubRelay(flows);
    const src = createMapFlowSource({ relay: r.relay, log: silentLogger });
    const reads = ['a', 'b'].map((namespace) => src.read({ namespace, windowMs: 300_000 }));
    r.open();
    const [a, b] = await Promise.all(reads);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]?.whitelist?.map((w) => w.source_pod ?? w.destination_pod)).toEqual([
      ['a/', 'b/'],
      ['a/', 'b/'],
    ]);
    expect(r.requests[0]?.since?.seconds).toBeGreaterThan(Date.now() / 1000 - 301);
    expect(a?.flowsSeen).toBe(2);
    expect(b?.flowsSeen).toBe(2);
    expect(b?.views.every((v) => v.source.namespace === 'b' || v.destination.namespace === 'b')).toBe(true);
  });

  it('asks arriving while a read runs wait for one more read together; answers are reused briefly', async () => {
    const r = stubRelay(flows);
    const src = createMapFlowSource({ relay: r.relay, log: silentLogger });
    const first = src.read({ namespace: 'a', windowMs: 60_000 });
    await eventually(() => r.requests.length === 1, 'the first read running');
    const late = ['b', 'c'].map((namespace) => src.read({ namespace, windowMs: 60_000 }));
    r.open();
    await Promise.all([first, ...late]);
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]?.whitelist?.[0]?.source_pod).toEqual(['b/', 'c/']);
    await src.read({ namespace: 'a', windowMs: 60_000 });
    expect(r.requests).toHaveLength(2);
    expect(src.relayCalls()).toBe(2);
  });

  it('a different window or verdict is another read', async () => {
    const r = stubRelay(flows);
    r.open();
    const src = createMapFlowSource({ relay: r.relay, log: silentLogger });
    await Promise.all([
      src.read({ namespace: 'a', windowMs: 60_000 }),
      src.read({ namespace: 'a', windowMs: 300_000 }),
      src.read({ namespace: 'a', windowMs: 60_000, verdict: 'DROPPED' }),
    ]);
    expect(r.requests).toHaveLength(3);
  });
});

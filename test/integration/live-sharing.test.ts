/**
 * Live flows through the production wiring: browsers following the same team and filters share one Relay
 * stream; other filters get their own; the Relay stream is cancelled when the last browser leaves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import {
  openSse,
  podEndpoint,
  sandboxRelay,
  startFakeRelay,
  tcpFlow,
  type FakeRelay,
} from '../fakes/hubble-relay';
import { eventually } from '../support/eventually';
import { startStack, TEST_USERS, type Stack } from '../support/stack';

let relay: FakeRelay;
let s: Stack;
const lines: string[] = [];
beforeAll(async () => {
  relay = await startFakeRelay(sandboxRelay(['dev-team', 'shop', 'other-team']));
  const users = [
    ...TEST_USERS,
    // Per-user stream caps apply, so a few more members of dev-team.
    ...[3, 4, 5].map((id) => ({
      user_id: id,
      nick_name: `dev${id}`,
      teams: [{ team_name: 'dev-team', namespace: 'dev-team', regions: ['rainbond'] }],
    })),
  ];
  s = await startStack({
    users,
    env: { HUBBLE_RELAY_ADDR: relay.address },
    log: createLogger('info', (l) => lines.push(l)),
  });
});
afterAll(async () => {
  await s?.close();
  await relay?.close();
});

it('serves four browsers of one team from one Relay stream and cancels it when the last one leaves', async () => {
  const followsBefore = relay.flowsRequests().filter((r) => r.follow).length;
  const url = s.api('insights/flows?follow=true');
  const conns = await Promise.all(
    ['alice', 'dev3', 'dev4', 'dev5'].map((u) => openSse(url, { Authorization: `GRJWT ${s.token(u)}` })),
  );
  expect(conns.map((c) => c.status)).toEqual([200, 200, 200, 200]);
  await Promise.all(conns.map((c) => c.waitFor((e) => e.event === 'flow', 8000)));
  expect(relay.flowsRequests().filter((r) => r.follow).length - followsBefore).toBe(1);
  expect(relay.activeStreams()).toBe(1);

  // Every browser sees only its team's namespace.
  for (const c of conns) {
    for (const e of c.events.filter((x) => x.event === 'flow')) {
      const f = JSON.parse(e.data) as { source: { namespace: string }; destination: { namespace: string } };
      expect([f.source.namespace, f.destination.namespace]).toContain('dev-team');
    }
  }

  // Another filter is another stream.
  const dropped = await openSse(s.api('insights/flows?follow=true&verdict=DROPPED'), {
    Authorization: `GRJWT ${s.token('alice')}`,
  });
  await eventually(() => expect(relay.activeStreams()).toBe(2), 'a second Relay stream');

  const cancelledBefore = relay.cancelledStreams();
  const closedStreams = () => lines.filter((l) => l.includes('"msg":"live flow stream closed"')).length;
  const closedBefore = closedStreams();
  for (const c of conns.slice(0, 3)) c.close();
  // The backend logs a close once that browser has left the shared stream; after three, a flow pushed now must
  // still reach the fourth browser over the same Relay stream.
  await eventually(() => closedStreams() - closedBefore >= 3, 'the backend to close three streams');
  const marker = podEndpoint({ namespace: 'dev-team', app: 'after-close' });
  relay.push(tcpFlow({ timeMs: Date.now(), source: marker, destination: marker }));
  await eventually(
    () => conns[3]!.events.some((e) => e.event === 'flow' && e.data.includes('after-close-')),
    'the fourth browser to get a flow pushed after the three closes',
  );
  expect(relay.activeStreams()).toBe(2);
  expect(relay.cancelledStreams()).toBe(cancelledBefore);
  conns[3]!.close();
  dropped.close();
  await eventually(() => expect(relay.activeStreams()).toBe(0), 'every Relay stream cancelled');
  expect(relay.cancelledStreams() - cancelledBefore).toBe(2);
});

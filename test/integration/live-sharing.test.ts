/**
 * Live flows through the production wiring: browsers following the same team and filters share one Relay
 * stream; other filters get their own; the Relay stream is cancelled when the last browser leaves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSse, sandboxRelay, startFakeRelay, type FakeRelay } from '../fakes/hubble-relay';
import { startStack, TEST_USERS, type Stack } from '../support/stack';

let relay: FakeRelay;
let s: Stack;
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
  s = await startStack({ users, env: { HUBBLE_RELAY_ADDR: relay.address } });
});
afterAll(async () => {
  await s?.close();
  await relay?.close();
});

const until = async (pred: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(pred()).toBe(true);
};

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
  await until(() => relay.activeStreams() === 2);

  const cancelledBefore = relay.cancelledStreams();
  for (const c of conns.slice(0, 3)) c.close();
  await new Promise((r) => setTimeout(r, 300));
  expect(relay.activeStreams()).toBe(2);
  conns[3]!.close();
  dropped.close();
  await until(() => relay.activeStreams() === 0);
  expect(relay.cancelledStreams() - cancelledBefore).toBe(2);
});

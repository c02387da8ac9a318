/**
 * The insights' bounds through the production wiring (server/wiring.ts) over real HTTP, against the fake console,
 * the fake Kubernetes API and a loopback Relay: a live stream ends soon after its user leaves the team; the
 * process-wide stream cap answers 429 with Retry-After; recent flows are shared per (namespace, filters);
 * Relay's and Prometheus's addresses reach enterprise admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayStatusSchema, SummarySchema } from '../../contract/insights';
import { openSse, sandboxRelay, startFakeRelay, type FakeRelay } from '../fakes/hubble-relay';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let relay: FakeRelay;
let s: Stack;
beforeAll(async () => {
  relay = await startFakeRelay(sandboxRelay(['dev-team', 'shop', 'other-team']));
  s = await startStack({
    env: {
      HUBBLE_RELAY_ADDR: relay.address,
      // seconds instead of the default 240 s + 10 s, so the test runs in seconds
      SSE_RECHECK_SECONDS: '1',
      AUTH_CACHE_SECONDS: '1',
      SSE_MAX_TOTAL: '2',
      FLOWS_CACHE_SECONDS: '30',
    },
  });
});
afterAll(async () => {
  await s?.close();
  await relay?.close();
});

const auth = (user: string) => ({ Authorization: `GRJWT ${s.token(user)}` });
const get = (path: string, user: string, team?: string) => fetch(s.api(path, team), { headers: auth(user) });

describe('live flow streams', () => {
  it('ends with `end` (reason "membership") within the re-check interval of the user leaving the team', async () => {
    const conn = await openSse(s.api('insights/flows?follow=true', 'shop'), auth('alice'));
    expect(conn.status).toBe(200);
    await conn.waitFor((e) => e.event === 'flow', 8000);
    const removedAt = Date.now();
    s.console.removeFromTeam('alice', 'shop');
    const end = await conn.waitFor((e) => e.event === 'end', 8000);
    // SSE_RECHECK_SECONDS + AUTH_CACHE_SECONDS = 2 s here (240 s + 10 s by default: within 5 minutes)
    expect(Date.now() - removedAt).toBeLessThan(5000);
    expect(JSON.parse(end.data)).toEqual({ reason: 'membership' });
    await conn.closed;
    // and a new stream is refused by the membership check itself
    expect((await get('insights/flows?follow=true', 'alice', 'shop')).status).toBe(403);
    await eventually(() => expect(relay.activeStreams()).toBe(0), 'the Relay stream cancelled');
  });

  it('answers 429 TOO_MANY_STREAMS with Retry-After at the process-wide cap (SSE_MAX_TOTAL=2)', async () => {
    const first = await openSse(s.api('insights/flows?follow=true'), auth('alice'));
    const second = await openSse(s.api('insights/flows?follow=true', 'other-team'), auth('bob'));
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await get('insights/flows?follow=true', 'olivia');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await third.json()).toMatchObject({
      error: { code: 'TOO_MANY_STREAMS', details: { limit: 'process', max: 2 } },
    });
    first.close();
    second.close();
    await eventually(async () => {
      const again = await openSse(s.api('insights/flows?follow=true'), auth('olivia'));
      again.close();
      expect(again.status).toBe(200);
    }, 'a slot free again once the two streams closed');
  });
});

describe('recent flows', () => {
  const recentAsks = () => relay.flowsRequests().filter((r) => !r.follow).length;

  it('shares one Relay query per (namespace, filters) between callers and repeated calls', async () => {
    const before = recentAsks();
    const answers = await Promise.all(
      ['alice', 'root', 'olivia'].map((u) => get('insights/flows?verdict=FORWARDED&limit=50', u)),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await get('insights/flows?verdict=FORWARDED&limit=20', 'alice')).status).toBe(200);
    expect(recentAsks() - before).toBe(1);
    // other filters or another team's namespace: their own query
    await get('insights/flows?verdict=DROPPED', 'alice');
    await get('insights/flows?verdict=FORWARDED', 'bob', 'other-team');
    expect(recentAsks() - before).toBe(3);
  });
});

describe('internal addresses', () => {
  it('Relay status names the address to an enterprise admin only', async () => {
    const team = RelayStatusSchema.parse(await (await get('insights/relay', 'alice')).json());
    const admin = RelayStatusSchema.parse(await (await get('insights/relay', 'root')).json());
    expect(team).toMatchObject({ address: null, found: true, reachable: true });
    expect(admin).toMatchObject({ address: relay.address, found: true, reachable: true });
  });

  it("the summary names Prometheus's URL to an enterprise admin only; a team still reads why it is empty", async () => {
    const team = SummarySchema.parse(await (await get('insights/summary', 'alice')).json());
    const admin = SummarySchema.parse(await (await get('insights/summary', 'root')).json());
    expect(team.prometheus.url).toBeNull();
    expect(team.prometheus.found).toBe(admin.prometheus.found);
    expect(team.diagnoses.map((d) => d.code)).toEqual(admin.diagnoses.map((d) => d.code));
    expect(team.diagnoses.length).toBeGreaterThan(0);
    if (admin.prometheus.url) expect(JSON.stringify(team)).not.toContain(admin.prometheus.url);
  });
});

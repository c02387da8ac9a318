import { describe, expect, it } from 'vitest';
import type { Flows, FlowView } from '../../../contract/insights';
import { cacheRecentFlows, recentFlowsKey, sharedLimit } from './flows.cache';
import type { FlowsService } from './flows.service';

/** A FlowsService whose recent() answers `limit` numbered flows after a moment, or fails when told to. */
function countingFlows() {
  const asked: { namespace: string; limit: number; verdict?: string }[] = [];
  let fail = false;
  const service: FlowsService = {
    async recent(q) {
      asked.push({ namespace: q.namespace, limit: q.limit, ...(q.verdict ? { verdict: q.verdict } : {}) });
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('relay down');
      const flows = Array.from({ length: q.limit }, (_, i) => ({ summary: `#${i}` }) as FlowView);
      return { namespace: q.namespace, flows, lostEvents: 0, unavailableNodes: [] } satisfies Flows;
    },
    follow: () => {
      throw new Error('not used');
    },
  };
  return { service, asked, failNext: (v: boolean) => (fail = v) };
}

describe('cacheRecentFlows', () => {
  it.each([
    [1, 100],
    [100, 100],
    [101, 500],
    [999, 1000],
    [1000, 1000],
  ])('limit %i is asked of Relay as %i', (limit, shared) => expect(sharedLimit(limit)).toBe(shared));

  it('keys by namespace and every filter, never by functions', () => {
    const decorate = (v: FlowView) => v;
    expect(recentFlowsKey({ namespace: 'shop', limit: 20, decorate, decorateKey: 'en' })).toBe(
      recentFlowsKey({ namespace: 'shop', limit: 50, decorate: (v) => v, decorateKey: 'en' }),
    );
    expect(recentFlowsKey({ namespace: 'shop', limit: 20 })).not.toBe(
      recentFlowsKey({ namespace: 'bill', limit: 20 }),
    );
    expect(recentFlowsKey({ namespace: 'shop', limit: 20 })).not.toBe(
      recentFlowsKey({ namespace: 'shop', limit: 20, verdict: 'DROPPED' }),
    );
    expect(recentFlowsKey({ namespace: 'shop', limit: 20, decorateKey: 'en' })).not.toBe(
      recentFlowsKey({ namespace: 'shop', limit: 20, decorateKey: 'zh-CN' }),
    );
  });

  it('answers concurrent and repeated asks of one (namespace, filters) with one Relay query, cut to each limit', async () => {
    const { service, asked } = countingFlows();
    const cached = cacheRecentFlows(service, { ttlMs: 60_000 });
    const [a, b] = await Promise.all([
      cached.recent({ namespace: 'shop', limit: 10 }),
      cached.recent({ namespace: 'shop', limit: 100 }),
    ]);
    expect(a.flows.map((f) => f.summary)).toEqual(Array.from({ length: 10 }, (_, i) => `#${i}`));
    expect(b.flows).toHaveLength(100);
    expect((await cached.recent({ namespace: 'shop', limit: 50 })).flows).toHaveLength(50);
    expect(asked).toEqual([{ namespace: 'shop', limit: 100 }]);
    await cached.recent({ namespace: 'shop', limit: 10, verdict: 'DROPPED' });
    await cached.recent({ namespace: 'billing', limit: 10 });
    expect(asked).toHaveLength(3);
  });

  it('asks again after the TTL, and does not keep a failure', async () => {
    const { service, asked, failNext } = countingFlows();
    const cached = cacheRecentFlows(service, { ttlMs: 30 });
    failNext(true);
    await expect(cached.recent({ namespace: 'shop', limit: 10 })).rejects.toThrow('relay down');
    failNext(false);
    await cached.recent({ namespace: 'shop', limit: 10 });
    expect(asked).toHaveLength(2);
    await expect
      .poll(async () => {
        await cached.recent({ namespace: 'shop', limit: 10 });
        return asked.length;
      })
      .toBe(3);
  });

  it('ttl 0 leaves the service as it is', () => {
    const { service } = countingFlows();
    expect(cacheRecentFlows(service, { ttlMs: 0 })).toBe(service);
  });
});

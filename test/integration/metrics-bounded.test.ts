/** Metric labels come from the matched route pattern: unknown paths never grow /metrics. Real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { metricSeriesAfterUniquePaths } from '../support/unique-paths';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s.close();
});

describe('/metrics after 10,000 requests to unique unknown paths', () => {
  it('keeps a bounded number of series and no raw path in any label', async () => {
    const r = await metricSeriesAfterUniquePaths(s.url, 10_000);
    expect(r.pathsInMetrics).toBe(0);
    // the 404s add one route label ("other"): a handful of series (counter + histogram buckets), not 10,000
    expect(r.after - r.before).toBeLessThan(40);
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(text).toMatch(/route="other"/);
  }, 60_000);
});

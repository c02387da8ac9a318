/** (f) /metrics series before and after 10,000 requests to unique unknown paths (labels from route patterns). */
import type { SectionResult } from './run';
import { printTable } from './lib';
import { startStack } from '../support/stack';
import { metricSeriesAfterUniquePaths } from '../support/unique-paths';

export async function runMetricsSection(): Promise<SectionResult> {
  const s = await startStack();
  try {
    const t0 = performance.now();
    const r = await metricSeriesAfterUniquePaths(s.url, 10_000);
    const seconds = (performance.now() - t0) / 1000;
    printTable(
      '(f) /metrics series after 10,000 unique bad paths',
      ['series before', 'series after', 'added', 'raw paths in labels', 'time'],
      [[r.before, r.after, r.after - r.before, r.pathsInMetrics, `${seconds.toFixed(1)} s`]],
      [
        'Each unknown path is labelled route="other"; the added series are that label\'s counter and histogram.',
      ],
    );
    return {
      name: '(f) /metrics after 10,000 unique bad paths',
      lines: [
        `series ${r.before} → ${r.after} (+${r.after - r.before}), raw paths in labels: ${r.pathsInMetrics}`,
      ],
    };
  } finally {
    await s.close();
  }
}

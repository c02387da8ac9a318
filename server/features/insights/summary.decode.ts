/** Prometheus replies → the numbers of the summary: scalars, breakdowns, sparkline points, series names, targets. */
import type { QueryData, Target } from '../../clients/prometheus/client';

/** A finite number or null (JSON has no NaN; a 0/0 ratio means "no traffic", not 0). */
export const finite = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

/** First sample of an instant vector/scalar, or null. */
export function scalarOf(data: QueryData): number | null {
  if (data.resultType === 'scalar') return finite(data.result[1]);
  if (data.resultType === 'vector') return finite(data.result[0]?.value[1]);
  return null;
}

/** Vector → [{label, value}], largest first; series without the label become "(none)". */
export function breakdownOf(data: QueryData, label: string): { label: string; value: number }[] {
  if (data.resultType !== 'vector') return [];
  return data.result
    .map((s) => ({ label: s.metric[label] || '(none)', value: finite(s.value[1]) }))
    .filter((b): b is { label: string; value: number } => b.value !== null)
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

/** First series of a matrix as [unix seconds, value] points, skipping NaN. */
export function seriesOf(data: QueryData): [number, number][] {
  if (data.resultType !== 'matrix') return [];
  return (data.result[0]?.values ?? [])
    .filter(([, v]) => Number.isFinite(v))
    .map(([t, v]) => [t, v] as [number, number]);
}

/** `count by (__name__)` → the set of names. */
export function namesOf(data: QueryData): Set<string> {
  if (data.resultType !== 'vector') return new Set();
  return new Set(data.result.map((s) => s.metric.__name__).filter((n): n is string => !!n));
}

/** Active targets that scrape the Hubble metrics port. */
export function hubbleTargets(targets: Target[], port: number): Target[] {
  return targets.filter((t) => {
    try {
      return new URL(t.scrapeUrl).port === String(port);
    } catch {
      return false;
    }
  });
}

/**
 * Recent flows shared per (namespace, filters): callers asking the same within `ttlMs` get one Relay query's
 * answer, and concurrent asks share the query in flight. The limit is rounded up to 100, 500 or 1000 and the
 * answer cut to what was asked, so cycling limits does not make fresh queries.
 */
import { LRUCache } from 'lru-cache';
import type { Flows } from '../../../contract/insights';
import type { TeamFlowQuery } from './flows.mapping';
import type { FlowsService } from './flows.service';

export interface RecentFlowsCacheOptions {
  /** How long an answer is reused, ms, e.g. 3000; 0 = every call asks Relay. */
  ttlMs: number;
  /** Distinct (namespace, filters) kept, default 500. */
  maxEntries?: number;
}

type RecentQuery = TeamFlowQuery & { limit: number };

const LIMIT_STEPS = [100, 500, 1000] as const;

/** The limit asked of Relay for a caller's limit, e.g. 20 → 100, 101 → 500. */
export const sharedLimit = (limit: number): number => LIMIT_STEPS.find((s) => s >= limit) ?? limit;

/**
 * The key of a query: every field but functions (`decorate` is one; `decorateKey` stands for what it depends
 * on), e.g. '{"namespace":"shop","verdict":"DROPPED","limit":100}'.
 */
export function recentFlowsKey(q: RecentQuery): string {
  return JSON.stringify({ ...q, limit: sharedLimit(q.limit) }, (_k, v: unknown) =>
    typeof v === 'function' ? undefined : v,
  );
}

/** Wraps a FlowsService so recent() is cached and merged; follow() is unchanged. */
export function cacheRecentFlows<S extends FlowsService>(inner: S, opts: RecentFlowsCacheOptions): S {
  if (opts.ttlMs <= 0) return inner;
  const cache = new LRUCache<string, Flows, RecentQuery>({
    max: opts.maxEntries ?? 500,
    ttl: opts.ttlMs,
    // a failed query is not kept: the next caller asks again
    fetchMethod: (_key, _stale, { context }) => inner.recent(context),
  });
  return {
    ...inner,
    recent: async (q) => {
      const shared = { ...q, limit: sharedLimit(q.limit) };
      const answer = await cache.forceFetch(recentFlowsKey(q), { context: shared });
      return answer.flows.length <= q.limit ? answer : { ...answer, flows: answer.flows.slice(0, q.limit) };
    },
  };
}

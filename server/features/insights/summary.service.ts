/**
 * Team health summary from Prometheus: detects whether Hubble series can be scoped to the team namespace,
 * runs every card's queries in parallel (one failing query empties only its card) and explains missing data.
 */
import { LRUCache } from 'lru-cache';
import type { HubbleMetricsConfig } from '../../clients/cluster/types';
import { invalidInput, isAppError } from '../../errors';
import type { Locale } from '../../../contract';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';
import type { PrometheusClient, QueryData, Target } from '../../clients/prometheus/client';
import { createPrometheusClient, prometheusFailureOf } from '../../clients/prometheus/client';
import type { Summary, SummaryCard } from '../../../contract/insights';
import { SUMMARY_CARD_IDS } from '../../../contract/insights';
import { NAMESPACE_LABELS, hubbleMetricsPort, type NamespaceLabel } from '../../cilium/hubble-metrics';
import type { CardId, CardPlan, ScopeDecision } from './summary.queries';
import { decideScope, httpFlavour, isCardAvailable, planCards, windowSeconds } from './summary.queries';
import { breakdownOf, hubbleTargets, namesOf, scalarOf, seriesOf } from './summary.decode';
import { diagnose } from './summary.diagnoses';

export interface SummaryRequest {
  /** Team namespace, always from the request context. */
  namespace: string;
  /** "5m", "1h"; "30s" also accepted here (tests, benchmarks). */
  window: string;
  locale: Locale;
  /** Prometheus's URL and upstream error texts in the reply: for enterprise admins only (teams get words). */
  revealAddresses?: boolean;
}

/** Longest window a summary reads, seconds (24h): the route refuses more, and so does the service. */
export const MAX_WINDOW_SECONDS = 24 * 3600;

export interface SummaryService {
  summary(req: SummaryRequest): Promise<Summary>;
}

export interface SummaryServiceDeps {
  /** PROMETHEUS_URL override, else the prometheus tool's Service; null when neither exists. */
  getPrometheusUrl: () => string | null;
  getHubbleMetrics: () => HubbleMetricsConfig;
  /** Namespace Cilium runs in, for the fix commands; default "kube-system". */
  getCiliumNamespace?: () => string | null;
  /** Detected Cilium version, e.g. "1.17.5", pinned in the fix commands; null/absent = unknown. */
  getCiliumVersion?: () => string | null;
  log: Logger;
  metrics?: Metrics;
  /** Unix milliseconds. */
  now?: () => number;
  /** Per-query timeout; default 5000. */
  timeoutMs?: number;
  /** How long a reply is reused per (namespace, window, locale), from when it was asked; default 5000, 0 = never. */
  cacheTtlMs?: number;
  /** Points per sparkline; default 30. */
  seriesPoints?: number;
  /** For tests: build the client another way. */
  createClient?: (baseUrl: string) => PrometheusClient;
}

const MAX_CACHE_ENTRIES = 1000;
const HUBBLE_SELECTOR = '__name__=~"hubble_.+"';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Outcome<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
/** "prometheus: cannot reach …: ECONNREFUSED" → "cannot reach …: ECONNREFUSED". */
const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/^prometheus: /, '');

/** The same in words that name no address, e.g. "cannot connect (ECONNREFUSED)", "HTTP 503". */
export function reasonInWords(e: unknown): string {
  const status =
    (isAppError(e) ? (e.details as { status?: unknown } | undefined)?.status : undefined) ?? null;
  const code = /: (E[A-Z]+)$/.exec(reasonOf(e))?.[1];
  switch (prometheusFailureOf(e)) {
    case 'unreachable':
      return code ? `cannot connect (${code})` : 'cannot connect';
    case 'timeout':
      return 'no reply in time';
    case 'http':
      return typeof status === 'number' ? `HTTP ${status}` : 'HTTP error';
    case 'query':
      return 'query refused';
    case 'invalid-reply':
      return 'unexpected reply';
    default:
      return 'unknown error';
  }
}

export function createSummaryService(deps: SummaryServiceDeps): SummaryService {
  const now = deps.now ?? Date.now;
  const ttl = deps.cacheTtlMs ?? 5000;
  const points = deps.seriesPoints ?? 30;
  const clients = new Map<string, PrometheusClient>();
  // Concurrent asks for one key share one computation; a failed one is not kept.
  const cache = new LRUCache<string, Summary, { req: SummaryRequest; seconds: number }>({
    max: MAX_CACHE_ENTRIES,
    ttl: Math.max(1, ttl),
    // Read the clock on every lookup (no cached instant), so an injected clock is honoured at once.
    ttlResolution: 0,
    ...(deps.now ? { perf: { now: deps.now } } : {}),
    fetchMethod: async (_key, _stale, { context, options }) => {
      const askedAt = now();
      const reply = await compute(context.req, context.seconds);
      // Counted from the ask, like generatedAt, not from when Prometheus answered.
      options.ttl = Math.max(1, ttl - (now() - askedAt));
      return reply;
    },
  });

  const clientFor = (url: string) => {
    let c = clients.get(url);
    if (!c) {
      c =
        deps.createClient?.(url) ??
        createPrometheusClient({
          baseUrl: url,
          timeoutMs: deps.timeoutMs ?? 5000,
          metrics: deps.metrics,
          log: deps.log,
        });
      clients.set(url, c);
    }
    return c;
  };

  function emptyCards(config: HubbleMetricsConfig): SummaryCard[] {
    return SUMMARY_CARD_IDS.map((id) => ({
      id,
      value: null,
      unit: id.endsWith('Ratio') ? 'ratio' : id === 'httpP95' ? 'seconds' : 'per_second',
      series: [],
      breakdown: [],
      available: isCardAvailable(id, config, new Set()),
    }));
  }

  async function compute(req: SummaryRequest, seconds: number): Promise<Summary> {
    const config = deps.getHubbleMetrics();
    const ciliumNamespace = deps.getCiliumNamespace?.() ?? 'kube-system';
    const url = deps.getPrometheusUrl();
    const reveal = req.revealAddresses === true;
    const shownUrl = reveal ? url : null;
    const why = reveal ? reasonOf : reasonInWords;
    const nowSec = now() / 1000;
    const base = {
      namespace: req.namespace,
      window: req.window,
      generatedAt: new Date(now()).toISOString(),
    };
    const facts = {
      locale: req.locale,
      hubbleMetrics: config,
      ciliumNamespace,
      ciliumVersion: deps.getCiliumVersion?.() ?? null,
      hubblePort: hubbleMetricsPort(config.serverAddress),
      windowSeconds: seconds,
      window: req.window,
      revealAddresses: reveal,
    };
    const unavailable = (reachable: false, reason?: string): Summary => ({
      ...base,
      scope: 'cluster',
      prometheus: { url: shownUrl, found: url !== null, reachable },
      cards: emptyCards(config),
      topDropReasons: [],
      diagnoses: diagnose({
        ...facts,
        prometheusUrl: url,
        reachable,
        unreachableReason: reason,
        hubbleSeriesPresent: false,
        scope: 'cluster',
        unscopedMetrics: [],
        hubbleTargets: null,
        scrapeIntervalSeconds: null,
        httpAvailable: false,
        failedCards: [],
      }),
    });
    if (url === null) return unavailable(false);
    const prom = clientFor(url);

    // Phase 1: which series exist and which namespace labels they carry; targets and intervals for diagnoses.
    const countBy = (extra?: string) =>
      prom.query(`count by (__name__) ({${HUBBLE_SELECTOR}${extra ? `,${extra}!=""` : ''}})`, nowSec);
    const [present, withLabels, targets, intervals] = await Promise.all([
      settle(countBy()),
      Promise.all(NAMESPACE_LABELS.map((l) => settle(countBy(l)))),
      settle(prom.targets()),
      settle(prom.scrapeInterval()),
    ]);
    if (!present.ok) {
      const kind = prometheusFailureOf(present.error);
      if (kind === 'unreachable' || kind === 'timeout' || kind === 'http' || kind === null) {
        deps.log.warn('prometheus unreachable', { url, reason: reasonOf(present.error) });
        return unavailable(false, why(present.error));
      }
    }
    const presentNames = present.ok ? namesOf(present.value) : new Set<string>();
    const withLabel = Object.fromEntries(
      NAMESPACE_LABELS.map((l, i) => {
        const r = withLabels[i];
        return [l, r?.ok ? namesOf(r.value) : new Set<string>()];
      }),
    ) as Record<NamespaceLabel, Set<string>>;
    const decision = decideScope(config, { present: presentNames, withLabel });

    const port = hubbleMetricsPort(config.serverAddress);
    const hubble: Target[] | null = targets.ok ? hubbleTargets(targets.value, port) : null;
    const interval = intervalFor(intervals.ok ? intervals.value : null, hubble);

    // Phase 2: the cards.
    const step = seconds / points;
    const seriesRange = Math.max(Math.ceil(2 * step), 4 * (interval ?? 15));
    const plans = planCards({
      namespace: req.namespace,
      decision,
      http: httpFlavour(config, presentNames),
      range: `${seconds}s`,
      seriesRange: `${seriesRange}s`,
    });
    const hubbleSeriesPresent = [...presentNames].some((n) => n.startsWith('hubble_'));
    const failed: { id: CardId; reason: string }[] = [];
    const cards = await Promise.all(
      plans.map((plan) =>
        runCard(prom, plan, {
          why,
          decision,
          present: presentNames,
          hubbleSeriesPresent,
          available: isCardAvailable(plan.id, config, presentNames),
          time: nowSec,
          start: nowSec - seconds,
          step,
          onError: (reason) => failed.push({ id: plan.id, reason }),
        }),
      ),
    );
    const dropCard = cards.find((c) => c.id === 'dropRatio');
    return {
      ...base,
      scope: decision.scope,
      prometheus: { url: shownUrl, found: true, reachable: true },
      cards,
      topDropReasons: (dropCard?.breakdown ?? []).map((b) => ({ reason: b.label, rate: b.value })),
      diagnoses: diagnose({
        ...facts,
        prometheusUrl: url,
        reachable: true,
        hubbleSeriesPresent,
        scope: decision.scope,
        unscopedMetrics: decision.unscopedMetrics,
        hubbleTargets: hubble,
        scrapeIntervalSeconds: interval,
        httpAvailable: cards.some((c) => c.id === 'http5xxRatio' && c.available),
        failedCards: failed,
      }),
    };
  }

  return {
    async summary(req) {
      const seconds = windowSeconds(req.window);
      if (seconds === null)
        throw invalidInput('window must be a duration like 5m or 1h', { window: req.window });
      if (seconds > MAX_WINDOW_SECONDS)
        throw invalidInput('window must be at most 24h', { window: req.window });
      if (ttl <= 0) return compute(req, seconds);
      const audience = req.revealAddresses ? 'admin' : 'team';
      const key = `${req.namespace}\u0000${req.window}\u0000${req.locale}\u0000${audience}`;
      return cache.forceFetch(key, { context: { req, seconds } });
    },
  };
}

/** The Hubble job's interval (from the first Hubble target's pool), else the global one. */
function intervalFor(
  intervals: { global: number; jobs: Record<string, number> } | null,
  hubble: Target[] | null,
) {
  const pool = hubble?.[0]?.scrapePool;
  if (intervals) return (pool ? intervals.jobs[pool] : undefined) ?? intervals.global;
  return null;
}

interface CardRun {
  /** A failed query's reason as the reply may say it. */
  why: (e: unknown) => string;
  decision: ScopeDecision;
  present: ReadonlySet<string>;
  hubbleSeriesPresent: boolean;
  available: boolean;
  time: number;
  start: number;
  step: number;
  onError: (reason: string) => void;
}

async function runCard(prom: PrometheusClient, plan: CardPlan, run: CardRun): Promise<SummaryCard> {
  const card: SummaryCard = {
    id: plan.id,
    value: null,
    unit: plan.unit,
    series: [],
    breakdown: [],
    available: run.available,
  };
  const hasData = plan.clusterWide
    ? run.hubbleSeriesPresent
    : plan.needs.length > 0 && plan.needs.every((s) => run.present.has(s));
  // In namespace scope a series without namespace labels would show other teams' traffic: leave it empty.
  const scopable =
    plan.clusterWide ||
    run.decision.scope === 'cluster' ||
    plan.needs.every((s) => (run.decision.labelsBySeries[s] ?? []).length > 0);
  if (!run.available || !hasData || !scopable) return card;

  const ask = (q: Promise<QueryData>) =>
    settle(q).then((r) => {
      if (!r.ok) run.onError(run.why(r.error));
      return r.ok ? r.value : null;
    });
  const [value, breakdown, series] = await Promise.all([
    plan.value ? ask(prom.query(plan.value, run.time)) : Promise.resolve(null),
    plan.breakdown ? ask(prom.query(plan.breakdown.promql, run.time)) : Promise.resolve(null),
    ask(prom.queryRange(plan.series, run.start, run.time, run.step)),
  ]);
  if (plan.breakdown && breakdown) card.breakdown = breakdownOf(breakdown, plan.breakdown.label);
  if (plan.value) card.value = value ? scalarOf(value) : null;
  else if (breakdown) card.value = card.breakdown.reduce((s, b) => s + b.value, 0);
  if (series) card.series = seriesOf(series);
  return card;
}

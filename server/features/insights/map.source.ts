/**
 * Relay reads for the service maps, shared between teams: asks with the same window length, verdict and hide
 * toggles arriving within a short window — or while a read for them runs — become ONE GetFlows (since = now −
 * window, whitelist = every asking namespace's two pod filters), and each flow is handed only to the namespaces it
 * involves (re-checked: one side in that namespace, the verdict, the toggles), so sharing never shows a team
 * another team's flows. Answers are reused briefly per namespace; an ask for a namespace being read joins it.
 */
import type { HideToggle } from '../../../contract/flow-tags';
import type { FlowView } from '../../../contract/insights';
import type { Logger } from '../../log';
import type { RelayConnector } from '../../clients/hubble/relay-client';
import { relayErrorCode } from '../../clients/hubble/relay-client';
import type { FlowFilter } from '../../clients/hubble/schemas';
import { buildRelayFilters, matchesRelayFilters } from './flows.filters';
import { isTeamFlow, toFlowView } from './flows.mapping';
import { relayNotFound } from './flows.service';

export interface MapWindowQuery {
  /** The team's namespace (from ctx). */
  namespace: string;
  /** Window length, ms, e.g. 300000 for "5m". */
  windowMs: number;
  verdict?: string;
  hide?: readonly HideToggle[];
}

export interface MapFlows {
  /** The namespace's flows, oldest first, at most maxFlowsPerNamespace (the newest). */
  views: FlowView[];
  /** Flows of the namespace Relay sent (may exceed views.length). */
  flowsSeen: number;
  /** Relay had more than could be read, or the namespace had more than the per-namespace cap. */
  truncated: boolean;
  /** Start of the window read, ms since the epoch. */
  sinceMs: number;
}

export interface MapFlowSource {
  read(q: MapWindowQuery): Promise<MapFlows>;
  /** GetFlows calls made so far (the benchmark reports them). */
  relayCalls(): number;
}

export interface MapFlowSourceDeps {
  relay: Pick<RelayConnector, 'current'>;
  log: Logger;
  /** How long asks are collected into one Relay call, ms; default 25. */
  batchWindowMs?: number;
  /** Flows kept per namespace (the newest); default 20,000. */
  maxFlowsPerNamespace?: number;
  /** Flows one Relay call may return, whatever the namespaces; default 100,000. */
  maxFlowsPerRead?: number;
  /** How long an answer is reused for the same namespace and query, ms; default 5000, 0 = never. */
  cacheTtlMs?: number;
  /** Deadline of one Relay read, ms; default 8000. */
  timeoutMs?: number;
  now?: () => number;
}

type Waiters = Map<string, { resolve: (m: MapFlows) => void; reject: (e: unknown) => void }[]>;

/** The asks of one group (window, verdict, toggles): those waiting for the next read, and whether one runs. */
interface Group {
  q: MapWindowQuery;
  waiting: Waiters | null;
  timer: NodeJS.Timeout | null;
  reading: boolean;
}

const groupKey = (q: MapWindowQuery) =>
  `${q.windowMs}\u0000${q.verdict ?? ''}\u0000${(q.hide ?? []).join(',')}`;

export function createMapFlowSource(deps: MapFlowSourceDeps): MapFlowSource {
  const log = deps.log.child({ feature: 'insights.map' });
  const batchWindowMs = deps.batchWindowMs ?? 25;
  const perNs = deps.maxFlowsPerNamespace ?? 20_000;
  const perRead = deps.maxFlowsPerRead ?? 100_000;
  const ttl = deps.cacheTtlMs ?? 5000;
  const timeoutMs = deps.timeoutMs ?? 8000;
  const now = deps.now ?? Date.now;
  const groups = new Map<string, Group>();
  /** Answers (or reads in flight) per group and namespace, with when they were asked. */
  const answers = new Map<string, { at: number; promise: Promise<MapFlows> }>();
  let calls = 0;

  async function readBatch(
    group: string,
    q: MapWindowQuery,
    namespaces: string[],
  ): Promise<Map<string, MapFlows>> {
    const client = deps.relay.current();
    if (!client) throw relayNotFound();
    const sinceMs = now() - q.windowMs;
    const verdict = q.verdict ? { verdict: [q.verdict] } : {};
    const whitelist: FlowFilter[] = [
      { source_pod: namespaces.map((n) => `${n}/`), ...verdict },
      { destination_pod: namespaces.map((n) => `${n}/`), ...verdict },
    ];
    // the hide toggles' blacklist does not depend on the namespace
    const { blacklist } = buildRelayFilters({
      namespace: namespaces[0] ?? '',
      ...(q.hide ? { hide: q.hide } : {}),
    });
    const hiding = blacklist.length > 0;
    const number = Math.min(perRead, perNs * namespaces.length);
    const out = new Map<string, MapFlows>(
      namespaces.map((ns) => [ns, { views: [], flowsSeen: 0, truncated: false, sinceMs }]),
    );
    const abort = new AbortController();
    let read = 0;
    calls++;
    try {
      for await (const m of client.getFlows(
        {
          number,
          since: { seconds: Math.floor(sinceMs / 1000), nanos: (sinceMs % 1000) * 1e6 },
          whitelist,
          blacklist,
        },
        abort.signal,
        { deadlineMs: timeoutMs },
      )) {
        if (!m.flow) continue;
        if (++read > number + 100) {
          abort.abort();
          break;
        }
        const view = toFlowView(m.flow, { nodeName: m.node_name, time: m.time });
        if (q.verdict && view.verdict !== q.verdict) continue;
        // the team whitelist is isTeamFlow (+ the verdict above); only the hide toggles need the full matcher
        if (hiding && !matchesRelayFilters(m.flow, { whitelist: [], blacklist })) continue;
        for (const ns of namespaces) {
          if (!isTeamFlow(view, ns)) continue;
          const a = out.get(ns) as MapFlows;
          a.flowsSeen++;
          a.views.push(view);
          // oldest first from Relay: keep the newest perNs, trimming in chunks
          if (a.views.length > perNs * 1.25) {
            a.views.splice(0, a.views.length - perNs);
            a.truncated = true;
          }
        }
      }
    } catch (e) {
      if (relayErrorCode(e) !== 'DEADLINE_EXCEEDED' || read === 0) throw e;
      log.warn('relay GetFlows for the map hit the deadline; using what arrived', { flows: read, timeoutMs });
      for (const a of out.values()) a.truncated = true;
    }
    for (const a of out.values()) {
      if (a.views.length > perNs) {
        a.views.splice(0, a.views.length - perNs);
        a.truncated = true;
      }
      if (read >= number) a.truncated = true;
    }
    log.debug('map flows read', { group, namespaces: namespaces.length, flows: read });
    return out;
  }

  /** Reads for everyone waiting in the group; asks arriving meanwhile wait for the read after it. */
  function flush(key: string, g: Group) {
    g.timer = null;
    const batch = g.waiting;
    g.waiting = null;
    if (!batch) return;
    g.reading = true;
    readBatch(key, g.q, [...batch.keys()])
      .then(
        (res) => {
          for (const [ns, waiters] of batch) for (const w of waiters) w.resolve(res.get(ns) as MapFlows);
        },
        (e: unknown) => {
          for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
        },
      )
      .finally(() => {
        g.reading = false;
        if (g.waiting) g.timer = setTimeout(() => flush(key, g), batchWindowMs);
        else groups.delete(key);
      });
  }

  return {
    relayCalls: () => calls,
    read(q) {
      const group = groupKey(q);
      const key = `${group}\u0000${q.namespace}`;
      const cached = answers.get(key);
      if (cached && (ttl > 0 ? now() - cached.at < ttl : false)) return cached.promise;
      // Throws synchronously without a Relay, before anything is queued.
      if (!deps.relay.current()) return Promise.reject(relayNotFound());
      const promise = new Promise<MapFlows>((resolve, reject) => {
        let g = groups.get(group);
        if (!g) {
          g = { q, waiting: null, timer: null, reading: false };
          groups.set(group, g);
        }
        g.waiting ??= new Map();
        g.waiting.set(q.namespace, [...(g.waiting.get(q.namespace) ?? []), { resolve, reject }]);
        const gg = g;
        if (!g.reading && !g.timer) g.timer = setTimeout(() => flush(group, gg), batchWindowMs);
      });
      answers.set(key, { at: now(), promise });
      // a failed read is not reused
      promise.catch(() => {
        if (answers.get(key)?.promise === promise) answers.delete(key);
      });
      if (answers.size > 5000) for (const [k, v] of answers) if (now() - v.at >= ttl) answers.delete(k);
      return promise;
    },
  };
}

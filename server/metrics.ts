/** A small Prometheus registry: counters and histograms with labels, rendered as text format 0.0.4. */
import { LRUCache } from 'lru-cache';
type Labels = Record<string, string>;

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const key = (l: Labels) =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}="${String(l[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

interface Hist {
  labels: string;
  counts: number[];
  sum: number;
  count: number;
}

export interface Metrics {
  /** HTTP requests served, by route pattern and status. */
  observeHttp(route: string, method: string, status: number, seconds: number): void;
  /** Calls to an upstream ("console" | "kubernetes" | "prometheus" | "relay") by operation and outcome. */
  observeUpstream(upstream: string, operation: string, outcome: 'ok' | 'error', seconds: number): void;
  /** Adds one to a counter `<prefix>_<name>`; keep label values bounded (ids, never user input). */
  count(name: string, help: string, labels: Labels): void;
  /** A gauge computed at scrape time, e.g. cluster-view staleness; one series per distinct `labels`. */
  gauge(name: string, help: string, read: () => number, labels?: Labels): void;
  render(): string;
}

export function createMetrics(prefix = 'cilium_observability'): Metrics {
  const counters = new Map<string, { help: string; values: Map<string, number> }>();
  const hists = new Map<string, { help: string; values: Map<string, Hist> }>();
  const gauges = new Map<string, { help: string; series: Map<string, () => number> }>();

  const incKey = (name: string, help: string, k: string) => {
    let c = counters.get(name);
    if (!c) counters.set(name, (c = { help, values: new Map() }));
    c.values.set(k, (c.values.get(k) ?? 0) + 1);
  };
  const inc = (name: string, help: string, labels: Labels) => incKey(name, help, key(labels));
  const observeKey = (name: string, help: string, k: string, v: number) => {
    let h = hists.get(name);
    if (!h) hists.set(name, (h = { help, values: new Map() }));
    let e = h.values.get(k);
    if (!e) h.values.set(k, (e = { labels: k, counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++)
      if (v <= (BUCKETS[i] as number)) e.counts[i] = (e.counts[i] ?? 0) + 1;
    e.sum += v;
    e.count += 1;
  };
  const observe = (name: string, help: string, labels: Labels, v: number) =>
    observeKey(name, help, key(labels), v);
  // HTTP requests are the hot path (every proxied request of the gateway): their label keys are made once
  const httpTotal = `${prefix}_http_requests_total`;
  const httpDuration = `${prefix}_http_request_duration_seconds`;
  // routes are patterns and methods the parser's: bounded; `max` only guards against a caller's mistake
  const httpKeys = new LRUCache<string, { count: string; hist: string }>({
    max: 10_000,
    memoMethod: (id) => {
      const [route = '', method = '', status = ''] = id.split('\n');
      return { count: key({ route, method, status }), hist: key({ route, method }) };
    },
  });

  return {
    observeHttp(route, method, status, seconds) {
      const k = httpKeys.memo(`${route}\n${method}\n${status}`);
      incKey(httpTotal, 'HTTP requests served.', k.count);
      observeKey(httpDuration, 'HTTP request latency.', k.hist, seconds);
    },
    observeUpstream(upstream, operation, outcome, seconds) {
      inc(`${prefix}_upstream_calls_total`, 'Calls to the console, Kubernetes, Prometheus and Relay.', {
        upstream,
        operation,
        outcome,
      });
      observe(
        `${prefix}_upstream_call_duration_seconds`,
        'Upstream call latency.',
        { upstream, operation },
        seconds,
      );
    },
    count(name, help, labels) {
      inc(`${prefix}_${name}`, help, labels);
    },
    gauge(name, help, read, labels = {}) {
      const full = `${prefix}_${name}`;
      let g = gauges.get(full);
      if (!g) gauges.set(full, (g = { help, series: new Map() }));
      g.series.set(key(labels), read);
    },
    render() {
      const out: string[] = [];
      for (const [name, c] of counters) {
        out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
        for (const [k, v] of c.values) out.push(`${name}{${k}} ${v}`);
      }
      for (const [name, h] of hists) {
        out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
        for (const e of h.values.values()) {
          const sep = e.labels ? ',' : '';
          BUCKETS.forEach((b, i) => out.push(`${name}_bucket{${e.labels}${sep}le="${b}"} ${e.counts[i]}`));
          out.push(`${name}_bucket{${e.labels}${sep}le="+Inf"} ${e.count}`);
          out.push(`${name}_sum{${e.labels}} ${e.sum}`, `${name}_count{${e.labels}} ${e.count}`);
        }
      }
      for (const [name, g] of gauges) {
        out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`);
        for (const [k, read] of g.series) {
          let v = NaN;
          try {
            v = read();
          } catch {
            /* a failing reader renders NaN rather than breaking /metrics */
          }
          out.push(`${name}${k ? `{${k}}` : ''} ${v}`);
        }
      }
      return out.join('\n') + '\n';
    },
  };
}

/**
 * Loopback stand-in for a Cilium agent's Hubble metrics server (:9965) plus a few agent series (:9962), in the
 * Prometheus text exposition format 0.0.4. Counters grow linearly with time at known per-namespace rates, so
 * rate() over any window returns exactly the rates below (tests assert figures computed by a real Prometheus).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Per-second rates of one team namespace's traffic. */
export interface TrafficProfile {
  /** FORWARDED flows inside the namespace (source and destination both the namespace). */
  forwardedIntra: number;
  /** FORWARDED flows from the namespace to the world (no destination namespace). */
  forwardedEgress: number;
  /** DROPPED flows from the world into the namespace, by drop reason. */
  dropped: Record<string, number>;
  /** DNS queries namespace → kube-system. */
  dnsQueries: number;
  /** DNS responses kube-system → namespace, by rcode name. */
  dnsResponses: Record<string, number>;
  /** TCP flags inside the namespace, e.g. { SYN: 3, RST: 0.5 }. */
  tcp: Record<string, number>;
  /** HTTP requests inside the namespace by status code. */
  httpByStatus: Record<string, number>;
  /** HTTP requests per latency bucket (upper bound → rate, not cumulative), e.g. { '0.05': 3.6 }. */
  httpLatency: Record<string, number>;
}

/** Team "shop" (the first namespace): 10 forwarded/s + 2 dropped/s (1.5 POLICY_DENIED) → drop ratio 1/6. */
export const SHOP_PROFILE: TrafficProfile = {
  forwardedIntra: 6,
  forwardedEgress: 4,
  dropped: { POLICY_DENIED: 1.5, STALE_OR_UNROUTABLE_IP: 0.5 },
  dnsQueries: 5,
  dnsResponses: { 'No Error': 3.5, 'Non-Existent Domain': 0.5 },
  tcp: { SYN: 3, 'SYN-ACK': 3, FIN: 2.5, RST: 0.5 },
  httpByStatus: { '200': 3.6, '503': 0.4 },
  httpLatency: { '0.05': 3.6, '0.25': 0.4 },
};

/** Any further namespace i (1-based): busier, fewer drops, clean DNS and HTTP, scaled by i. */
export function otherProfile(i: number): TrafficProfile {
  return {
    forwardedIntra: 20 * i,
    forwardedEgress: 10 * i,
    dropped: { CT_MAP_INSERTION_FAILED: 1 * i },
    dnsQueries: 2 * i,
    dnsResponses: { 'No Error': 2 * i },
    tcp: { SYN: 8 * i, RST: 2 * i },
    httpByStatus: { '200': 10 * i },
    httpLatency: { '0.01': 10 * i },
  };
}

/** hubble_lost_events_total{source="observer_events_queue"} rate (cluster-wide). */
export const LOST_EVENTS_RATE = 0.25;

/** What a team namespace should see, derived from its profile (the figures tests assert). */
export function expectedFigures(p: TrafficProfile) {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const forwarded = p.forwardedIntra + p.forwardedEgress;
  const dropped = sum(p.dropped);
  const dnsResponses = sum(p.dnsResponses);
  const http = sum(p.httpByStatus);
  const http5xx = Object.entries(p.httpByStatus)
    .filter(([s]) => s.startsWith('5'))
    .reduce((a, [, v]) => a + v, 0);
  return {
    flows: forwarded + dropped,
    forwarded,
    dropped,
    dropRatio: dropped / (forwarded + dropped),
    dnsErrorRatio: (dnsResponses - (p.dnsResponses['No Error'] ?? 0)) / dnsResponses,
    dnsMissing: Math.max(0, p.dnsQueries - dnsResponses),
    tcpResets: p.tcp.RST ?? 0,
    http5xxRatio: http5xx / http,
  };
}

export interface HubbleExporterOptions {
  /** Team namespaces; the first gets SHOP_PROFILE, the i-th otherProfile(i) unless `profiles` says otherwise. */
  namespaces: string[];
  /** Emit source_namespace/destination_namespace (labelsContext=source_namespace,destination_namespace). */
  contextLabels: boolean;
  /** Enabled `hubble-metrics` entries, e.g. ["flow", "drop", "dns", "tcp", "httpV2"]; [] = agent series only. */
  metrics: string[];
  profiles?: Record<string, TrafficProfile>;
  /** Counters start as if the agent had run this long (seconds); default 3600. */
  uptimeSeconds?: number;
}

export interface HubbleExporter {
  /** e.g. "http://127.0.0.1:40123/metrics". */
  url: string;
  /** e.g. "127.0.0.1:40123", for a scrape config. */
  target: string;
  port: number;
  /** Scrapes served so far. */
  scrapes(): number;
  /** Requests the exporter did not know (each answered 404). */
  errors: string[];
  /** The exposition text as of now (for unit tests and debugging). */
  render(): string;
  close(): Promise<void>;
}

type Labels = Record<string, string>;
interface Counter {
  name: string;
  labels: Labels;
  /** Increase per second. */
  rate: number;
}

const HELP: Record<string, [string, 'counter' | 'gauge' | 'histogram']> = {
  hubble_flows_processed_total: ['Total number of flows processed', 'counter'],
  hubble_drop_total: ['Number of drops', 'counter'],
  hubble_dns_queries_total: ['Number of DNS queries observed', 'counter'],
  hubble_dns_responses_total: ['Number of DNS responses observed', 'counter'],
  hubble_tcp_flags_total: ['TCP flag occurrences', 'counter'],
  hubble_http_requests_total: ['Count of HTTP requests', 'counter'],
  hubble_http_responses_total: ['Count of HTTP responses', 'counter'],
  hubble_http_request_duration_seconds: ['Quantiles of HTTP request duration in seconds', 'histogram'],
  hubble_port_distribution_total: ['Numbers of packets distributed by destination port', 'counter'],
  hubble_icmp_total: ['Number of ICMP messages', 'counter'],
  hubble_lost_events_total: ['Number of lost events', 'counter'],
  cilium_forward_count_total: ['Total forwarded packets, tagged by ingress/egress direction', 'counter'],
  cilium_drop_count_total: [
    'Total dropped packets, tagged by drop reason and ingress/egress direction',
    'counter',
  ],
  cilium_endpoint_state: ['Count of all endpoints, tagged by different endpoint states', 'gauge'],
  cilium_version: ['Cilium version', 'gauge'],
};

/** Hubble's default histogram buckets (prometheus.DefBuckets). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (l: Labels) =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}="${escapeValue(l[k] ?? '')}"`)
    .join(',');

/** Every counter series the options produce, before context labels are dropped. */
function buildCounters(o: HubbleExporterOptions): { counters: Counter[]; histograms: Counter[] } {
  const on = new Set(o.metrics.map((m) => m.split(':')[0]));
  const counters: Counter[] = [];
  const histograms: Counter[] = [];
  const ctx = (src: string, dst: string): Labels => ({ source_namespace: src, destination_namespace: dst });
  const add = (name: string, labels: Labels, rate: number) => {
    if (rate > 0) counters.push({ name, labels, rate });
  };
  o.namespaces.forEach((ns, i) => {
    const p = o.profiles?.[ns] ?? (i === 0 ? SHOP_PROFILE : otherProfile(i));
    if (on.has('flow')) {
      const fwd = { protocol: 'TCP', type: 'Trace', verdict: 'FORWARDED' };
      add(
        'hubble_flows_processed_total',
        { ...ctx(ns, ns), ...fwd, subtype: 'to-endpoint' },
        p.forwardedIntra,
      );
      add('hubble_flows_processed_total', { ...ctx(ns, ''), ...fwd, subtype: 'to-stack' }, p.forwardedEgress);
      const dropped = Object.values(p.dropped).reduce((a, b) => a + b, 0);
      const drop = { protocol: 'TCP', type: 'Drop', subtype: '', verdict: 'DROPPED' };
      add('hubble_flows_processed_total', { ...ctx('', ns), ...drop }, dropped);
    }
    if (on.has('drop'))
      for (const [reason, r] of Object.entries(p.dropped))
        add('hubble_drop_total', { ...ctx('', ns), reason, protocol: 'TCP' }, r);
    if (on.has('dns')) {
      const q = { qtypes: 'A', ips_returned: '0', rcode: '' };
      add('hubble_dns_queries_total', { ...ctx(ns, 'kube-system'), ...q }, p.dnsQueries);
      for (const [rcode, r] of Object.entries(p.dnsResponses))
        add(
          'hubble_dns_responses_total',
          { ...ctx('kube-system', ns), rcode, qtypes: 'A', ips_returned: rcode === 'No Error' ? '1' : '0' },
          r,
        );
    }
    if (on.has('tcp'))
      for (const [flag, r] of Object.entries(p.tcp))
        add('hubble_tcp_flags_total', { ...ctx(ns, ns), flag, family: 'IPv4' }, r);
    const http = { method: 'GET', reporter: 'server' };
    if (on.has('httpV2'))
      for (const [status, r] of Object.entries(p.httpByStatus))
        add('hubble_http_requests_total', { ...ctx(ns, ns), ...http, protocol: 'HTTP/1.1', status }, r);
    if (on.has('http')) {
      const total = Object.values(p.httpByStatus).reduce((a, b) => a + b, 0);
      add('hubble_http_requests_total', { ...ctx(ns, ns), ...http, protocol: 'HTTP/1.1' }, total);
      for (const [status, r] of Object.entries(p.httpByStatus))
        add('hubble_http_responses_total', { ...ctx(ns, ns), ...http, status }, r);
    }
    if (on.has('httpV2') || on.has('http'))
      for (const [le, r] of Object.entries(p.httpLatency))
        histograms.push({
          name: 'hubble_http_request_duration_seconds',
          labels: { ...ctx(ns, ns), ...http, le },
          rate: r,
        });
    if (on.has('port-distribution'))
      add(
        'hubble_port_distribution_total',
        { ...ctx(ns, ns), protocol: 'TCP', port: '8080' },
        p.forwardedIntra,
      );
    if (on.has('icmp'))
      add('hubble_icmp_total', { ...ctx(ns, ''), family: 'IPv4', type: 'EchoRequest' }, 0.1);
    add('cilium_forward_count_total', { direction: 'EGRESS' }, 10 * (p.forwardedIntra + p.forwardedEgress));
    add(
      'cilium_drop_count_total',
      { reason: 'Policy denied', direction: 'INGRESS' },
      10 * (p.dropped.POLICY_DENIED ?? 0),
    );
  });
  if (on.size > 0) add('hubble_lost_events_total', { source: 'observer_events_queue' }, LOST_EVENTS_RATE);
  return { counters, histograms };
}

/** Sums series that become identical once context labels are dropped (Prometheus rejects duplicates). */
function aggregate(
  series: Counter[],
  contextLabels: boolean,
): Map<string, { name: string; labels: Labels; rate: number }> {
  const out = new Map<string, { name: string; labels: Labels; rate: number }>();
  for (const s of series) {
    const labels = { ...s.labels };
    if (!contextLabels) {
      delete labels.source_namespace;
      delete labels.destination_namespace;
    }
    const key = `${s.name}{${labelText(labels)}}`;
    const e = out.get(key);
    if (e) e.rate += s.rate;
    else out.set(key, { name: s.name, labels, rate: s.rate });
  }
  return out;
}

export async function startHubbleExporter(opts: HubbleExporterOptions): Promise<HubbleExporter> {
  const { counters, histograms } = buildCounters(opts);
  const counterSeries = aggregate(counters, opts.contextLabels);
  const histSeries = aggregate(histograms, opts.contextLabels);
  const startedAt = Date.now();
  const uptime = opts.uptimeSeconds ?? 3600;
  const errors: string[] = [];
  let scrapes = 0;

  const render = () => {
    const elapsed = uptime + (Date.now() - startedAt) / 1000;
    const byName = new Map<string, string[]>();
    const push = (family: string, line: string) => {
      const lines = byName.get(family) ?? [];
      lines.push(line);
      byName.set(family, lines);
    };
    for (const s of counterSeries.values())
      push(s.name, `${s.name}{${labelText(s.labels)}} ${(s.rate * elapsed).toFixed(3)}`);
    // Histogram: group per label set without le, then cumulative buckets, _sum (bucket midpoints) and _count.
    const groups = new Map<string, { labels: Labels; perBucket: Map<number, number> }>();
    for (const s of histSeries.values()) {
      const { le, ...rest } = s.labels;
      const k = labelText(rest);
      const g = groups.get(k) ?? { labels: rest, perBucket: new Map<number, number>() };
      g.perBucket.set(Number(le), (g.perBucket.get(Number(le)) ?? 0) + s.rate);
      groups.set(k, g);
    }
    const h = 'hubble_http_request_duration_seconds';
    for (const g of groups.values()) {
      let cumulative = 0;
      let sum = 0;
      BUCKETS.forEach((b, i) => {
        const r = g.perBucket.get(b) ?? 0;
        cumulative += r;
        sum += r * ((b + (BUCKETS[i - 1] ?? 0)) / 2);
        push(
          h,
          `${h}_bucket{${labelText({ ...g.labels, le: String(b) })}} ${(cumulative * elapsed).toFixed(3)}`,
        );
      });
      push(h, `${h}_bucket{${labelText({ ...g.labels, le: '+Inf' })}} ${(cumulative * elapsed).toFixed(3)}`);
      push(h, `${h}_sum{${labelText(g.labels)}} ${(sum * elapsed).toFixed(6)}`);
      push(h, `${h}_count{${labelText(g.labels)}} ${(cumulative * elapsed).toFixed(3)}`);
    }
    push('cilium_endpoint_state', `cilium_endpoint_state{state="ready"} ${3 * opts.namespaces.length}`);
    push(
      'cilium_version',
      'cilium_version{date="2025-01-01T00:00:00Z",revision="abcdef0",version="1.17.4"} 1',
    );
    const out: string[] = [];
    for (const [name, lines] of byName) {
      const [help, type] = HELP[name] ?? ['', 'counter'];
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    }
    return out.join('\n') + '\n';
  };

  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      scrapes += 1;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(render());
      return;
    }
    const msg = `hubble-exporter fake: unknown request ${req.method} ${req.url}`;
    errors.push(msg);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(msg + '\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    target: `127.0.0.1:${port}`,
    port,
    scrapes: () => scrapes,
    errors,
    render,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

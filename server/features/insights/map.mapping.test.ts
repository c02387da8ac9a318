import { describe, expect, it } from 'vitest';
import { roundTripGetFlowsResponse } from '../../clients/hubble/proto';
import { GetFlowsResponseSchema } from '../../clients/hubble/schemas';
import { devTeamRound, worldConsoleApps } from '../../../test/fixtures/rainbond/team-world';
import { podEndpoint, tcpFlow } from '../../../test/fakes/hubble-relay';
import type { FlowView } from '../../../contract/insights';
import { toFlowView } from './flows.mapping';
import { buildServiceMap } from './map.mapping';
import { toDirectory } from './team-directory';

const directory = toDirectory(
  'dev-team',
  worldConsoleApps()
    .filter((a) => a.team === 'dev-team')
    .map((a) => ({
      appId: a.appId,
      appName: a.name,
      components: a.components.map((c) => ({ alias: c.alias, cname: c.cname, serviceId: 'x' })),
    })),
);
const view = (f: Record<string, unknown>): FlowView =>
  toFlowView(GetFlowsResponseSchema.parse(roundTripGetFlowsResponse({ flow: f })).flow!);
const world = (rounds = 2) =>
  Array.from({ length: rounds }, (_, r) => devTeamRound(Date.now() - 10_000 + r * 1000))
    .flat()
    .map(view);

describe('buildServiceMap', () => {
  const map = buildServiceMap(world(), { namespace: 'dev-team', directory });
  const node = (id: string) => map.nodes.find((n) => n.id === id);
  const edge = (s: string, t: string, port?: number) =>
    map.edges.find((e) => e.source === s && e.target === t && (port === undefined || e.port === port));

  it('nodes: components by name and app, other pods by workload, other namespaces by namespace/workload, reserved as such', () => {
    expect(node('component:gr8b2c4d')).toMatchObject({
      kind: 'component',
      name: '订单服务',
      namespace: 'dev-team',
      component: { alias: 'gr8b2c4d', appId: 101, appName: '在线商城' },
      filter: 'label=k8s:service_alias=gr8b2c4d',
    });
    expect(node('workload:dev-team/db-migrate')).toMatchObject({
      kind: 'workload',
      name: 'db-migrate',
      filter: 'workload=db-migrate',
    });
    expect(node('workload:other-team/report-reporter')).toMatchObject({
      kind: 'workload',
      name: 'report-reporter',
      namespace: 'other-team',
      filter: 'pod=other-team/report-reporter-',
    });
    expect(node('workload:other-team/report-reporter')?.component).toBeUndefined();
    for (const [id, kind] of [
      ['world', 'world'],
      ['dns', 'dns'],
      ['host', 'host'],
      ['remote-node', 'host'],
      ['apiserver', 'apiserver'],
    ] as const)
      expect(node(id)?.kind, id).toBe(kind);
    expect(JSON.stringify(map)).not.toContain('报表服务');
  });

  it('edges run client → server: HTTP responses are turned around and counted with status and p95', () => {
    const http = edge('component:gr6f3a21', 'component:gr8b2c4d', 8080);
    expect(http).toMatchObject({ protocol: 'http', flows: 6, forwarded: 6, dropped: 0 });
    expect(http?.http).toMatchObject({ '2xx': 2, '5xx': 2 });
    expect(http?.http?.p95Ms).toBe(180);
    expect(edge('component:gr8b2c4d', 'dns', 53)).toMatchObject({ protocol: 'dns', flows: 4 });
    expect(edge('workload:shop/store-storefront', 'component:gr8b2c4d', 8080)).toBeDefined();
  });

  it('drop edges: counts by reason and the deciding policy from the callback', () => {
    const m = buildServiceMap(world(), {
      namespace: 'dev-team',
      directory,
      explain: (v) => ({
        explanation: null,
        policy:
          v.dropReason === 'POLICY_DENIED'
            ? {
                effect: 'deny',
                attribution: 'likely',
                direction: 'ingress',
                policies: [
                  {
                    kind: 'CiliumNetworkPolicy',
                    name: 'orders-db-ingress',
                    namespace: 'dev-team',
                    ingress: true,
                    egress: false,
                  },
                ],
              }
            : null,
      }),
    });
    const e = m.edges.find((x) => x.source === 'workload:other-team/report-reporter');
    expect(e).toMatchObject({ dropped: 2, forwarded: 0, dropReasons: { POLICY_DENIED: 2 } });
    expect(e?.policy?.policies.map((p) => p.name)).toEqual(['orders-db-ingress']);
    expect(m.edges.find((x) => x.audited > 0)).toMatchObject({
      source: 'workload:dev-team/metrics-exporter',
      audited: 2,
    });
  });

  it('without a directory, components stay workloads (names unresolved)', () => {
    const m = buildServiceMap(world(1), { namespace: 'dev-team', directory: null });
    expect(m.nodes.some((n) => n.kind === 'component')).toBe(false);
    expect(m.nodes.find((n) => n.id === 'workload:dev-team/mall-order-api')).toBeDefined();
  });

  it('caps: other namespaces fold into their namespace, then the quietest nodes into "other"; edges with drops stay', () => {
    const team = (i: number) => podEndpoint({ namespace: 'dev-team', app: `svc-${i}` });
    const flows: FlowView[] = [];
    for (let i = 0; i < 40; i++)
      for (let j = 0; j <= i % 5; j++)
        flows.push(
          view(tcpFlow({ timeMs: 1000 + i, source: team(i), destination: team((i + 1) % 40), port: 80 })),
        );
    for (let i = 0; i < 30; i++)
      flows.push(
        view(
          tcpFlow({
            timeMs: 2000 + i,
            source: podEndpoint({ namespace: `ns-${i % 3}`, app: `c-${i}` }),
            destination: team(0),
            port: 80,
          }),
        ),
      );
    const dropped = view({
      ...tcpFlow({
        timeMs: 3000,
        source: podEndpoint({ namespace: 'ns-9', app: 'x' }),
        destination: team(39),
        port: 5432,
      }),
      verdict: 'DROPPED',
      drop_reason_desc: 'POLICY_DENIED',
    });
    flows.push(dropped);
    const m = buildServiceMap(flows, { namespace: 'dev-team', directory: null, maxNodes: 30, maxEdges: 25 });
    expect(m.folded).toBe(true);
    expect(m.nodes.length).toBeLessThanOrEqual(30);
    expect(m.edges.length).toBeLessThanOrEqual(25);
    expect(m.nodes.find((n) => n.id === 'namespace:ns-0')).toMatchObject({ kind: 'namespace', folded: 10 });
    const other = m.nodes.find((n) => n.id === 'other');
    expect(other?.folded).toBeGreaterThan(0);
    expect(m.edges.some((e) => e.dropped > 0)).toBe(true);
    const ids = new Set(m.nodes.map((n) => n.id));
    for (const e of m.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
  });

  it('is deterministic: the same flows give the same map', () => {
    const a = buildServiceMap(world(), { namespace: 'dev-team', directory });
    const b = buildServiceMap(world(), { namespace: 'dev-team', directory });
    expect(b.nodes.map((n) => n.id)).toEqual(a.nodes.map((n) => n.id));
    expect(b.edges.map((e) => `${e.source}>${e.target}:${e.port}`)).toEqual(
      a.edges.map((e) => `${e.source}>${e.target}:${e.port}`),
    );
  });
});

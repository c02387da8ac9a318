import { describe, expect, it } from 'vitest';
import { roundTripGetFlowsResponse } from '../../clients/hubble/proto';
import { GetFlowsResponseSchema } from '../../clients/hubble/schemas';
import { toPolicySummary } from '../../clients/cluster/policies';
import type { PolicySummary } from '../../cilium/policies';
import { devTeamRound, worldConsoleApps, worldPolicies } from '../../../test/fixtures/rainbond/team-world';
import type { FlowView } from '../../../contract/insights';
import { toFlowView } from './flows.mapping';
import { decorateFlow } from './flows.names';
import { toDirectory } from './team-directory';

const policies = worldPolicies()
  .map((o) => toPolicySummary(o.kind, o))
  .filter((p): p is PolicySummary => p !== null);
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

const views = (strip: (f: Record<string, unknown>) => Record<string, unknown> = (f) => f) =>
  devTeamRound(Date.now()).map((f) => {
    const m = GetFlowsResponseSchema.parse(roundTripGetFlowsResponse({ flow: strip(f) }));
    return decorateFlow(toFlowView(m.flow!), {
      namespace: 'dev-team',
      locale: 'en',
      directory,
      policies,
    });
  });
const byReason = (vs: FlowView[], r: string) => vs.find((v) => v.dropReason === r) as FlowView;

describe('component names', () => {
  it("names the team's components on both sides, never another namespace's", () => {
    const vs = views();
    const web = vs.find((v) => v.source.component?.alias === 'gr6f3a21');
    expect(web?.source.component).toEqual({
      alias: 'gr6f3a21',
      name: '商城前端',
      appId: 101,
      appName: '在线商城',
    });
    const fromReporter = byReason(vs, 'POLICY_DENIED');
    expect(fromReporter.source.namespace).toBe('other-team');
    expect(fromReporter.source.component).toBeNull();
    expect(fromReporter.destination.component?.name).toBe('订单数据库');
    const job = vs.find((v) => v.source.workload === 'db-migrate');
    expect(job?.source.component).toBeNull();
  });
});

describe('why was this dropped?', () => {
  it('POLICY_DENY with egress_denied_by (Cilium ≥ 1.16): the policy the flow names, egress, at the source', () => {
    const v = byReason(views(), 'POLICY_DENY');
    expect(v.policy).toEqual({
      effect: 'deny',
      attribution: 'flow',
      direction: 'egress',
      policies: [
        {
          kind: 'CiliumNetworkPolicy',
          name: 'deny-external-egress',
          namespace: 'dev-team',
          ingress: false,
          egress: true,
        },
      ],
    });
    expect(v.explanation).toMatchObject({
      reason: 'POLICY_DENY',
      direction: 'egress',
      enforcedAt: 'source',
      enforcedInTeam: true,
      wouldDrop: false,
    });
    expect(v.explanation?.text).toMatch(/explicit deny rule/);
    expect(v.explanation?.nextSteps).toEqual([
      'kubectl -n dev-team get cnp deny-external-egress -o yaml',
      `hubble observe --namespace dev-team --verdict DROPPED --from-pod dev-team/${v.source.pod}`,
    ]);
  });

  it('the same drop from a relay without attribution (< 1.16): the policies selecting the pod, as likely', () => {
    const v = byReason(
      views(({ egress_denied_by: _d, ...rest }) => rest),
      'POLICY_DENY',
    );
    expect(v.policy).toMatchObject({ attribution: 'likely', direction: 'egress' });
    expect(v.policy?.policies.map((p) => p.name)).toEqual(['deny-external-egress']);
  });

  it('POLICY_DENIED (default deny) on ingress: the CNP and the CCNP selecting the DB, likely; the other team is not named', () => {
    const v = byReason(views(), 'POLICY_DENIED');
    expect(v.policy?.attribution).toBe('likely');
    expect(v.policy?.policies.map((p) => `${p.kind}/${p.name}`).sort()).toEqual([
      'CiliumClusterwideNetworkPolicy/allow-health-checks',
      'CiliumNetworkPolicy/orders-db-ingress',
    ]);
    expect(v.explanation).toMatchObject({
      direction: 'ingress',
      enforcedAt: 'destination',
      enforcedInTeam: true,
    });
    expect(v.explanation?.nextSteps).toEqual([
      'kubectl -n dev-team get cnp orders-db-ingress -o yaml',
      'kubectl get ccnp allow-health-checks -o yaml',
      `hubble observe --namespace dev-team --verdict DROPPED --to-pod dev-team/${v.destination.pod}`,
    ]);
    expect(JSON.stringify(v.explanation)).not.toContain('other-team');
    expect(JSON.stringify(v.policy)).not.toContain('reporter-egress');
  });

  it('AUDIT: would be dropped, with the NetworkPolicy selecting Redis', () => {
    const v = views().find((x) => x.verdict === 'AUDIT') as FlowView;
    expect(v.explanation).toMatchObject({ wouldDrop: true, reason: 'POLICY_DENIED', direction: 'ingress' });
    expect(v.policy?.policies.map((p) => p.name)).toContain('redis-from-order-api');
    expect(v.explanation?.nextSteps).toContain(
      'kubectl -n dev-team get networkpolicy redis-from-order-api -o yaml',
    );
    expect(v.explanation?.nextSteps.at(-1)).toMatch(/--verdict AUDIT --to-pod dev-team\//);
  });

  it('a drop that is not about policy: the reason in words and commands for the team namespace only', () => {
    const v = byReason(views(), 'STALE_OR_UNROUTABLE_IP');
    expect(v.policy).toBeNull();
    expect(v.explanation?.text).toMatch(/no longer knows/);
    expect(v.explanation?.nextSteps).toContain('kubectl -n dev-team get pods -o wide');
  });

  it('forwarded flows get no explanation', () => {
    expect(
      views()
        .filter((v) => v.verdict === 'FORWARDED')
        .every((v) => v.explanation === null),
    ).toBe(true);
  });

  it('words in zh-CN', () => {
    const m = GetFlowsResponseSchema.parse(
      roundTripGetFlowsResponse({
        flow: devTeamRound(Date.now()).find((f) => f.drop_reason_desc === 'POLICY_DENY'),
      }),
    );
    const v = decorateFlow(toFlowView(m.flow!), {
      namespace: 'dev-team',
      locale: 'zh-CN',
      directory,
      policies,
    });
    expect(v.explanation?.text).toMatch(/显式拒绝/);
  });
});

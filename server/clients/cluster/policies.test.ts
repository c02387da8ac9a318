import { describe, expect, it } from 'vitest';
import { worldPolicies } from '../../../test/fixtures/rainbond/team-world';
import { toPolicySummary } from './policies';

const byName = (name: string) => {
  const o = worldPolicies().find((p) => p.metadata.name === name);
  if (!o) throw new Error(name);
  return toPolicySummary(o.kind, o);
};

describe('toPolicySummary', () => {
  it('a CiliumNetworkPolicy: its namespace, selector and ingress rules', () => {
    expect(byName('orders-db-ingress')).toEqual({
      kind: 'CiliumNetworkPolicy',
      name: 'orders-db-ingress',
      namespace: 'dev-team',
      rules: [
        {
          selector: { matchLabels: { service_alias: 'gr2d9e07' }, matchExpressions: [] },
          ingress: true,
          egress: false,
          hostOnly: false,
        },
      ],
    });
  });

  it('an egressDeny rule counts as egress; a CCNP has no namespace', () => {
    expect(byName('deny-external-egress')?.rules[0]).toMatchObject({ ingress: false, egress: true });
    expect(byName('allow-health-checks')).toMatchObject({ namespace: null, rules: [{ ingress: true }] });
  });

  it('a NetworkPolicy follows policyTypes, else Ingress plus Egress when it has egress rules', () => {
    expect(byName('redis-from-order-api')?.rules[0]).toMatchObject({ ingress: true, egress: false });
    const np = (spec: Record<string, unknown>) =>
      toPolicySummary('NetworkPolicy', {
        metadata: { name: 'n', namespace: 'x' },
        spec: { podSelector: {}, ...spec },
      });
    expect(np({ egress: [{}] })?.rules[0]).toMatchObject({ ingress: true, egress: true });
    expect(np({ policyTypes: ['Egress'] })?.rules[0]).toMatchObject({ ingress: false, egress: true });
  });

  it('specs[] rules and nodeSelector (host) rules; malformed objects are null', () => {
    const p = toPolicySummary('CiliumClusterwideNetworkPolicy', {
      metadata: { name: 'multi' },
      specs: [
        { endpointSelector: {}, egress: [{}] },
        { nodeSelector: {}, ingress: [{}] },
      ],
    });
    expect(p?.rules.map((r) => r.hostOnly)).toEqual([false, true]);
    expect(toPolicySummary('NetworkPolicy', { metadata: {} })).toBeNull();
    expect(toPolicySummary('Secret', { metadata: { name: 'x' } })).toBeNull();
  });
});

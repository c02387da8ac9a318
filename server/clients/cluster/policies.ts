/**
 * CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy (cilium.io/v2) and NetworkPolicy (networking.k8s.io/v1)
 * → the slim PolicySummary the drop explanations read: who each rule selects and which directions it restricts.
 * The rules themselves are not kept.
 */
import { z } from 'zod';
import type { LabelSelector, PolicyKind, PolicyRule, PolicySummary } from '../../cilium/policies';

export type { PolicySummary };

const SelectorSchema = z
  .object({
    matchLabels: z.record(z.string(), z.string()).nullish(),
    matchExpressions: z
      .array(
        z.object({
          key: z.string(),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: z.array(z.string()).nullish(),
        }),
      )
      .nullish(),
  })
  .nullish();

const present = z.array(z.unknown()).nullish();

/** One Cilium rule (spec or an entry of specs). */
const CiliumRuleSchema = z.object({
  endpointSelector: SelectorSchema,
  nodeSelector: SelectorSchema,
  ingress: present,
  ingressDeny: present,
  egress: present,
  egressDeny: present,
});

const MetaSchema = z.object({ name: z.string(), namespace: z.string().nullish() });

const CiliumPolicySchema = z.object({
  metadata: MetaSchema,
  spec: CiliumRuleSchema.nullish(),
  specs: z.array(CiliumRuleSchema).nullish(),
});

const NetworkPolicySchema = z.object({
  metadata: MetaSchema,
  spec: z.object({
    podSelector: SelectorSchema,
    policyTypes: z.array(z.string()).nullish(),
    ingress: present,
    egress: present,
  }),
});

function selectorOf(s: z.infer<typeof SelectorSchema>): LabelSelector {
  return {
    matchLabels: { ...(s?.matchLabels ?? {}) },
    matchExpressions: (s?.matchExpressions ?? []).map((e) => ({
      key: e.key,
      operator: e.operator,
      values: e.values ?? [],
    })),
  };
}

function ciliumRule(r: z.infer<typeof CiliumRuleSchema>): PolicyRule {
  const hostOnly = !r.endpointSelector && Boolean(r.nodeSelector);
  return {
    selector: selectorOf(r.endpointSelector),
    ingress: Boolean(r.ingress || r.ingressDeny),
    egress: Boolean(r.egress || r.egressDeny),
    hostOnly,
  };
}

/** A raw policy object of `kind` → PolicySummary, or null when it is not shaped like one. */
export function toPolicySummary(kind: string, raw: unknown): PolicySummary | null {
  if (kind === 'NetworkPolicy') {
    const r = NetworkPolicySchema.safeParse(raw);
    if (!r.success) return null;
    const { spec, metadata } = r.data;
    const types = spec.policyTypes;
    return {
      kind: 'NetworkPolicy',
      name: metadata.name,
      namespace: metadata.namespace ?? '',
      rules: [
        {
          selector: selectorOf(spec.podSelector),
          ingress: types ? types.includes('Ingress') : true,
          egress: types ? types.includes('Egress') : Boolean(spec.egress),
          hostOnly: false,
        },
      ],
    };
  }
  if (kind !== 'CiliumNetworkPolicy' && kind !== 'CiliumClusterwideNetworkPolicy') return null;
  const r = CiliumPolicySchema.safeParse(raw);
  if (!r.success) return null;
  const rules = [...(r.data.spec ? [r.data.spec] : []), ...(r.data.specs ?? [])].map(ciliumRule);
  return {
    kind: kind as PolicyKind,
    name: r.data.metadata.name,
    namespace: kind === 'CiliumClusterwideNetworkPolicy' ? null : (r.data.metadata.namespace ?? ''),
    rules,
  };
}

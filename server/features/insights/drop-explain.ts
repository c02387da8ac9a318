/**
 * "Why was this dropped?": for a DROPPED (or AUDIT) flow, the reason in words, the direction and the side that
 * decided, the deciding policy — named by the flow itself (`ingress_denied_by` / `egress_denied_by`, Cilium ≥ 1.16)
 * or else the policies that select the deciding pod in that direction, marked "likely" — and copyable next steps
 * that only ever name the team's own namespace. Policies of another team's namespace are never listed.
 */
import { dropReasonText, isPolicyDrop } from '../../cilium/drop-reasons';
import type { Locale } from '../../../contract/common';
import type { DropExplanation, FlowPolicy, FlowView, PolicyRef } from '../../../contract/insights';
import {
  POLICY_SHORT_NAMES,
  policiesSelecting,
  policyDirections,
  policyKindOf,
  type PolicyKind,
  type PolicySummary,
} from '../../cilium/policies';
import type { HubbleFlow, HubblePolicy } from '../../clients/hubble/schemas';

const toRef = (p: HubblePolicy): PolicyRef => ({
  kind: policyKindOf(p),
  name: p.name,
  namespace: p.namespace || null,
  ingress: null,
  egress: null,
});

/** The policy a flow names itself: denied_by (drops, Cilium ≥ 1.16), else allowed_by (forwarded, ≥ 1.15); else null. */
export function flowPolicyOf(flow: HubbleFlow): FlowPolicy | null {
  const pick = (
    effect: 'deny' | 'allow',
    ingress: HubblePolicy[],
    egress: HubblePolicy[],
  ): FlowPolicy | null => {
    if (ingress.length === 0 && egress.length === 0) return null;
    const direction = ingress.length > 0 ? 'ingress' : 'egress';
    return { effect, attribution: 'flow', direction, policies: [...ingress, ...egress].map(toRef) };
  };
  return (
    pick('deny', flow.ingress_denied_by, flow.egress_denied_by) ??
    pick('allow', flow.ingress_allowed_by, flow.egress_allowed_by)
  );
}

export interface ExplainContext {
  /** The team's namespace, e.g. "shop". */
  namespace: string;
  locale: Locale;
  /** Network policies in the cluster view (every namespace and cluster-wide); only the team's are listed. */
  policies: readonly PolicySummary[];
}

const summaryRef = (p: PolicySummary): PolicyRef => ({
  kind: p.kind,
  name: p.name,
  namespace: p.namespace,
  ...policyDirections(p),
});

/** Fills ingress/egress of a policy the flow names from the cluster view, when it is there. */
function withDirections(ref: PolicyRef, policies: readonly PolicySummary[]): PolicyRef {
  const p = policies.find(
    (x) => x.kind === ref.kind && x.name === ref.name && (x.namespace ?? null) === ref.namespace,
  );
  return p ? { ...ref, ...policyDirections(p) } : ref;
}

/** A command that reads the policy, only for the team's namespace or cluster-wide, e.g. "kubectl -n shop get cnp db -o yaml". */
function readPolicyCommand(ref: PolicyRef, namespace: string): string | null {
  const short = POLICY_SHORT_NAMES[ref.kind as PolicyKind];
  if (!short) return null;
  if (ref.kind === 'CiliumClusterwideNetworkPolicy') return `kubectl get ${short} ${ref.name} -o yaml`;
  return ref.namespace === namespace ? `kubectl -n ${namespace} get ${short} ${ref.name} -o yaml` : null;
}

/** The policy (flow-named or likely) and the explanation of one flow; both null for a flow that was not dropped. */
export function explainFlow(
  view: FlowView,
  ctx: ExplainContext,
): { policy: FlowPolicy | null; explanation: DropExplanation | null } {
  const ns = ctx.namespace;
  if (view.verdict !== 'DROPPED' && view.verdict !== 'AUDIT') {
    const policy = view.policy
      ? { ...view.policy, policies: view.policy.policies.map((r) => withDirections(r, ctx.policies)) }
      : null;
    return { policy, explanation: null };
  }
  const wouldDrop = view.verdict === 'AUDIT';
  // policy audit mode reports what enforcement would deny
  const reason = view.dropReason ?? (wouldDrop ? 'POLICY_DENIED' : 'DROP_REASON_UNKNOWN');
  const direction = view.policy?.direction ?? view.direction;
  const enforcedAt = direction === 'ingress' ? 'destination' : direction === 'egress' ? 'source' : null;
  const decider = enforcedAt ? view[enforcedAt] : null;
  const enforcedInTeam = decider !== null && decider.namespace === ns;

  let policy: FlowPolicy | null = null;
  if (view.policy?.effect === 'deny')
    policy = { ...view.policy, policies: view.policy.policies.map((r) => withDirections(r, ctx.policies)) };
  else if ((isPolicyDrop(reason) || wouldDrop) && decider && enforcedInTeam && direction !== 'unknown')
    policy = {
      effect: 'deny',
      attribution: 'likely',
      direction,
      policies: policiesSelecting(ctx.policies, decider, direction).map(summaryRef),
    };

  const steps: string[] = [];
  for (const ref of policy?.policies ?? []) {
    const cmd = readPolicyCommand(ref, ns);
    if (cmd && !steps.includes(cmd)) steps.push(cmd);
  }
  if (isPolicyDrop(reason) && enforcedInTeam && steps.length === 0)
    steps.push(`kubectl -n ${ns} get ciliumnetworkpolicies,networkpolicies`);
  const verdict = wouldDrop ? 'AUDIT' : 'DROPPED';
  const teamPod =
    view.destination.namespace === ns && view.destination.pod
      ? `--to-pod ${ns}/${view.destination.pod}`
      : view.source.namespace === ns && view.source.pod
        ? `--from-pod ${ns}/${view.source.pod}`
        : null;
  steps.push(`hubble observe --namespace ${ns} --verdict ${verdict}${teamPod ? ` ${teamPod}` : ''}`);
  if (reason === 'STALE_OR_UNROUTABLE_IP' || reason === 'DROP_EP_NOT_READY')
    steps.push(`kubectl -n ${ns} get pods -o wide`);
  if (reason === 'SERVICE_BACKEND_NOT_FOUND') steps.push(`kubectl -n ${ns} get endpointslices`);

  return {
    policy,
    explanation: {
      reason,
      text: dropReasonText(reason, ctx.locale),
      wouldDrop,
      direction,
      enforcedAt,
      enforcedInTeam,
      nextSteps: steps,
    },
  };
}

import { describe, expect, it } from 'vitest';
import {
  labelIndex,
  parseLabel,
  policiesSelecting,
  policyKindOf,
  policySelects,
  type PolicySummary,
} from './policies';

const pod = (namespace: string, labels: Record<string, string>) => ({
  namespace,
  labels: [
    ...Object.entries(labels).map(([k, v]) => `k8s:${k}=${v}`),
    `k8s:io.kubernetes.pod.namespace=${namespace}`,
  ],
});

const rule = (matchLabels: Record<string, string>, dirs: { ingress?: boolean; egress?: boolean }) => ({
  selector: { matchLabels, matchExpressions: [] },
  ingress: dirs.ingress ?? false,
  egress: dirs.egress ?? false,
  hostOnly: false,
});

describe('parseLabel', () => {
  it.each([
    ['k8s:app=web', { source: 'k8s', key: 'app', value: 'web' }],
    ['reserved:host', { source: 'reserved', key: 'host', value: '' }],
    ['app=web', { source: 'any', key: 'app', value: 'web' }],
    [
      'k8s:app.kubernetes.io/name=prometheus',
      { source: 'k8s', key: 'app.kubernetes.io/name', value: 'prometheus' },
    ],
  ])('%s', (label, want) => expect(parseLabel(label)).toEqual(want));

  it('indexes by key and by source:key', () => {
    const i = labelIndex(['k8s:service_alias=gr1', 'reserved:host']);
    expect(i.get('service_alias')).toBe('gr1');
    expect(i.get('k8s:service_alias')).toBe('gr1');
    expect(i.get('reserved:host')).toBe('');
  });
});

describe('policySelects', () => {
  const cnp: PolicySummary = {
    kind: 'CiliumNetworkPolicy',
    name: 'db',
    namespace: 'shop',
    rules: [rule({ service_alias: 'gr2d' }, { ingress: true })],
  };
  it.each([
    [
      'the pod its selector names, in its namespace',
      pod('shop', { service_alias: 'gr2d' }),
      { ingress: true, egress: false },
    ],
    ['nothing in another namespace (CNPs are namespaced)', pod('billing', { service_alias: 'gr2d' }), null],
    ['nothing without the label', pod('shop', { service_alias: 'gr9' }), null],
  ])('selects %s', (_what, p, want) => expect(policySelects(cnp, p)).toEqual(want));

  it('matches a source-qualified key ("k8s:app") and the expression operators', () => {
    const p: PolicySummary = {
      kind: 'CiliumClusterwideNetworkPolicy',
      name: 'x',
      namespace: null,
      rules: [
        {
          selector: {
            matchLabels: { 'k8s:app': 'web' },
            matchExpressions: [
              { key: 'tier', operator: 'In', values: ['front', 'edge'] },
              { key: 'legacy', operator: 'DoesNotExist', values: [] },
            ],
          },
          ingress: false,
          egress: true,
          hostOnly: false,
        },
      ],
    };
    expect(policySelects(p, pod('any-ns', { app: 'web', tier: 'edge' }))).toEqual({
      ingress: false,
      egress: true,
    });
    expect(policySelects(p, pod('any-ns', { app: 'web', tier: 'db' }))).toBeNull();
    expect(policySelects(p, pod('any-ns', { app: 'web', tier: 'edge', legacy: 'y' }))).toBeNull();
  });

  it('an empty selector selects every pod of the namespace; host-only rules select none', () => {
    const all: PolicySummary = {
      kind: 'NetworkPolicy',
      name: 'deny',
      namespace: 'shop',
      rules: [rule({}, { ingress: true })],
    };
    expect(policySelects(all, pod('shop', { a: 'b' }))).toEqual({ ingress: true, egress: false });
    const host: PolicySummary = {
      kind: 'CiliumClusterwideNetworkPolicy',
      name: 'host',
      namespace: null,
      rules: [{ ...rule({}, { ingress: true }), hostOnly: true }],
    };
    expect(policySelects(host, pod('shop', {}))).toBeNull();
  });

  it('policiesSelecting keeps those restricting the direction', () => {
    const egress: PolicySummary = {
      ...cnp,
      name: 'eg',
      rules: [rule({ service_alias: 'gr2d' }, { egress: true })],
    };
    const p = pod('shop', { service_alias: 'gr2d' });
    expect(policiesSelecting([cnp, egress], p, 'ingress').map((x) => x.name)).toEqual(['db']);
    expect(policiesSelecting([cnp, egress], p, 'egress').map((x) => x.name)).toEqual(['eg']);
  });
});

describe('policyKindOf', () => {
  it.each([
    [{ kind: 'CiliumNetworkPolicy', labels: [] }, 'CiliumNetworkPolicy'],
    [{ kind: '', labels: ['k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy'] }, 'NetworkPolicy'],
    [{ kind: '', labels: [] }, ''],
  ])('%j → %s', (p, want) => expect(policyKindOf(p)).toBe(want));
});

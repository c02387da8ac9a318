import { describe, expect, it } from 'vitest';
import { parseTags } from '../../../contract/flow-tags';
import { roundTripGetFlowsResponse } from '../../clients/hubble/proto';
import { GetFlowsResponseSchema, type HubbleFlow } from '../../clients/hubble/schemas';
import { componentEndpoint, devTeamRound } from '../../../test/fixtures/rainbond/team-world';
import { tcpFlow } from '../../../test/fakes/hubble-relay';
import {
  buildRelayFilters,
  httpStatusMatches,
  ipMatches,
  labelSelectorMatches,
  matchesRelayFilters,
} from './flows.filters';

const tags = (s: string) => parseTags(s).tags;
/** A fixture flow as the client decodes it (every default filled in). */
const decoded = (f: Record<string, unknown>): HubbleFlow => {
  const m = GetFlowsResponseSchema.parse(roundTripGetFlowsResponse({ flow: f }));
  if (!m.flow) throw new Error('no flow');
  return m.flow;
};

describe('buildRelayFilters', () => {
  it('without tags: the team whitelist, like hubble observe -n', () => {
    expect(buildRelayFilters({ namespace: 'shop', verdict: 'DROPPED' })).toEqual({
      whitelist: [
        { source_pod: ['shop/'], verdict: ['DROPPED'] },
        { destination_pod: ['shop/'], verdict: ['DROPPED'] },
      ],
      blacklist: [],
    });
  });

  it('a pod of another namespace narrows to flows between it and the team; the impossible filter goes', () => {
    const f = buildRelayFilters({ namespace: 'shop', tags: tags('from:pod=billing/reporter-') });
    expect(f.whitelist).toEqual([{ destination_pod: ['shop/'], source_pod: ['billing/reporter-'] }]);
  });

  it('a pod tag inside the team namespace narrows the team filter itself', () => {
    const f = buildRelayFilters({ namespace: 'shop', tags: tags('to:pod=cart-') });
    expect(f.whitelist).toEqual([
      { source_pod: ['shop/'], destination_pod: ['shop/cart-'] },
      { destination_pod: ['shop/cart-'] },
    ]);
  });

  it('either doubles the alternatives; same kind+direction ORs, different ones AND', () => {
    const f = buildRelayFilters({
      namespace: 'shop',
      tags: tags('either:label=k8s:app=web,to:port=5432,to:port=6379,http-status=5+'),
    });
    expect(f.whitelist).toHaveLength(4);
    for (const w of f.whitelist) {
      expect(w.destination_port).toEqual(['5432', '6379']);
      expect(w.http_status_code).toEqual(['5+']);
      expect(w.source_label ?? w.destination_label).toEqual(['k8s:app=web']);
    }
  });

  it('negated tags and hide toggles go to the blacklist only', () => {
    const f = buildRelayFilters({
      namespace: 'shop',
      tags: tags('!either:pod=billing/,!verdict=FORWARDED'),
      hide: ['kube-dns'],
    });
    expect(f.whitelist).toEqual([{ source_pod: ['shop/'] }, { destination_pod: ['shop/'] }]);
    expect(f.blacklist).toEqual([
      { source_pod: ['billing/'] },
      { destination_pod: ['billing/'] },
      { verdict: ['FORWARDED'] },
      { source_label: ['k8s:k8s-app=kube-dns'] },
      { destination_label: ['k8s:k8s-app=kube-dns'] },
    ]);
  });

  it('workload tags become pod prefixes for a relay without workload filters (< 1.13)', () => {
    const f = buildRelayFilters({
      namespace: 'shop',
      tags: tags('to:workload=cart'),
      workloadFilters: false,
    });
    expect(f.whitelist).toEqual([
      { source_pod: ['shop/'], destination_pod: ['/cart-'] },
      { destination_pod: ['shop/cart-'] },
    ]);
    expect(
      buildRelayFilters({ namespace: 'shop', tags: tags('to:workload=Deployment:cart') }).whitelist[0],
    ).toEqual({ source_pod: ['shop/'], destination_workload: [{ kind: 'Deployment', name: 'cart' }] });
  });

  it.each([
    'from:pod=billing/',
    'either:pod=/',
    'to:pod=kube-system/coredns-',
    'from:pod=billing/x,to:pod=other/y',
    'either:label=reserved:world,either:pod=billing/',
  ])('never widens: every whitelist entry keeps a side in the team namespace (%s)', (t) => {
    for (const w of buildRelayFilters({ namespace: 'shop', tags: tags(t) }).whitelist) {
      const inside = (p?: string[]) => p !== undefined && p.every((x) => x.startsWith('shop/'));
      expect(inside(w.source_pod) || inside(w.destination_pod)).toBe(true);
    }
  });

  it('too many either combinations are INVALID_INPUT', () => {
    const many = ['label', 'ip', 'dns', 'port', 'pod', 'workload']
      .map(
        (k, i) => `either:${k}=${k === 'port' ? 80 : k === 'ip' ? '10.0.0.1' : k === 'pod' ? 'a' : `v${i}`}`,
      )
      .join(',');
    expect(() => buildRelayFilters({ namespace: 'shop', tags: tags(many) })).toThrow(/too many filter/);
  });
});

describe('matchesRelayFilters', () => {
  const round = devTeamRound(Date.now()).map(decoded);
  const team = (s: string, extra = {}) =>
    buildRelayFilters({ namespace: 'dev-team', tags: tags(s), ...extra });

  it('applies the same semantics as Relay to decoded flows', () => {
    const drops = round.filter((f) => matchesRelayFilters(f, team('verdict=DROPPED')));
    expect(drops.map((f) => f.drop_reason_desc).sort()).toEqual([
      'POLICY_DENIED',
      'POLICY_DENY',
      'STALE_OR_UNROUTABLE_IP',
    ]);
    const toDb = round.filter((f) => matchesRelayFilters(f, team('to:label=k8s:service_alias=gr2d9e07')));
    expect(toDb.every((f) => f.destination?.labels.includes('k8s:service_alias=gr2d9e07'))).toBe(true);
    expect(toDb.length).toBe(3);
    const stripe = round.filter((f) => matchesRelayFilters(f, team('to:dns=*.stripe.com')));
    expect(stripe).toHaveLength(1);
    const h5 = round.filter((f) => matchesRelayFilters(f, team('http-status=5+')));
    expect(h5.map((f) => f.l7?.http?.code)).toEqual([503]);
    const noDns = round.filter((f) => matchesRelayFilters(f, team('', { hide: ['kube-dns'] })));
    expect(noDns.some((f) => f.l7?.dns)).toBe(false);
  });

  it('a flow of another namespace never passes, whatever the tags', () => {
    const other = decoded(
      tcpFlow({
        timeMs: Date.now(),
        source: componentEndpoint('gr9a8b7c'),
        destination: componentEndpoint('gr3e4f5a'),
      }),
    );
    expect(matchesRelayFilters(other, team('from:pod=other-team/'))).toBe(false);
    expect(matchesRelayFilters(other, team(''))).toBe(false);
  });
});

describe('matchers', () => {
  it.each([
    ['k8s:app=web', ['k8s:app=web'], true],
    ['app=web', ['k8s:app=web'], true],
    ['reserved:host', ['reserved:host'], true],
    ['reserved:host', ['reserved:world'], false],
    ['k8s:app=web,k8s:tier!=db', ['k8s:app=web', 'k8s:tier=db'], false],
    ['!k8s:legacy', ['k8s:app=web'], true],
  ])('label %s on %j → %s', (sel, labels, want) => expect(labelSelectorMatches(sel, labels)).toBe(want));

  it.each([
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/16', '10.1.2.3', false],
    ['10.1.2.3', '10.1.2.3', true],
    ['fd00::/8', 'fd00::1', true],
  ])('ip %s ∋ %s → %s', (p, ip, want) => expect(ipMatches(p, ip)).toBe(want));

  it.each([
    ['5+', 503, true],
    ['40+', 404, true],
    ['40+', 410, false],
    ['404', 404, true],
  ])('http %s ∋ %d → %s', (p, c, want) => expect(httpStatusMatches(p, c)).toBe(want));
});

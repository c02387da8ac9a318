import { describe, expect, it } from 'vitest';
import { makeStatus } from '../../../test/harness';
import { overviewSections } from './overview-view';

describe('overviewSections', () => {
  const base = makeStatus().cluster;

  it('maps each component to a section with its state', () => {
    expect(overviewSections(base).map((s) => [s.id, s.state])).toEqual([
      ['cilium', 'ready'],
      ['hubble', 'ready'],
      ['monitoring', 'missing'],
    ]);
  });

  it.each([
    ['agents short', { ...base.cilium, agents: { ready: 2, desired: 3 } }, 'overview.agents', '2/3', true],
    ['operator complete', base.cilium, 'overview.operator', '1/1', false],
  ])('cilium %s', (_n, cilium, label, value, short) => {
    const row = overviewSections({ ...base, cilium })[0]!.rows.find((r) => r.label === label);
    expect(row).toMatchObject({ value, short });
  });

  it.each([
    ['enabled', { enabled: true, list: ['dns', 'drop'] }, ['dns', 'drop']],
    ['disabled', { enabled: false, list: ['dns'] }, []],
  ])('hubble metrics %s', (_n, metrics, list) => {
    const row = overviewSections({ ...base, hubble: { ...base.hubble, metrics } })[1]!.rows.find(
      (r) => r.label === 'overview.metrics',
    );
    expect(row?.list).toEqual(list);
  });

  it('shows a missing version / namespace as null (rendered "—")', () => {
    const s = overviewSections({ ...base, cilium: { ...base.cilium, version: null, namespace: null } });
    expect(s[0]!.rows.slice(0, 2).map((r) => r.value)).toEqual([null, null]);
  });
});

describe('overviewSections: more than one candidate namespace', () => {
  const base = makeStatus().cluster;

  it.each([
    ['none listed', undefined, undefined],
    ['an empty list', [], undefined],
    ['one other', ['cilium'], { chosen: 'kube-system', others: 'cilium', env: 'CILIUM_NAMESPACE' }],
    [
      'two others',
      ['cilium', 'net'],
      { chosen: 'kube-system', others: 'cilium, net', env: 'CILIUM_NAMESPACE' },
    ],
  ])('Cilium with %s', (_n, candidates, expected) => {
    const cilium = { ...base.cilium, namespace: 'kube-system', candidates };
    expect(overviewSections({ ...base, cilium })[0]!.ambiguity).toEqual(expected);
  });

  it('monitoring names MONITORING_NAMESPACE', () => {
    const monitoring = { ...base.monitoring, namespace: 'cilium-monitoring', candidates: ['monitoring'] };
    expect(overviewSections({ ...base, monitoring })[2]!.ambiguity).toEqual({
      chosen: 'cilium-monitoring',
      others: 'monitoring',
      env: 'MONITORING_NAMESPACE',
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createFakeBackend, makeStatus, mountWithServices } from '../../../test/harness';
import ClusterOverview from './ClusterOverview.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const mountWith = (candidates: string[], locale: 'en' | 'zh-CN' = 'en') => {
  const base = makeStatus();
  const status = {
    ...base,
    cluster: { ...base.cluster, cilium: { ...base.cluster.cilium, namespace: 'kube-system', candidates } },
  };
  return mountWithServices(ClusterOverview, { status }, { fetch: createFakeBackend({}).fetch, locale });
};

describe('ClusterOverview: ambiguous namespaces', () => {
  it.each([
    ['en', 'Also found in cilium, net; kube-system is used. Set CILIUM_NAMESPACE to choose another.'],
    ['zh-CN', '在 cilium, net 中也找到了，当前使用 kube-system。设置 CILIUM_NAMESPACE 可改选。'],
  ] as const)('says which namespace is used and lists the others (%s)', (locale, text) => {
    const w = mountWith(['cilium', 'net'], locale);
    const note = w.find('[data-section="cilium"] [data-test="ambiguity"]');
    expect(note.text()).toBe(text);
    expect(w.findAll('[data-test="ambiguity"]')).toHaveLength(1);
  });

  it('shows nothing when only one namespace qualified', () => {
    expect(mountWith([]).findAll('[data-test="ambiguity"]')).toHaveLength(0);
  });
});

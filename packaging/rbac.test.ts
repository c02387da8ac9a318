import { describe, expect, it } from 'vitest';
import type { WatchedResource } from '../server/clients/cluster/resources';
import { clusterRoleRules } from './rbac';

const res = (group: string, resource: string, verbs: WatchedResource['verbs']): WatchedResource => ({
  group,
  version: 'v1',
  resource,
  kind: resource,
  listPath: `/x/${resource}`,
  verbs,
});

describe('clusterRoleRules', () => {
  it.each([
    [
      'merges resources of one group with equal verbs',
      [res('apps', 'deployments', ['list', 'watch']), res('apps', 'daemonsets', ['watch', 'list'])],
      [{ apiGroups: ['apps'], resources: ['daemonsets', 'deployments'], verbs: ['list', 'watch'] }],
    ],
    [
      'keeps different verb sets apart (no widening)',
      [res('', 'configmaps', ['get']), res('', 'services', ['list', 'watch'])],
      [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
      ],
    ],
    [
      'gives a resource listed twice the union of its verbs (Services watched, and listed for our own)',
      [
        res('', 'services', ['list', 'watch']),
        res('', 'services', ['list']),
        res('', 'namespaces', ['watch', 'list']),
      ],
      [{ apiGroups: [''], resources: ['namespaces', 'services'], verbs: ['list', 'watch'] }],
    ],
    [
      'widens nothing when the second listing adds a verb: only that resource gets it',
      [res('', 'services', ['list']), res('', 'services', ['get']), res('', 'configmaps', ['list'])],
      [
        { apiGroups: [''], resources: ['services'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['list'] },
      ],
    ],
    ['renders nothing for nothing', [], []],
  ])('%s', (_name, input, expected) => {
    expect(clusterRoleRules(input)).toEqual(expected);
  });
});

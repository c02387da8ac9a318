import { describe, expect, it } from 'vitest';
import {
  accessOf,
  candidatesFor,
  endpointHealth,
  findApp,
  portAliasFor,
  toConsoleAppName,
} from './registration.mapping';

describe('registration mapping', () => {
  it.each([
    ['Cilium Observability', 'Cilium-Observability'],
    ['  net  obs ', 'net-obs'],
    ['可观测性 平台', '可观测性-平台'],
    ['a.b_c-d', 'a.b_c-d'],
    ['!!!', 'cilium-observability'],
  ])('makes app name %j console-safe: %j', (input, want) => {
    expect(toConsoleAppName(input)).toBe(want);
  });

  it.each([
    ['hubble-ui', 80, 'HUBBLE_UI80'],
    ['grafana', 3000, 'GRAFANA3000'],
    ['prometheus', 9090, 'PROMETHEUS9090'],
  ] as const)('port alias of %s:%d is %s', (tool, port, want) => {
    expect(portAliasFor(tool, port)).toBe(want);
  });

  it.each([
    ['by k8s_app', [{ appId: 1, appName: 'x', k8sApp: 'cilium-observability' }], 1],
    ['by name when k8s_app is not listed', [{ appId: 2, appName: 'Cilium-Observability', k8sApp: null }], 2],
    [
      'not by name when k8s_app says otherwise',
      [{ appId: 3, appName: 'Cilium-Observability', k8sApp: 'other' }],
      null,
    ],
    ['none', [], null],
  ])('finds the app %s', (_n, apps, want) => {
    expect(findApp(apps, 'cilium-observability', ['Cilium-Observability'])?.appId ?? null).toBe(want);
  });

  it('tries the component named like the tool first', () => {
    const list = [
      { alias: 'gr1', cname: 'Other', serviceId: '1', status: null },
      { alias: 'gr2', cname: 'Grafana', serviceId: '2', status: null },
    ];
    expect(candidatesFor(list, 'grafana').map((c) => c.alias)).toEqual(['gr2', 'gr1']);
  });

  it.each([
    [[], { healthy: 0, total: 0 }],
    [
      [
        { address: 'a', status: 'healthy' },
        { address: 'b', status: 'notready' },
        { address: 'c', status: '-' },
      ],
      { healthy: 1, total: 3 },
    ],
  ])('counts healthy endpoints of %j', (eps, want) => {
    expect(endpointHealth(eps)).toEqual(want);
  });

  it.each([
    [undefined, { external: false, urls: [] }],
    [
      {
        port: 80,
        protocol: 'http',
        isInner: true,
        isOuter: false,
        domains: [{ domain: 'a.x', protocol: 'http' }],
      },
      { external: false, urls: [] },
    ],
    [
      {
        port: 80,
        protocol: 'http',
        isInner: true,
        isOuter: true,
        domains: [
          { domain: 'a.x', protocol: 'http' },
          { domain: 'b.x', protocol: 'https' },
        ],
      },
      { external: true, urls: ['http://a.x', 'https://b.x'] },
    ],
  ])('access of port %j is %j', (port, want) => {
    expect(accessOf(port)).toEqual(want);
  });
});

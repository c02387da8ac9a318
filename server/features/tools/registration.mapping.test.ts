import { describe, expect, it } from 'vitest';
import { accessOf, endpointHealth, portAliasFor } from './registration.mapping';

describe('registration mapping', () => {
  it.each([
    ['hubble-ui', 80, 'HUBBLE_UI80'],
    ['grafana', 3000, 'GRAFANA3000'],
    ['prometheus', 9090, 'PROMETHEUS9090'],
  ] as const)('port alias of %s:%d is %s', (tool, port, want) => {
    expect(portAliasFor(tool, port)).toBe(want);
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

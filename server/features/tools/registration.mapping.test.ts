import { describe, expect, it } from 'vitest';
import { accessOf, combineAccess, endpointHealth, portAliasFor } from './registration.mapping';

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
    [undefined, { external: false, mode: null, urls: [] }],
    [
      {
        port: 80,
        protocol: 'http',
        isInner: true,
        isOuter: false,
        domains: [{ domain: 'a.x', protocol: 'http' }],
      },
      { external: false, mode: null, urls: [] },
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
      { external: true, mode: 'open', urls: ['http://a.x', 'https://b.x'] },
    ],
  ])('access of port %j is %j', (port, want) => {
    expect(accessOf(port)).toEqual(want);
  });

  type Access = ReturnType<typeof accessOf>;
  const closed: Access = { external: false, mode: null, urls: [] };
  const open: Access = { external: true, mode: 'open', urls: ['http://direct.x'] };
  const entry: Access = { external: true, mode: 'open', urls: ['http://entry.x'] };
  it.each<[string, Access, Access, Access]>([
    ['closed + closed', closed, closed, closed],
    ['open + closed', open, closed, open],
    ['closed + entry open', closed, entry, { external: true, mode: 'protected', urls: ['http://entry.x'] }],
    // both outer: a race; reachable without login, so it says open, with every URL
    [
      'open + entry open',
      open,
      entry,
      { external: true, mode: 'open', urls: ['http://direct.x', 'http://entry.x'] },
    ],
  ])('access of %s', (_name, direct, ent, want) => {
    expect(combineAccess(direct, ent)).toEqual(want);
  });
});

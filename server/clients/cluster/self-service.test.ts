import { describe, expect, it } from 'vitest';
import { gatewayPortOf, pickSelfService, type SlimService } from './self-service';

const svc = (
  name: string,
  selector: Record<string, string>,
  ports: SlimService['ports'],
  labels = {},
): SlimService => ({
  namespace: 'rbd-plugins',
  name,
  labels,
  selector,
  ports,
});

describe('the plugin’s own Service', () => {
  const rainbond = svc(
    'gr5f1a2b-8080',
    { name: 'gr5f1a2b' },
    [
      { name: 'http-8080', port: 8080, targetPort: 8080 },
      { name: 'http-8081', port: 8081, targetPort: 8081 },
    ],
    { service_type: 'inner' },
  );

  it('is the Service selecting this pod with a port to the gateway listener', () => {
    const other = svc('someone-else', { name: 'gr000000' }, [{ port: 8081, targetPort: 8081 }]);
    expect(pickSelfService([other, rainbond], { name: 'gr5f1a2b' }, 8081)).toEqual({
      namespace: 'rbd-plugins',
      name: 'gr5f1a2b-8080',
      port: 8081,
    });
  });

  it('reports the Service port, not the targetPort', () => {
    const mapped = svc('plugin', { app: 'p' }, [{ name: 'gateway', port: 80, targetPort: 8081 }]);
    expect(pickSelfService([mapped], { app: 'p', extra: 'x' }, 8081)?.port).toBe(80);
  });

  it.each([
    ['no selector (a third-party Service)', svc('x', {}, [{ port: 8081, targetPort: 8081 }])],
    ['a selector this pod does not match', svc('x', { name: 'other' }, [{ port: 8081, targetPort: 8081 }])],
    ['no port to the gateway', svc('x', { name: 'gr5f1a2b' }, [{ port: 8080, targetPort: 8080 }])],
  ])('none for %s', (_why, s) => {
    expect(pickSelfService([s], { name: 'gr5f1a2b' }, 8081)).toBeNull();
  });

  it('prefers Rainbond’s inner Service, then the name', () => {
    const outer = svc('a-outer', { name: 'gr5f1a2b' }, [{ port: 8081, targetPort: 8081 }], {
      service_type: 'outer',
    });
    expect(pickSelfService([outer, rainbond], { name: 'gr5f1a2b' }, 8081)?.name).toBe('gr5f1a2b-8080');
  });

  it.each([
    [[{ port: 9000, targetPort: '8081' }], 9000],
    [[{ port: 8081 }], 8081],
    [[{ name: 'gateway', port: 443, targetPort: 'gw' }], 443],
    [[{ port: 8080, targetPort: 8080 }], null],
  ])('gateway port of %j is %s', (ports, want) => {
    expect(gatewayPortOf(svc('x', {}, ports as SlimService['ports']), 8081)).toBe(want);
  });
});

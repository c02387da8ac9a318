import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults; an unset console means the sandbox', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8080, PLUGIN_ID: 'cilium-observability', LOG_LEVEL: 'info' });
    expect(c.RAINBOND_CONSOLE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, /^invalid PORT="abc": expected/],
    [{ PORT: '70000' }, /^invalid PORT=/],
    [
      { RAINBOND_CONSOLE_URL: 'rbd-app-ui:7070' },
      /^invalid RAINBOND_CONSOLE_URL=.*expected an http\(s\) URL/,
    ],
    [{ CILIUM_NAMESPACE: 'Kube_System' }, /^invalid CILIUM_NAMESPACE=.*Kubernetes namespace/],
    [{ LOG_LEVEL: 'verbose' }, /^invalid LOG_LEVEL=/],
    [{ HUBBLE_RELAY_ADDR: 'http://relay:80' }, /^invalid HUBBLE_RELAY_ADDR=.*host:port/],
    [{ PLUGIN_ID: 'Cilium Observability' }, /^invalid PLUGIN_ID=.*DNS-1123/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it.each([
    [undefined, 'auto'],
    ['auto', 'auto'],
    ['on', 'on'],
    ['off', 'off'],
    // The old names, with the meaning they always had.
    ['true', 'on'],
    ['false', 'auto'],
  ])('HUBBLE_RELAY_TLS=%j → %s', (value, mode) => {
    expect(loadConfig(value === undefined ? {} : { HUBBLE_RELAY_TLS: value }).HUBBLE_RELAY_TLS).toBe(mode);
  });

  it('rejects an unknown HUBBLE_RELAY_TLS', () => {
    expect(() => loadConfig({ HUBBLE_RELAY_TLS: 'yes' })).toThrow(/^invalid HUBBLE_RELAY_TLS="yes"/);
  });

  it.each([
    ['cilium-observability', true],
    ['a', true],
    ['0abc', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-cilium', false],
    ['cilium-', false],
    ['cilium.io', false],
  ])('CILIUM_NAMESPACE=%j is a DNS-1123 label: %s', (name, valid) => {
    if (valid) expect(loadConfig({ CILIUM_NAMESPACE: name }).CILIUM_NAMESPACE).toBe(name);
    else expect(() => loadConfig({ CILIUM_NAMESPACE: name })).toThrow(/Kubernetes namespace/);
  });

  it('treats empty strings as unset', () => {
    expect(
      loadConfig({ RAINBOND_CONSOLE_URL: '', PROMETHEUS_URL: ' ' }).RAINBOND_CONSOLE_URL,
    ).toBeUndefined();
  });
});

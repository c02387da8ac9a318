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

describe('gateway settings', () => {
  it('defaults: gateway on 8081, 30 min idle, 8 h, re-check every 4 min, no SSO header', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      GATEWAY_PORT: 8081,
      SESSION_IDLE_MINUTES: 30,
      SESSION_MAX_HOURS: 8,
      SESSION_RECHECK_SECONDS: 240,
    });
    expect(c.GRAFANA_AUTH_PROXY_HEADER).toBeUndefined();
    expect(c.TOOL_UPSTREAMS).toBeUndefined();
  });

  it('defaults of the insights limits: 60 min streams re-checked every 240 s, 3 / 10 / 100 streams, 2 requests, 3 s', () => {
    expect(loadConfig({})).toMatchObject({
      SSE_MAX_MINUTES: 60,
      SSE_RECHECK_SECONDS: 240,
      SSE_MAX_PER_USER: 3,
      SSE_MAX_PER_TEAM: 10,
      SSE_MAX_TOTAL: 100,
      INSIGHTS_USER_CONCURRENCY: 2,
      FLOWS_CACHE_SECONDS: 3,
    });
    expect(loadConfig({ SSE_RECHECK_SECONDS: '1', AUTH_CACHE_SECONDS: '0' }).SSE_RECHECK_SECONDS).toBe(1);
  });

  it('TOOL_UPSTREAMS becomes a map by tool', () => {
    expect(
      loadConfig({ TOOL_UPSTREAMS: 'hubble-ui=http://127.0.0.1:1234/, prometheus=http://127.0.0.1:9090' })
        .TOOL_UPSTREAMS,
    ).toEqual({ 'hubble-ui': 'http://127.0.0.1:1234', prometheus: 'http://127.0.0.1:9090' });
  });

  it.each([
    [{ TOOL_UPSTREAMS: 'kibana=http://127.0.0.1:1' }, /^invalid TOOL_UPSTREAMS=.*tool=url pairs/],
    [{ TOOL_UPSTREAMS: 'grafana=127.0.0.1:3000' }, /^invalid TOOL_UPSTREAMS=.*http\(s\) origin for grafana/],
    [{ TOOL_UPSTREAMS: 'grafana=http://x/sub' }, /^invalid TOOL_UPSTREAMS=/],
    [
      { SESSION_SECRET: 'short' },
      /^invalid SESSION_SECRET\(5 bytes, not shown\): expected at least 32 bytes/,
    ],
    [{ SELF_SERVICE: 'just-a-name' }, /^invalid SELF_SERVICE=.*namespace\/name/],
    [{ SELF_SERVICE: 'Bad/Name' }, /^invalid SELF_SERVICE=/],
    [{ CONSOLE_PUBLIC_URL: 'console.example.com' }, /^invalid CONSOLE_PUBLIC_URL=/],
    [{ SESSION_RECHECK_SECONDS: '301' }, /^invalid SESSION_RECHECK_SECONDS=/],
    [{ GRAFANA_AUTH_PROXY_HEADER: 'X WEBAUTH' }, /^invalid GRAFANA_AUTH_PROXY_HEADER=/],
    [{ PORT: '8081' }, /^invalid GATEWAY_PORT=.*other than PORT/],
    [{ SSE_MAX_MINUTES: '0' }, /^invalid SSE_MAX_MINUTES=/],
    [{ SSE_RECHECK_SECONDS: '301' }, /^invalid SSE_RECHECK_SECONDS=/],
    [
      { AUTH_CACHE_SECONDS: '120' },
      /^invalid SSE_RECHECK_SECONDS="": expected at most 180 .*within 5 minutes/,
    ],
    [{ SSE_RECHECK_SECONDS: '290', AUTH_CACHE_SECONDS: '11' }, /^invalid SSE_RECHECK_SECONDS="290"/],
    [{ SSE_MAX_TOTAL: '0' }, /^invalid SSE_MAX_TOTAL=/],
    [{ FLOWS_CACHE_SECONDS: '61' }, /^invalid FLOWS_CACHE_SECONDS=/],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('SESSION_SECRET from an app-market install', () => {
  const id = '3f2a9c1e7b6d4e0f8a1b2c3d4e5f6a7b';
  it.each([
    [
      'the template placeholder a console before v6.9.4 leaves',
      { SESSION_SECRET: '**None:cilium_observability_session**' },
    ],
    ['a bare **None**', { SESSION_SECRET: '**None**' }],
    [
      "an upgrade's stand-in: the component id's first 8 characters",
      { SESSION_SECRET: id.slice(0, 8), _SERVICE_ID: id },
    ],
  ])('%s counts as unset (a random key and the warning), not as a bad value', (_what, env) => {
    expect(loadConfig(env).SESSION_SECRET).toBeUndefined();
  });

  it('a drawn or given secret is kept; a short one that is not the stand-in is refused without showing it', () => {
    expect(loadConfig({ SESSION_SECRET: id, _SERVICE_ID: id }).SESSION_SECRET).toBe(id);
    let message = '';
    try {
      loadConfig({ SESSION_SECRET: 'hunter2-secret', _SERVICE_ID: id });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^invalid SESSION_SECRET\(14 bytes, not shown\)/);
    expect(message).not.toContain('hunter2');
  });
});

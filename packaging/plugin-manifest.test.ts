import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { isAppError } from '../server/errors';
import { formatIssuePath, parsePluginManifest } from './plugin-manifest';

const VALID = readFileSync(new URL('../plugin.yaml', import.meta.url), 'utf8');

/** plugin.yaml with one field set (dotted path) or removed (value undefined). */
function variant(path: string, value: unknown): string {
  const doc = parseDocument(VALID);
  const keys = path.split('.');
  if (value === undefined) doc.deleteIn(keys);
  else doc.setIn(keys, value);
  return doc.toString();
}

function errorOf(text: string): string {
  try {
    parsePluginManifest(text);
  } catch (e) {
    if (isAppError(e)) {
      expect(e.code).toBe('INVALID_INPUT');
      return e.message;
    }
    throw e;
  }
  throw new Error('expected parsePluginManifest to throw');
}

describe('parsePluginManifest', () => {
  it('accepts the repository plugin.yaml', () => {
    const m = parsePluginManifest(VALID);
    expect(m.id).toBe('cilium-observability');
    expect(m.type).toBe('JSInject');
    expect(m.views).toEqual(['Platform', 'Team']);
    expect(m.frontend).toMatchObject({ port: 8080, entryPath: '/static/main.js' });
    expect(m.minRainbond).toBe('v6.6.0');
    expect(m.deploy.env).toMatchObject({
      RAINBOND_CONSOLE_URL: 'http://rbd-app-ui.rbd-system:7070',
      LOG_LEVEL: 'info',
    });
  });

  it.each([
    ['frontend.port', 0, 'plugin.yaml: frontend.port: expected an integer 1–65535'],
    ['frontend.port', 70000, 'plugin.yaml: frontend.port: expected an integer 1–65535'],
    ['frontend.port', '8080', 'plugin.yaml: frontend.port: expected an integer 1–65535'],
    ['frontend.port', 80.5, 'plugin.yaml: frontend.port: expected an integer 1–65535'],
    ['id', 'Cilium_Obs', 'plugin.yaml: id: expected a DNS-1123 name'],
    ['type', 'Iframe', 'plugin.yaml: type: expected "JSInject"'],
    [
      'views',
      ['Team', 'Cluster'],
      'plugin.yaml: views[1]: expected one of Platform, Team, Application, Component',
    ],
    ['views', [], 'plugin.yaml: views: expected at least one view'],
    ['views', ['Team', 'Team'], 'plugin.yaml: views: expected no duplicate views'],
    ['version', '0.1', 'plugin.yaml: version: expected a semver'],
    ['minRainbond', '6.6.0', 'plugin.yaml: minRainbond: expected a release tag'],
    ['image', 'cilium-observability', 'plugin.yaml: image: expected an image reference with a tag'],
    [
      'frontend.entryPath',
      'static/main.js',
      'plugin.yaml: frontend.entryPath: expected a path to a .js file',
    ],
    ['frontend.format', 'esm', 'plugin.yaml: frontend.format: expected "amd"'],
    ['backend.port', 9090, 'plugin.yaml: backend: expected the same component and port as frontend'],
    ['deploy.namespace', 'Bad NS', 'plugin.yaml: deploy.namespace: expected a DNS-1123 name'],
    [
      'deploy.resources.limits.memory',
      '384MB',
      'plugin.yaml: deploy.resources.limits.memory: expected a memory quantity',
    ],
    ['deploy.env.LOG_LEVEL', 'verbose', 'plugin.yaml: deploy.env.LOG_LEVEL:'],
    [
      'deploy.env.NOT_A_SETTING',
      'x',
      'plugin.yaml: deploy.env.NOT_A_SETTING: unknown variable (not in server/config.ts)',
    ],
    [
      'deploy.env.RAINBOND_CONSOLE_URL',
      'rbd-app-ui:7070',
      'plugin.yaml: deploy.env.RAINBOND_CONSOLE_URL: an http(s) URL',
    ],
    [
      'deploy.env.GATEWAY_PORT',
      '8080',
      'plugin.yaml: deploy.env.GATEWAY_PORT: expected a fixed port other than backend.port (8080)',
    ],
    ['deploy.env.GATEWAY_PORT', '0', 'plugin.yaml: deploy.env.GATEWAY_PORT: expected a fixed port'],
    [
      'deploy.env.SESSION_SECRET',
      'x'.repeat(40),
      'plugin.yaml: deploy.env.SESSION_SECRET: not settable here: it comes from a Secret',
    ],
    ['deploy.env.SELF_SERVICE', 'a/b', 'plugin.yaml: deploy.env.SELF_SERVICE: not settable here'],
    ['deploy.env.POD_IP', '10.0.0.1', 'plugin.yaml: deploy.env.POD_IP: not settable here'],
    ['displayName.zh-CN', undefined, 'plugin.yaml: displayName.zh-CN:'],
    ['rbac', undefined, 'plugin.yaml: rbac:'],
    ['frontnd', { port: 1 }, 'plugin.yaml: Unrecognized key: "frontnd"'],
  ])('rejects %s = %j naming the field', (path, value, expected) => {
    expect(errorOf(variant(path, value))).toContain(expected);
  });

  it('rejects invalid YAML with its line', () => {
    expect(errorOf('id: a\n  bad: [\n')).toMatch(/^plugin\.yaml: invalid YAML at line \d+/);
  });

  it('rejects duplicate keys instead of silently keeping the last one', () => {
    expect(errorOf(`${VALID}\nid: other\n`)).toMatch(/^plugin\.yaml: invalid YAML/);
  });

  it('uses the label it is given in errors', () => {
    expect(() => parsePluginManifest('id: 1', 'deploy/custom.yaml')).toThrow(/^deploy\/custom\.yaml: /);
  });
});

describe('formatIssuePath', () => {
  it.each([
    [['frontend', 'port'], 'frontend.port'],
    [['views', 0], 'views[0]'],
    [['deploy', 'env', 'LOG_LEVEL'], 'deploy.env.LOG_LEVEL'],
    [[], ''],
  ])('%j → %s', (path, expected) => {
    expect(formatIssuePath(path)).toBe(expected);
  });
});

/** The built web/dist/main.js is what the console loads: one AMD module, self-contained, within the size budget. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import React from 'react';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = `${resolve(import.meta.dirname, '../..')}/`;
const bundlePath = `${repo}web/dist/main.js`;
let code = '';

beforeAll(() => {
  if (!existsSync(bundlePath) || process.env.COBS_REBUILD === '1') {
    execFileSync(
      process.execPath,
      [`${repo}node_modules/vite/bin/vite.js`, 'build', '--config', 'web/vite.config.ts'],
      {
        cwd: repo,
        stdio: 'pipe',
        timeout: 180_000,
      },
    );
  }
  code = readFileSync(bundlePath, 'utf8');
}, 200_000);

/** Strings that look like URLs but are never fetched: XML namespaces and doc links inside warning texts. */
const INERT_URL_PREFIXES = ['http://www.w3.org/', 'https://element-plus.org/', 'https://vuejs.org/'];

describe('web/dist/main.js', () => {
  it('is ONE AMD module depending only on require, exports and react', () => {
    expect(code.startsWith('define(["require","exports","react"],function(')).toBe(true);
    expect(code.match(/\bdefine\(\[/g)).toHaveLength(1);
    expect(code).not.toMatch(/\bSystem\.register\(|\bimport\s*\(|\bimportScripts\(|new Worker\(/);
    expect(code).not.toContain('sourceMappingURL');
  });

  it('exports `plugin` with init, root and viewPages.{Team,Platform} as React class components', () => {
    let deps: string[] = [];
    let factory: ((...args: unknown[]) => void) | null = null;
    const define = (d: string[], f: (...args: unknown[]) => void) => {
      deps = d;
      factory = f;
    };
    new Function('define', code)(define);
    expect(deps).toEqual(['require', 'exports', 'react']);
    const exports: Record<string, unknown> = {};
    factory!(() => undefined, exports, React);
    const plugin = exports.plugin as {
      init: unknown;
      root: { prototype: unknown };
      viewPages: Record<string, { prototype: unknown }>;
    };
    expect(typeof plugin.init).toBe('function');
    for (const page of [plugin.root, plugin.viewPages.Team!, plugin.viewPages.Platform!])
      expect(page.prototype).toBeInstanceOf(React.Component);
  });

  it('requests nothing on its own: no asset URLs, one fetch call (the API client)', () => {
    const urls = code.match(/https?:\/\/[^\s"'`)\\]+/g) ?? [];
    expect(urls.filter((u) => !INERT_URL_PREFIXES.some((p) => u.startsWith(p)))).toEqual([]);
    expect(code.match(/\bfetch\(/g) ?? []).toHaveLength(1);
    expect(code).not.toMatch(/url\(\s*["']?(https?:|\/\/)/);
    expect(code).not.toContain('@import');
  });

  it('carries its CSS inline, scoped under .cobs-root with the cobs-el namespace', () => {
    expect(code).not.toContain('__COBS_INLINE_CSS__');
    expect(code).toContain('data-cobs-style');
    expect(code).toContain('.cobs-root .cobs-el-button');
    expect(code).not.toMatch(/[}"]:root\{|[}"]\*\{|[}"]body\{|[}"]\.el-/);
  });

  it('stays under the 150 KB gzip ceiling', () => {
    expect(gzipSync(code, { level: 9 }).length).toBeLessThan(150 * 1024);
  });
});

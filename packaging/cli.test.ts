import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseArgs, runCli } from './cli';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cobs-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI from the repository; returns stdout, stderr lines and the rendered objects. */
async function render(argv: string[]) {
  let stdout = '';
  const stderr: string[] = [];
  await runCli([...argv, '--manifest', join(ROOT, 'plugin.yaml')], {
    stdout: (s) => (stdout += s),
    stderr: (s) => stderr.push(s),
    cwd: dir,
    resources: [],
  });
  const objects = parseAllDocuments(stdout).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
  const secretOf = () => objects.find((o) => o.kind === 'Secret')?.stringData?.SESSION_SECRET as string;
  return { stdout, stderr, objects, secretOf };
}

describe('render options for the gateway', () => {
  it('parses --region and --session-secret-file', () => {
    expect(parseArgs(['manifests', '--region', 'rainbond', '--session-secret-file', 's.txt'])).toMatchObject({
      sessionSecretFile: 's.txt',
      overrides: { region: 'rainbond' },
    });
    expect(() => parseArgs(['manifests', '--region'])).toThrow(/--region needs a value/);
  });

  it('without --session-secret-file: a new secret per render, and says that applying it rotates the key', async () => {
    const a = await render(['manifests']);
    const b = await render(['manifests']);
    expect(a.secretOf()).not.toBe(b.secretOf());
    expect(a.stderr.join('\n')).toContain('notice: generated a new SESSION_SECRET for this render');
  });

  it('with --session-secret-file: writes a new secret there once (0600), then every render reads it', async () => {
    const file = join(dir, 'keep', 'session-secret');
    const first = await render(['manifests', '--session-secret-file', file]);
    expect(readFileSync(file, 'utf8')).toBe(`${first.secretOf()}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.stderr.join('\n')).toContain(`wrote ${file} (a new SESSION_SECRET`);
    const second = await render(['manifests', '--session-secret-file', file]);
    expect(second.secretOf()).toBe(first.secretOf());
    expect(second.stderr.join('\n')).not.toMatch(/notice: generated|wrote/);
  });

  it('uses your own secret from the file and refuses one under 32 bytes', async () => {
    const file = join(dir, 'mine');
    writeFileSync(file, `${'m'.repeat(40)}\n`);
    expect((await render(['manifests', '--session-secret-file', file])).secretOf()).toBe('m'.repeat(40));
    writeFileSync(file, 'short\n');
    await expect(render(['manifests', '--session-secret-file', file])).rejects.toThrow(
      /--session-secret-file .*mine: expected at least 32 bytes/,
    );
  });

  it('touches no secret file for targets without a secret (rbac, rbdplugin)', async () => {
    const file = join(dir, 'unused');
    const r = await render(['rbac', '--session-secret-file', file]);
    expect(existsSync(file)).toBe(false);
    expect(r.stdout).not.toContain('SESSION_SECRET');
    expect(r.stderr).toEqual([]);
  });

  it('puts --region into the ConfigMap as RAINBOND_REGION', async () => {
    const { objects } = await render(['manifests', '--region', 'rainbond']);
    expect(objects.find((o) => o.kind === 'ConfigMap')?.data.RAINBOND_REGION).toBe('rainbond');
    await expect(render(['manifests', '--region', 'bad region'])).rejects.toThrow(/--region: expected/);
  });
});

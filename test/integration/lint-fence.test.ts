/**
 * The layer fence (eslint.config.js): planted wrong-way imports are lint errors, the right-way ones are not.
 * Linted as text at paths inside the tree, so the real config decides.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, {
    filePath: `${ROOT}/${filePath}`,
  });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer fence', () => {
  it.each([
    ['contract/planted.ts', "import x from 'hono';"],
    ['contract/planted.ts', "import x from '../server/errors';"],
    ['web/src/planted.ts', "import x from '../../server/errors';"],
    ['web/src/features/tools/planted.ts', "import x from '../../../../server/features/tools/links';"],
    ['web/src/planted.ts', "import x from '../../packaging/render';"],
    ['server/clients/cluster/planted.ts', "import x from '../../features/tools/links';"],
    ['server/clients/rainbond/planted.ts', "import x from '../../http/auth';"],
    ['server/cilium/planted.ts', "import x from '../clients/cluster/types';"],
    ['server/cilium/planted.ts', "import x from 'hono';"],
    ['server/features/tools/planted.service.ts', "import x from 'hono';"],
    ['server/features/tools/planted.service.ts', "import x from '../../http/env';"],
    ['server/features/insights/planted.mapping.ts', "import x from 'hono/streaming';"],
    ['server/features/overview/planted.ts', "import x from '../tools/links';"],
    ['server/features/insights/planted.routes.ts', "import x from '../../features/tools/tools.service';"],
    ['server/features/tools/planted.service.ts', "import x from '../../gateway/gateway';"],
    ['server/clients/cluster/planted.ts', "import x from '../../gateway/tokens';"],
    ['server/http/planted.ts', "import x from '../gateway/rules';"],
    ['server/gateway/planted.ts', "import x from '../features/tools/tools.service';"],
    ['server/gateway/planted.ts', "import x from 'hono';"],
  ])('refuses %s: %s', async (file, source) => {
    expect(await restricted(file, source)).toHaveLength(1);
  });

  it.each([
    ['contract/planted.ts', "import x from 'zod';"],
    ['contract/planted.ts', "import x from './common';"],
    ['web/src/planted.ts', "import x from '../../contract';"],
    ['server/clients/cluster/planted.ts', "import x from '../../../contract';"],
    ['server/clients/cluster/planted.ts', "import x from '../../cilium/versions';"],
    ['server/features/tools/planted.routes.ts', "import x from 'hono';"],
    ['server/features/tools/planted.service.ts', "import x from './links';"],
    ['server/features/overview/planted.service.ts', "import x from '../../clients/cluster/types';"],
    ['server/gateway/planted.ts', "import x from '../../contract';"],
    ['server/gateway/planted.ts', "import x from 'http-proxy-3';"],
  ])('allows %s: %s', async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});

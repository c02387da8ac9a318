import { describe, expect, it } from 'vitest';
import { makeTool } from '../../../test/harness';
import { toolView } from './tool-view';

describe('toolView', () => {
  it.each([
    [
      'missing',
      makeTool({ state: 'missing', service: null, registration: null }),
      { found: false, canRegister: false, canRemove: false, canToggleAccess: false },
    ],
    [
      'found, unregistered',
      makeTool({ state: 'not-ready', registration: null }),
      { found: true, ready: false, canRegister: true, canRemove: false, canToggleAccess: false },
    ],
    [
      'registered, ready',
      makeTool(),
      {
        found: true,
        ready: true,
        canRegister: false,
        canRemove: true,
        canToggleAccess: true,
        endpoints: '1/1',
      },
    ],
    [
      'registered, no healthy endpoint',
      makeTool({
        registration: {
          appId: 1,
          componentAlias: 'g',
          componentStatus: 'abnormal',
          endpoints: { healthy: 0, total: 1 },
        },
      }),
      { endpointsHealthy: false, app: '(#1)', componentStatus: 'abnormal' },
    ],
    [
      'open with risks',
      makeTool({
        access: { external: true, mode: 'open', urls: ['http://x'] },
        risks: [{ code: 'NO_AUTH', message: 'm' }],
      }),
      { external: true, urls: ['http://x'], needsConfirmation: true },
    ],
    [
      'closed hides stale URLs',
      makeTool({ access: { external: false, mode: null, urls: ['http://x'] } }),
      { urls: [] },
    ],
  ])('%s', (_n, tool, expected) => {
    expect(toolView(tool)).toMatchObject(expected);
  });
});

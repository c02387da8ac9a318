import { describe, expect, it } from 'vitest';
import { appLink, componentLink } from './console-links';

describe('console links', () => {
  it.each([
    [
      'hash',
      '#/team/dev-team/region/rainbond/apps/101/overview?type=components&componentID=gr8b2c4d&tab=overview',
    ],
    [
      'history',
      '/team/dev-team/region/rainbond/apps/101/overview?type=components&componentID=gr8b2c4d&tab=overview',
    ],
  ] as const)('%s routing', (routing, want) => {
    expect(componentLink(routing, 'dev-team', 'rainbond', { appId: 101, alias: 'gr8b2c4d' })).toBe(want);
  });
  it('encodes names', () =>
    expect(appLink('hash', 'a b', 'r/1', 7)).toBe('#/team/a%20b/region/r%2F1/apps/7/overview'));
});

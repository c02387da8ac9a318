import { describe, expect, it } from 'vitest';
import type { UserIdentity } from '../../clients/rainbond/types';
import { createToolPermissions, isTeamAdmin } from './permissions';

const user = (
  over: Partial<UserIdentity> = {},
  team: Partial<UserIdentity['teams'][number]> = {},
): UserIdentity => ({
  userId: 1,
  userName: 'u',
  enterpriseId: 'e',
  isEnterpriseAdmin: false,
  teams: [
    { name: 'dev', alias: 'Dev', namespace: 'dev', regions: [], isOwner: false, roles: ['开发者'], ...team },
  ],
  ...over,
});

describe('isTeamAdmin', () => {
  it.each([
    ['the owner', { isOwner: true, roles: [] }, true],
    ['the 管理员 role', { roles: ['管理员'] }, true],
    ['a custom role named Admin', { roles: ['Admin'] }, true],
    ['a developer', { roles: ['开发者'] }, false],
    ['a viewer with a custom role', { roles: ['观察者', 'SRE'] }, false],
  ])('%s → %s', (_n, team, expected) => {
    expect(isTeamAdmin(user({}, team), 'dev')).toBe(expected);
  });

  it('is false for a team the user is not in', () => {
    expect(isTeamAdmin(user({}, { isOwner: true }), 'ops')).toBe(false);
  });
});

describe('createToolPermissions', () => {
  const owner = user({}, { isOwner: true });
  const admin = user({ isEnterpriseAdmin: true, teams: [] });
  const dev = user();

  it.each([
    ['enterprise-admins', admin, true],
    ['enterprise-admins', owner, false],
    ['enterprise-admins', dev, false],
    ['team-admins', admin, true],
    ['team-admins', owner, true],
    ['team-admins', dev, false],
  ] as const)('TOOL_MANAGERS=%s: manage is %s', (managers, u, expected) => {
    const p = createToolPermissions({ managers, viewers: 'enterprise-admins' });
    expect(p.mayManage(u, 'dev')).toBe(expected);
    const d = p.describe(u, 'dev', 'en');
    expect(d.manage).toBe(expected);
    expect(d.required).toBe(managers === 'team-admins' ? 'team-admin' : 'enterprise-admin');
    expect(d.reason === undefined).toBe(expected);
  });

  it('refuses with 403 FORBIDDEN naming the required role and the setting', () => {
    const p = createToolPermissions({ managers: 'enterprise-admins', viewers: 'enterprise-admins' });
    expect(() => p.assertManage(owner, 'dev', 'zh-CN')).toThrow(
      expect.objectContaining({
        code: 'FORBIDDEN',
        status: 403,
        details: { required: 'enterprise-admin', setting: 'TOOL_MANAGERS=enterprise-admins' },
      }),
    );
    expect(() => p.assertManage(admin, 'dev', 'en')).not.toThrow();
  });

  it.each([
    ['enterprise-admins', dev, false],
    ['enterprise-admins', admin, true],
    ['team-members', dev, true],
    ['team-members', user({ teams: [] }), false],
  ] as const)('TOOL_VIEWERS=%s: mayView is %s', (viewers, u, expected) => {
    expect(createToolPermissions({ managers: 'enterprise-admins', viewers }).mayView(u, 'dev')).toBe(
      expected,
    );
  });
});

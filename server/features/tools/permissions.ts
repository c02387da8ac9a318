/**
 * Who may do what with the three cluster-wide tools. Hubble UI, Grafana and Prometheus see every namespace, so
 * registering, removing and opening or closing them is for enterprise admins unless TOOL_MANAGERS=team-admins
 * delegates it to the team's owner and admins; launching a protected tool follows TOOL_VIEWERS. Everything is
 * read from the console's own user details (`is_enterprise_admin`, `teams[].is_team_owner`, `role_name_list`).
 */
import { AppError } from '../../errors';
import type { UserIdentity } from '../../clients/rainbond/types';
import type { Locale, ToolPermissions, ToolRole } from '../../../contract';

export type ToolManagers = 'enterprise-admins' | 'team-admins';
export type ToolViewers = 'enterprise-admins' | 'team-members';

/** Team role names that count as the team's admin: the console's default admin role, and its English spelling. */
const ADMIN_ROLE_NAMES = new Set(['管理员', 'admin']);

/** Owner (`is_team_owner`) or holder of the team's admin role (`role_name_list` has 管理员). */
export function isTeamAdmin(user: UserIdentity, team: string): boolean {
  const t = user.teams.find((x) => x.name === team);
  if (!t) return false;
  return t.isOwner || t.roles.some((r) => ADMIN_ROLE_NAMES.has(r.trim().toLowerCase()));
}

export const isTeamMember = (user: UserIdentity, team: string) => user.teams.some((x) => x.name === team);

const SENTENCES: Record<ToolRole, Record<Locale, string>> = {
  'enterprise-admin': {
    en: 'Only enterprise admins can register, remove, open or close these tools: they see the whole cluster.',
    'zh-CN': '只有企业管理员可以注册、移除、开放或关闭这些工具：它们能看到整个集群。',
  },
  'team-admin': {
    en: "Only the team's owner and admins (and enterprise admins) can register, remove, open or close these tools.",
    'zh-CN': '只有团队拥有者、团队管理员（以及企业管理员）可以注册、移除、开放或关闭这些工具。',
  },
};

export interface ToolPermissionPolicy {
  /** The role a manager needs under TOOL_MANAGERS, e.g. "enterprise-admin". */
  readonly managerRole: ToolRole;
  readonly viewers: ToolViewers;
  mayManage(user: UserIdentity, team: string): boolean;
  /** May launch a protected tool whose components the team `toolsTeam` holds. */
  mayView(user: UserIdentity, toolsTeam: string): boolean;
  /** What the caller may do, for the Tool reply, with the sentence in `locale` when they may not. */
  describe(user: UserIdentity, team: string, locale: Locale): ToolPermissions;
  /** Throws 403 FORBIDDEN with details.required unless the user may manage the tools in `team`. */
  assertManage(user: UserIdentity, team: string, locale: Locale): void;
}

export function createToolPermissions(opts: {
  managers: ToolManagers;
  viewers: ToolViewers;
}): ToolPermissionPolicy {
  const managerRole: ToolRole = opts.managers === 'team-admins' ? 'team-admin' : 'enterprise-admin';
  const mayManage = (user: UserIdentity, team: string) =>
    user.isEnterpriseAdmin || (opts.managers === 'team-admins' && isTeamAdmin(user, team));
  return {
    managerRole,
    viewers: opts.viewers,
    mayManage,
    mayView(user, toolsTeam) {
      return user.isEnterpriseAdmin || (opts.viewers === 'team-members' && isTeamMember(user, toolsTeam));
    },
    describe(user, team, locale) {
      if (mayManage(user, team)) return { manage: true, required: managerRole };
      return { manage: false, required: managerRole, reason: SENTENCES[managerRole][locale] };
    },
    assertManage(user, team, locale) {
      if (mayManage(user, team)) return;
      throw new AppError('FORBIDDEN', SENTENCES[managerRole][locale], {
        required: managerRole,
        setting: `TOOL_MANAGERS=${opts.managers}`,
      });
    },
  };
}

/** Risk codes → plain-words messages (zh-CN / en), shown before a tool is opened to the outside. */
import type { Locale } from '../../../contract';
import type { Risk, RiskCode } from '../../../contract';

const MESSAGES: Record<RiskCode, Record<Locale, string>> = {
  NO_AUTH: {
    en: 'This tool has no login of its own: anyone who can open its address sees all of its data.',
    'zh-CN': '该工具自身没有登录验证：任何能打开其地址的人都能看到全部数据。',
  },
  ANONYMOUS_ADMIN: {
    en: 'Grafana gives every visitor Admin rights: anyone who opens it can change or delete dashboards and data sources.',
    'zh-CN': 'Grafana 给每位访问者管理员（Admin）权限：任何打开它的人都能修改或删除仪表盘和数据源。',
  },
  DEFAULT_CREDENTIALS: {
    en: 'Grafana still uses the default login admin / admin: anyone can sign in as administrator.',
    'zh-CN': 'Grafana 仍在使用默认账号密码 admin / admin：任何人都能以管理员身份登录。',
  },
};

/** Codes → messages in the given locale, in order, each code once. */
export function riskMessages(codes: readonly RiskCode[], locale: Locale): Risk[] {
  return [...new Set(codes)].map((code) => ({ code, message: MESSAGES[code][locale] }));
}

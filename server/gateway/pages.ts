/**
 * The gateway's own pages (zh-CN and en on one page, the request's language first): "this tool is protected, open
 * it from the Rainbond console", and why a launch or session ended. Never a redirect, never the tool's content;
 * a strict CSP (only the inline style, by its hash), no framing, no Referer, not cached.
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../../contract';

export type PageKind =
  | 'protected'
  | 'ticket-invalid'
  | 'ticket-used'
  | 'ticket-host'
  | 'session-ended'
  | 'revoked'
  | 'signed-out'
  | 'check-failed'
  | 'bad-request'
  | 'not-found'
  | 'upstream';

type Text = { title: string; body: string; link: string };

const TEXT: Record<PageKind, Record<Locale, Text>> = {
  protected: {
    'zh-CN': {
      title: '此工具受保护',
      body: '这个地址需要 Rainbond 登录。请在 Rainbond 控制台的“Cilium 网络观测”页面中点击“打开”。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'This tool is protected',
      body: 'This address needs a Rainbond login. Open it from the Rainbond console: “Cilium Observability” → “Open”.',
      link: 'Go to the Rainbond console',
    },
  },
  'ticket-invalid': {
    'zh-CN': {
      title: '打开链接已失效',
      body: '打开链接只能在 60 秒内使用一次。请回到控制台再点一次“打开”。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'This launch link has expired',
      body: 'A launch link works once, within 60 seconds. Go back to the console and click “Open” again.',
      link: 'Go to the Rainbond console',
    },
  },
  'ticket-used': {
    'zh-CN': {
      title: '打开链接已被使用',
      body: '每个打开链接只能使用一次。请回到控制台再点一次“打开”。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'This launch link was already used',
      body: 'Each launch link opens the tool once. Go back to the console and click “Open” again.',
      link: 'Go to the Rainbond console',
    },
  },
  'ticket-host': {
    'zh-CN': {
      title: '打开链接不属于这个地址',
      body: '这个链接是为另一个工具签发的。请从控制台打开该工具。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'This launch link belongs to another address',
      body: 'The link was issued for another tool. Open this tool from the console.',
      link: 'Go to the Rainbond console',
    },
  },
  'session-ended': {
    'zh-CN': {
      title: '会话已结束',
      body: '长时间未使用或已超过最长时间。请从控制台重新打开。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'Your session has ended',
      body: 'It was idle too long or reached its maximum age. Open the tool again from the console.',
      link: 'Go to the Rainbond console',
    },
  },
  revoked: {
    'zh-CN': {
      title: '你已无权访问此工具',
      body: '你在 Rainbond 中的权限已变更。如有需要，请联系管理员。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'You no longer have access to this tool',
      body: 'Your rights in Rainbond have changed. Ask an administrator if you need access.',
      link: 'Go to the Rainbond console',
    },
  },
  'signed-out': {
    'zh-CN': {
      title: '已退出',
      body: '你已退出此工具。需要时请从控制台重新打开。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'Signed out',
      body: 'You signed out of this tool. Open it again from the console when needed.',
      link: 'Go to the Rainbond console',
    },
  },
  'check-failed': {
    'zh-CN': {
      title: '暂时无法确认你的权限',
      body: 'Rainbond 控制台暂时没有响应。请稍后刷新此页。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'Your access cannot be confirmed right now',
      body: 'The Rainbond console did not answer. Reload this page in a moment.',
      link: 'Go to the Rainbond console',
    },
  },
  'bad-request': {
    'zh-CN': { title: '请求无效', body: '网关拒绝了这个请求。', link: '前往 Rainbond 控制台' },
    en: {
      title: 'Bad request',
      body: 'The gateway refused this request.',
      link: 'Go to the Rainbond console',
    },
  },
  'not-found': {
    'zh-CN': { title: '未找到', body: '网关没有这个路径。', link: '前往 Rainbond 控制台' },
    en: { title: 'Not found', body: 'The gateway has no such path.', link: 'Go to the Rainbond console' },
  },
  upstream: {
    'zh-CN': {
      title: '工具暂时不可用',
      body: '网关无法连接到该工具。请稍后再试。',
      link: '前往 Rainbond 控制台',
    },
    en: {
      title: 'The tool is not reachable',
      body: 'The gateway could not reach the tool. Try again in a moment.',
      link: 'Go to the Rainbond console',
    },
  },
};

const STYLE =
  'body{font:15px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f7fa;color:#1f2329}' +
  'main{max-width:34rem;margin:12vh auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}' +
  'h1{font-size:1.25rem;margin:0 0 .5rem}section+section{margin-top:1.5rem;padding-top:1.5rem;border-top:1px solid #e4e7ed}' +
  'a{color:#1677ff}p{margin:.25rem 0}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** Headers of every page the gateway itself answers. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The page for `kind`, the language of `locale` first; a link to the console when its address is configured. */
export function renderPage(kind: PageKind, locale: Locale, consoleUrl?: string): string {
  const order: Locale[] = locale === 'en' ? ['en', 'zh-CN'] : ['zh-CN', 'en'];
  const sections = order
    .map((l) => {
      const t = TEXT[kind][l];
      const link = consoleUrl
        ? `<p><a href="${escapeHtml(consoleUrl)}" rel="noreferrer">${escapeHtml(t.link)}</a></p>`
        : '';
      return `<section lang="${l}"><h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.body)}</p>${link}</section>`;
    })
    .join('');
  const title = TEXT[kind][order[0] ?? 'zh-CN'].title;
  return `<!doctype html><html lang="${order[0]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main data-cobs-page="${kind}">${sections}</main></body></html>`;
}

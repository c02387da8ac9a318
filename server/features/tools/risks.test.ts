import { describe, expect, it } from 'vitest';
import { riskMessages } from './risks';

describe('riskMessages', () => {
  it.each([
    ['en', 'ANONYMOUS_ADMIN', /every visitor Admin rights/],
    ['en', 'NO_AUTH', /no login of its own/],
    ['en', 'DEFAULT_CREDENTIALS', /admin \/ admin/],
    ['zh-CN', 'ANONYMOUS_ADMIN', /管理员（Admin）权限/],
    ['zh-CN', 'NO_AUTH', /没有登录验证/],
    ['zh-CN', 'DEFAULT_CREDENTIALS', /默认账号密码/],
  ] as const)('%s %s', (locale, code, re) => {
    const [risk] = riskMessages([code], locale);
    expect(risk?.code).toBe(code);
    expect(risk?.message).toMatch(re);
  });

  it('keeps order and drops duplicates', () => {
    expect(
      riskMessages(['DEFAULT_CREDENTIALS', 'ANONYMOUS_ADMIN', 'DEFAULT_CREDENTIALS'], 'en').map(
        (r) => r.code,
      ),
    ).toEqual(['DEFAULT_CREDENTIALS', 'ANONYMOUS_ADMIN']);
  });

  it('returns nothing for no codes', () => {
    expect(riskMessages([], 'zh-CN')).toEqual([]);
  });
});

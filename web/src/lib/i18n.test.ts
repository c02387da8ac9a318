import { describe, expect, it } from 'vitest';
import { createI18n, toLocale } from './i18n';
import { en } from '../locales/en';
import { zhCN } from '../locales/zh-CN';

describe('i18n', () => {
  it.each([
    ['zh', 'zh-CN'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['zh-CN', 'zh-CN'],
    [undefined, 'zh-CN'],
  ])('host locale %s → %s', (host, locale) => {
    expect(toLocale(host)).toBe(locale);
  });

  it('switches language and fills parameters', () => {
    const i18n = createI18n('zh-CN');
    expect(i18n.t('tools.externalFor', { tool: 'Grafana' })).toBe('开放 Grafana 的对外访问');
    i18n.locale.value = 'en';
    expect(i18n.t('tools.externalFor', { tool: 'Grafana' })).toBe('External access to Grafana');
  });

  it('has every key in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const v of [...Object.values(en), ...Object.values(zhCN)]) expect(v.trim()).not.toBe('');
  });
});

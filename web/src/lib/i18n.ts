/** A ~15-line provide/inject i18n (vue-i18n would add ~14 KB gzip for what this does). */
import { inject, provide, ref, type InjectionKey, type Ref } from 'vue';
import { zhCN, type MessageKey } from '../locales/zh-CN';
import { en } from '../locales/en';

import type { Locale } from '../../../contract';

export type { Locale };
export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
export interface I18n {
  locale: Ref<Locale>;
  t: Translate;
}

const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const I18N_KEY: InjectionKey<I18n> = Symbol('cobs-i18n');

export function createI18n(initial: Locale): I18n {
  const locale = ref<Locale>(initial);
  const t: Translate = (key, params) =>
    (catalogs[locale.value][key] ?? key).replace(/\{(\w+)\}/g, (all, name: string) =>
      params && name in params ? String(params[name]) : all,
    );
  return { locale, t };
}

export const provideI18n = (i18n: I18n) => provide(I18N_KEY, i18n);

export function useI18n(): I18n {
  const i18n = inject(I18N_KEY, null);
  if (!i18n) throw new Error('useI18n() outside the panel app');
  return i18n;
}

/** Host `currentLocale` ('zh' | 'en', sometimes 'en-US' / 'zh-CN') → our locale; Chinese unless clearly English. */
export const toLocale = (hostLocale: unknown): Locale =>
  typeof hostLocale === 'string' && /^en\b/i.test(hostLocale) ? 'en' : 'zh-CN';

/**
 * i18n for the web app: zh-CN first, en-US second. Messages live in
 * messages/<area>.ts (one file per area so several people can add strings
 * without colliding); `t(key, params)` fills {name} placeholders. Dates and
 * numbers are formatted with Intl in the current language.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { catalogs, type MessageKey } from './catalog.js';

export const LANGS = ['zh-CN', 'en-US'] as const;
export type Lang = (typeof LANGS)[number];
export type { MessageKey };

const STORAGE_KEY = 'cityops.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en-US' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = catalogs[lang][key] ?? catalogs['zh-CN'][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** For keys built at run time (e.g. `state.${state}`): the message, or `fallback` (default: the last key segment) when there is none. */
  tx(key: string, fallback?: string): string;
  /** Date and time, e.g. 2026/11/22 08:00 or 11/22/2026, 8:00 AM. */
  dateTime(ms: number | string): string;
  time(ms: number | string): string;
  number(n: number, digits?: number): string;
  /** Pick the zh or en variant of a bilingual pair coming from the server (nameZh/nameEn). */
  pick(zh: string | null | undefined, en: string | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dtf = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' });
    const tf = new Intl.DateTimeFormat(lang, { timeStyle: 'medium' });
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      tx: (key, fallback) => (key in catalogs[lang] ? translate(lang, key as MessageKey) : (fallback ?? key.slice(key.lastIndexOf('.') + 1))),
      dateTime: (ms) => dtf.format(new Date(ms)),
      time: (ms) => tf.format(new Date(ms)),
      number: (n, digits) => new Intl.NumberFormat(lang, digits === undefined ? undefined : { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n),
      pick: (zh, en) => (lang === 'zh-CN' ? (zh ?? en ?? '') : (en ?? zh ?? '')),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

// The panel's language: Russian by default, English on request (kept in localStorage).
import { en } from './words-en';
import { ru, type Key } from './words-ru';

export type { Key } from './words-ru';

export type Lang = 'ru' | 'en';
const dictionaries: Record<Lang, Record<Key, string>> = { ru, en };
const STORAGE_KEY = 'calldesk.lang';

let current: Lang = 'ru';

export function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ru';
  } catch {
    return 'ru';
  }
}

export function applyLang(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts until reload
  }
}

export const currentLang = (): Lang => current;

/** The text of `key` in the current language, with `{name}` placeholders filled. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  // A key built from data (a journal kind, a reason) that has no words yet shows as itself, never breaks the page.
  const text = dictionaries[current][key] ?? ru[key] ?? String(key);
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/*
 * Which language the desk speaks. Chinese (zh-CN) by default: the desk is a Taizhou transport
 * bureau's duty desk, so a fresh browser, whatever its own locale, opens in Chinese. English is
 * chosen with the header's switch (remembered in this browser's localStorage) or `?lang=en` in
 * the URL (which wins over the remembered choice, so a link can open the desk in a language).
 */

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

export const defaultLanguage: Language = 'zh-CN';

/** localStorage key of the remembered choice (a preference, never the API key). */
export const languageStorageKey = 'dgt.language';

/** A language from what a URL or storage says (`en`, `EN`, `zh`, `zh-cn`, `zh-CN`); null when it names none of ours. */
export function languageFrom(value: string | null | undefined): Language | null {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '') return null;
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh' || v === 'zh-cn' || v === 'zh-hans' || v === 'zh-hans-cn') return 'zh-CN';
  return null;
}

/** The desk's language: `?lang=` in the URL, else the remembered choice, else Chinese. */
export function chooseLanguage(search: string, stored: string | null): Language {
  return languageFrom(new URLSearchParams(search).get('lang')) ?? languageFrom(stored) ?? defaultLanguage;
}

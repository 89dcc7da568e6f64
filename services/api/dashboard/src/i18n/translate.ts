import i18next, { type TFunction } from 'i18next';
import { en, type Catalogue } from './en.ts';
import { defaultLanguage, type Language } from './language.ts';
import { zhCN } from './zh-CN.ts';

/*
 * The desk's one translation instance (i18next: interpolation and plurals). Catalogues are bundled,
 * so it is ready synchronously when this module is imported; `t` answers in the current language.
 * Keys are checked at compile time against en.ts (the augmentation below).
 */

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Catalogue };
  }
}

const instance = i18next.createInstance();
void instance.init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: defaultLanguage,
  fallbackLng: 'en',
  supportedLngs: ['zh-CN', 'en'],
  // `zh-CN` only, never a `zh` lookup first.
  load: 'currentOnly',
  initAsync: false,
  // Text goes into text nodes and attributes (element.ts never parses HTML): escaping would show `&amp;`.
  interpolation: { escapeValue: false },
  returnNull: false,
});

const fixed: Readonly<Record<Language, TFunction>> = { en: instance.getFixedT('en'), 'zh-CN': instance.getFixedT('zh-CN') };
let current: Language = defaultLanguage;

/** Translates a catalogue key in the current language. */
export const t: TFunction = ((...args: Parameters<TFunction>) => (fixed[current] as unknown as (...a: unknown[]) => string)(...args)) as TFunction;

export function currentLanguage(): Language {
  return current;
}

/** Sets the language of every later `t` (views built before keep their words: the desk rebuilds them). */
export function setLanguage(language: Language): void {
  current = language;
  void instance.changeLanguage(language);
}

import { languageFrom, languageStorageKey, type Language } from './language.ts';

/* The language chosen with the switch, kept in this browser's localStorage (none where storage is refused). */

export function rememberedLanguage(): Language | null {
  try {
    return languageFrom(window.localStorage.getItem(languageStorageKey));
  } catch {
    return null;
  }
}

export function rememberLanguage(language: Language): void {
  try {
    window.localStorage.setItem(languageStorageKey, language);
  } catch {
    // Storage refused (private mode, policy): the choice lasts for this page only.
  }
}

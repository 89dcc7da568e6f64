import { el } from '../element.ts';
import { languages, type Language } from '../i18n/language.ts';
import { currentLanguage, t } from '../i18n/translate.ts';

/** Each language named in itself, as language switches do: an officer who reads only one finds it. */
const ownName: Readonly<Record<Language, string>> = { 'zh-CN': '中文', en: 'English' };

/**
 * 中文 / English, in the header and on the login page. Each button carries its own `lang`, so a
 * screen reader says "English" in English on a Chinese page.
 */
export function languageSwitch(onChoose: (language: Language) => void): HTMLElement {
  const buttons = languages.map((language) => {
    const on = language === currentLanguage();
    const button = el('button', { type: 'button', class: 'language-option', lang: language, 'aria-pressed': String(on), 'data-testid': `language-${language}` }, ownName[language]);
    button.addEventListener('click', () => {
      if (language !== currentLanguage()) onChoose(language);
    });
    return button;
  });
  return el('div', { class: 'language-switch', role: 'group', 'aria-label': t('language.label'), 'data-testid': 'language-switch' }, ...buttons);
}

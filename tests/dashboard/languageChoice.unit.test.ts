import { describe, expect, it } from 'vitest';
import { chooseLanguage, languageFrom } from '../../services/api/dashboard/src/i18n/language.ts';
import { setLanguage, t } from '../../services/api/dashboard/src/i18n/translate.ts';

describe("the desk's language", () => {
  it('is Chinese unless the URL or the remembered choice says otherwise, the URL first', () => {
    expect(chooseLanguage('', null)).toBe('zh-CN');
    expect(chooseLanguage('', 'en')).toBe('en');
    expect(chooseLanguage('?lang=en', null)).toBe('en');
    expect(chooseLanguage('?lang=zh-CN', 'en')).toBe('zh-CN');
    expect(chooseLanguage('?lang=en', 'zh-CN')).toBe('en');
    // A language the desk does not have falls through to the next source.
    expect(chooseLanguage('?lang=fr', 'en')).toBe('en');
    expect(chooseLanguage('?lang=fr', 'de')).toBe('zh-CN');
  });

  it('reads the usual spellings of both languages', () => {
    for (const v of ['en', 'EN', 'en-GB', ' en ']) expect(languageFrom(v), v).toBe('en');
    for (const v of ['zh', 'zh-CN', 'zh-cn', 'zh-Hans']) expect(languageFrom(v), v).toBe('zh-CN');
    for (const v of ['', null, undefined, 'zh-TW', 'fr']) expect(languageFrom(v), String(v)).toBeNull();
  });

  it('answers in the chosen language, with plurals and interpolation', () => {
    setLanguage('en');
    expect(t('header.vehicles', { count: 1, laden: 1 })).toBe('1 vehicle · 1 laden');
    expect(t('header.vehicles', { count: 4, laden: 2 })).toBe('4 vehicles · 2 laden');
    setLanguage('zh-CN');
    expect(t('header.vehicles', { count: 4, laden: 2 })).toBe('4 辆车 · 载货 2 辆');
    expect(t('header.times', { zone: t('time.zone') })).toBe('时间均为北京时间 (UTC+8)');
  });
});

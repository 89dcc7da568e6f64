import type { Page } from 'playwright-core';

/*
 * Finds English left in a Chinese view: every word of three or more Latin letters in a shown text
 * node (an <option> counts when its <select> is shown) or in a shown element's title, placeholder
 * or aria-label. Text marked lang="en" (the language switch's "English") is English on purpose.
 * What may stay is data (plates, ids, zone, goods and place names: passed in by the test, from its
 * fixture) and the units and standard names below, which Chinese transport software writes in
 * Latin letters too.
 */
export const allowedLatin: readonly string[] = [
  'km', // km/h
  'kg',
  'API', // API 密钥: the officer's key is an API key
  'UTC', // 北京时间 (UTC+8)
  'SSE',
  'SHA', // SHA-256 of a file
  'JT', // JT/T 809, the platform link standard
  'UN', // UN numbers of dangerous goods
  'CSV', // file formats, named as spreadsheets and GIS software name them: 导出 CSV, 网格（GeoJSON）
  'GeoJSON',
];

const finder = `(([rootSelector, allowed]) => {
  const allow = new Set(allowed);
  const found = [];
  const root = document.querySelector(rootSelector);
  if (root === null) return ['no element ' + rootSelector];
  const shown = (el) => el.checkVisibility({ visibilityProperty: true });
  const english = (el) => el.closest('[lang]')?.getAttribute('lang') === 'en';
  const where = (el) => el.tagName.toLowerCase() + (el.dataset.testid ? '[' + el.dataset.testid + ']' : el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
  const check = (text, at) => {
    for (const word of text.match(/[A-Za-z]{3,}/g) ?? []) if (!allow.has(word)) found.push(word + ' in ' + at + ': ' + text.trim().slice(0, 100));
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent === null || parent.closest('script, style, noscript')) continue;
    const owner = parent.tagName === 'OPTION' ? (parent.closest('select') ?? parent) : parent;
    if (!shown(owner) || english(parent)) continue;
    check(node.textContent ?? '', where(parent));
  }
  for (const el of root.querySelectorAll('[title], [placeholder], [aria-label]')) {
    if (!shown(el) || english(el)) continue;
    for (const name of ['title', 'placeholder', 'aria-label']) {
      const value = el.getAttribute(name);
      if (value) check(value, where(el) + '@' + name);
    }
  }
  return found;
})`;

/** Untranslated words under `rootSelector` (with where they are), allowing `allowedLatin` and the test's data words. */
export function untranslatedWords(page: Page, rootSelector: string, dataWords: Iterable<string>): Promise<string[]> {
  const allowed = [...allowedLatin, ...dataWords];
  return page.evaluate(`${finder}(${JSON.stringify([rootSelector, allowed])})`) as Promise<string[]>;
}

/** The Latin words of data strings (plates, ids, names), which are never translated. */
export function latinWordsOf(values: Iterable<string | null | undefined>): Set<string> {
  const words = new Set<string>();
  for (const value of values) for (const word of value?.match(/[A-Za-z]{3,}/g) ?? []) words.add(word);
  return words;
}

import { describe, expect, it } from 'vitest';
import { detectionCatalogue } from '@dgt/detection';
import { en } from '../../services/api/dashboard/src/i18n/en.ts';
import { zhCN } from '../../services/api/dashboard/src/i18n/zh-CN.ts';

/*
 * The desk's two catalogues (services/api/dashboard/src/i18n): the typecheck already refuses a key
 * missing from zh-CN; these checks catch what types cannot see.
 */

/** Every leaf of a catalogue as `group.key` → text. */
function leaves(catalogue: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'object' && value !== null) for (const [k, v] of leaves(value, path)) out.set(k, v);
    else out.set(path, value);
  }
  return out;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
const english = leaves(en);
const chinese = leaves(zhCN);

describe('the desk catalogues', () => {
  it('have exactly the same keys', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
    expect(english.size).toBeGreaterThan(300);
  });

  it('have no empty or non-text entries', () => {
    for (const [key, text] of [...english, ...chinese]) {
      expect(typeof text, key).toBe('string');
      expect((text as string).trim(), key).not.toBe('');
    }
  });

  it('use the same interpolation placeholders per key', () => {
    for (const [key, text] of english) expect(placeholders(chinese.get(key) as string), key).toEqual(placeholders(text as string));
  });

  it('write every zh-CN entry in Chinese, or as a bare format with no words of its own', () => {
    // A bare format: placeholders, punctuation (full-width in Chinese) and units, e.g. `{{kind}}：{{name}}`, `{{speed}} km/h`.
    const wordsOf = (text: string): string => text.replace(/\{\{[^}]+\}\}/g, '').replace(/km\/h|SHA-256/g, '');
    let chineseEntries = 0;
    for (const [key, text] of chinese) {
      const hasChinese = /[\u4e00-\u9fff]/.test(text as string);
      if (hasChinese) chineseEntries++;
      else expect(wordsOf(text as string), key).not.toMatch(/[A-Za-z]/);
    }
    expect(chineseEntries / chinese.size).toBeGreaterThan(0.9);
  });

  it('name the kinds as the detection catalogue does in Chinese', () => {
    // The same words on the desk as in the reports and the CSV an officer hands on; the desk may
    // add a qualifier where one kind is both a violation and an advisory (终端不在线（载货）).
    for (const entry of Object.values(detectionCatalogue)) {
      expect(zhCN.occurrenceKind[entry.kind], entry.kind).toBe(entry.label.zh);
      const inList = entry.category === 'violation' ? (zhCN.violationKind as Record<string, string>)[entry.kind] : (zhCN.advisoryKind as Record<string, string>)[entry.kind];
      expect(inList?.startsWith(entry.label.zh), `${entry.kind}: ${inList}`).toBe(true);
    }
  });
});

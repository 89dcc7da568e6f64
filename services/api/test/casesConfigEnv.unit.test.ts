import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCasesConfig } from '@dgt/cases';
import { describe, expect, it } from 'vitest';
import { readApiConfig } from '../src/env.ts';

const base = { DGT_API_KEYS: JSON.stringify([{ id: 'k', role: 'bureau', sha256: 'a'.repeat(64) }]) };

function fileWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dgt-cases-config-')), 'cases.json');
  writeFileSync(file, text);
  return file;
}

describe('the cases config (points validity, standing thresholds) from the environment', () => {
  it('keeps the library’s defaults unless told: 12 months, yellow from 6, red from 12', () => {
    expect(readApiConfig(base).casesConfig).toEqual(defaultCasesConfig);
    expect(readApiConfig({ ...base, API_CASES_CONFIG: '  ' }).casesConfig).toEqual({ pointsValidityMonths: 12, standing: { yellow: 6, red: 12 } });
  });

  it('reads a JSON config inline, filling in what it leaves out', () => {
    expect(readApiConfig({ ...base, API_CASES_CONFIG: '{"pointsValidityMonths":6}' }).casesConfig).toEqual({ pointsValidityMonths: 6, standing: { yellow: 6, red: 12 } });
    expect(readApiConfig({ ...base, API_CASES_CONFIG: '{"standing":{"yellow":4,"red":9}}' }).casesConfig).toEqual({ pointsValidityMonths: 12, standing: { yellow: 4, red: 9 } });
  });

  it('reads it from a file', () => {
    const file = fileWith('{"pointsValidityMonths":24,"standing":{"yellow":3,"red":8}}');
    expect(readApiConfig({ ...base, API_CASES_CONFIG_FILE: file }).casesConfig).toEqual({ pointsValidityMonths: 24, standing: { yellow: 3, red: 8 } });
  });

  it('refuses a bad value naming the setting and the path of the value', () => {
    expect(() => readApiConfig({ ...base, API_CASES_CONFIG: '{"standing":{"yellow":12,"red":6}}' })).toThrow(/^API_CASES_CONFIG: standing\.red: yellow must be below red/);
    expect(() => readApiConfig({ ...base, API_CASES_CONFIG: '{"pointsValidityMonths":0}' })).toThrow(/^API_CASES_CONFIG: pointsValidityMonths: /);
    expect(() => readApiConfig({ ...base, API_CASES_CONFIG: '{"pointsValidityMonths":1.5}' })).toThrow(/API_CASES_CONFIG: pointsValidityMonths: must be a whole number of months/);
    expect(() => readApiConfig({ ...base, API_CASES_CONFIG: '{"validity":12}' })).toThrow(/^API_CASES_CONFIG: .*validity/);
    const file = fileWith('{"standing":{"yellow":"six"}}');
    expect(() => readApiConfig({ ...base, API_CASES_CONFIG_FILE: file })).toThrow(new RegExp(`^API_CASES_CONFIG_FILE ${file}: standing\\.yellow: `));
  });

  it('refuses text that is not JSON, an unreadable file, and both settings at once', () => {
    expect(() => readApiConfig({ ...base, API_CASES_CONFIG: 'yellow=6' })).toThrow(/^API_CASES_CONFIG: not JSON/);
    expect(() => readApiConfig({ ...base, API_CASES_CONFIG_FILE: '/nonexistent/cases.json' })).toThrow(/^API_CASES_CONFIG_FILE: cannot read \/nonexistent\/cases\.json/);
    expect(() => readApiConfig({ ...base, API_CASES_CONFIG: '{}', API_CASES_CONFIG_FILE: '/x' })).toThrow(/not both/);
  });
});

import { describe, expect, it } from 'vitest';
import { ApiConfigError, readApiConfig } from '../src/env.ts';

/* Labels the API draws: the public address their QR codes open, and the font of the PNG. */

const base = { DGT_API_KEYS: JSON.stringify([{ id: 'k', role: 'bureau', sha256: 'a'.repeat(64) }]) };

describe('API_PUBLIC_BASE_URL and API_LABEL_FONT', () => {
  it('reads the public base address without its trailing slash, and the font file as given; both absent by default', () => {
    const config = readApiConfig({
      ...base,
      API_PUBLIC_BASE_URL: 'https://dgt.example.gov.cn/',
      API_LABEL_FONT: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    });
    expect(config.publicBaseUrl).toBe('https://dgt.example.gov.cn');
    expect(config.labelFontFile).toBe('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
    const defaults = readApiConfig(base);
    expect(defaults.publicBaseUrl).toBeUndefined();
    expect(defaults.labelFontFile).toBeUndefined();
  });

  it('refuses a base address that is not http(s), or carries a query, a fragment or credentials: they would be printed in every QR code', () => {
    for (const url of [
      'ftp://dgt.example.gov.cn',
      'https://dgt.example.gov.cn/?a=1',
      'https://dgt.example.gov.cn/#x',
      'https://user:pw@dgt.example.gov.cn',
      'dgt.example.gov.cn',
    ]) {
      expect(() => readApiConfig({ ...base, API_PUBLIC_BASE_URL: url }), url).toThrow(ApiConfigError);
      expect(() => readApiConfig({ ...base, API_PUBLIC_BASE_URL: url }), url).toThrow(/API_PUBLIC_BASE_URL/);
    }
  });
});

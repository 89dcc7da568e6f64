import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  labelQrOptions,
  labelSvg,
  labelText,
  scanInstruction,
  titleFontSize,
} from '../src/index.ts';

/* The printed label: the library's QR code of the URL, the title and the instruction, as SVG. */

const url = 'https://dgt.example.gov.cn/s/AQECAAEFVjAwMjI';
const titleOf = (svg: string) => /font-weight="700"[^>]*>([^<]*)<\/text>/.exec(svg)?.[1];

describe('the label SVG', () => {
  it('nests the QR library’s own drawing of the URL, unchanged, with the title and the instruction under it', async () => {
    const svg = await labelSvg(url, '甲醇 UN1230');
    const modules = (s: string) => /<path stroke="#000000" d="([^"]+)"/.exec(s)?.[1];
    const expected = await QRCode.toString(url, { type: 'svg', ...labelQrOptions });
    expect(modules(svg)).toBeDefined();
    expect(modules(svg)).toBe(modules(expected));
    expect(modules(await labelSvg(`${url}x`, '甲醇 UN1230'))).not.toBe(modules(svg));
    expect(titleOf(svg)).toBe('甲醇 UN1230');
    expect(svg).toContain(`>${scanInstruction}</text>`);
  });

  it('writes markup in a title as text', async () => {
    const svg = await labelSvg(url, '<b>&"x"</b>');
    expect(titleOf(svg)).toBe('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
  });

  it('shrinks a long title to fit the label’s width, never below a readable size', () => {
    expect(titleFontSize('浙J·12345')).toBe(44);
    expect(titleFontSize('甲醇 UN1230')).toBe(44);
    // 20 Han characters at 1 em each across 560 units: 28.
    expect(titleFontSize('一'.repeat(20) + ' UN1230')).toBeLessThan(28);
    expect(titleFontSize('一'.repeat(200))).toBe(20);
  });

  it('says which characters a rasteriser must draw: the title’s and the instruction’s', () => {
    expect(labelText('浙J·12345')).toBe(`浙J·12345${scanInstruction}`);
  });
});

import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { labelGeometry, labelText, scanInstruction } from '@dgt/safetycodes';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findLabelFont,
  fontDirectories,
  labelPng,
  LabelFontError,
  labelPngWidth,
  openLabelFont,
  type LabelFont,
} from '../src/index.ts';

/*
 * The PNG label has its text in the pixels: Chinese glyphs, not empty boxes, drawn with a font
 * this machine has (CI installs fonts-wqy-zenhei); and no PNG at all when no font can draw it.
 */

const url = 'https://dgt.example.gov.cn/s/AQECAAEFVjAwMjLq3Qx0m4n2Vb7ZcX1pYw';
/** A Latin-only font of the base image (fonts-dejavu-core): it has no Chinese glyph. */
const latinOnly = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const dir = mkdtempSync(join(tmpdir(), 'dgt-labelprint-'));
let font: LabelFont;

beforeAll(async () => {
  font = await findLabelFont(labelText('甲醇乙醇浙J·12345 UN'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scale = labelPngWidth / labelGeometry.width;
const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes));

/** The RGBA bytes of the rows from `top` to `bottom` (label units). */
function band(png: PNG, top: number, bottom: number): Buffer {
  return png.data.subarray(
    Math.round(top * scale) * png.width * 4,
    Math.round(bottom * scale) * png.width * 4,
  );
}
function count(pixels: Buffer, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4)
    if (test(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!)) n++;
  return n;
}
const black = (r: number, g: number, b: number) => r < 96 && g < 96 && b < 96;
/** The instruction's #b00000. */
const red = (r: number, g: number, b: number) => r > 120 && g < 80 && b < 80;
const titleBand = (png: PNG) => band(png, labelGeometry.textTop, 690);
const instructionBand = (png: PNG) => band(png, 690, labelGeometry.height);

describe('the PNG label', () => {
  it('is the whole label, 1200 × 1600 px, whose QR code decodes to the scan URL', async () => {
    const png = decode(await labelPng(url, '甲醇 UN1230', font));
    expect([png.width, png.height]).toEqual([1200, 1600]);
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr?.data).toBe(url);
  });

  it('draws the title and the instruction into the pixels under the QR code', async () => {
    const png = decode(await labelPng(url, '甲醇 UN1230', font));
    expect(count(titleBand(png), black)).toBeGreaterThan(2_000);
    expect(count(instructionBand(png), red)).toBeGreaterThan(2_000);
    // The text is the only thing there: a blank label's bands hold no ink.
    const blank = decode(await labelPng(url, ' ', font));
    expect(count(titleBand(blank), black)).toBe(0);
  });

  it('draws each Han character as its own glyph, not a box: 甲醇 and 乙醇 differ, and only in the title', async () => {
    const a = decode(await labelPng(url, '甲醇', font));
    const b = decode(await labelPng(url, '乙醇', font));
    // Two different characters missing from a font would both be the same empty box.
    expect(titleBand(a).equals(titleBand(b))).toBe(false);
    expect(instructionBand(a).equals(instructionBand(b))).toBe(true);
    expect(band(a, 0, labelGeometry.qrSize).equals(band(b, 0, labelGeometry.qrSize))).toBe(true);
  });

  it('refuses a title with a character the font has no glyph for, rather than print a box', async () => {
    await expect(labelPng(url, '甲醇 \u{1F600}', font)).rejects.toThrow(LabelFontError);
    await expect(labelPng(url, '甲醇 \u{1F600}', font)).rejects.toThrow(/no glyph for 😀/);
  });
});

describe('finding a font that can draw the label', () => {
  it('refuses a Latin-only font given by hand, naming the characters it lacks', async () => {
    expect(existsSync(latinOnly), `${latinOnly} (fonts-dejavu-core)`).toBe(true);
    await expect(openLabelFont(latinOnly, scanInstruction)).rejects.toThrow(
      /has no glyph for 扫码查看应急处置信息: the label would print empty boxes/,
    );
  });

  it('refuses a file that is not a font, and one that is not there', async () => {
    const notAFont = join(dir, 'notes.ttf');
    writeFileSync(notAFont, 'not a font');
    await expect(openLabelFont(notAFont, scanInstruction)).rejects.toThrow(/is not a font file/);
    await expect(openLabelFont(join(dir, 'missing.ttc'), scanInstruction)).rejects.toThrow(
      /cannot read the font/,
    );
  });

  it('finds a CJK font linked into a font folder, checked glyph by glyph, without fontconfig', async () => {
    // As Debian links fonts through /etc/alternatives: a link named like a CJK font, in a subfolder.
    const folder = mkdtempSync(join(dir, 'fonts-'));
    mkdirSync(join(folder, 'truetype'));
    const link = join(folder, 'truetype', `wqy-linked${extname(font.file)}`);
    symlinkSync(font.file, link);
    const found = await findLabelFont(scanInstruction, {
      directories: [folder],
      fontconfig: false,
    });
    expect(found.file).toBe(link);
    expect(found.missing(scanInstruction)).toEqual([]);
    expect(found.family).not.toBe('');
  });

  it('says where it looked and how to install one when only a CJK-named Latin font and a broken file are there', async () => {
    const folder = mkdtempSync(join(dir, 'latin-'));
    symlinkSync(latinOnly, join(folder, 'NotoSansCJK-Regular.ttf'));
    writeFileSync(join(folder, 'wqy-zenhei.ttc'), 'truncated download');
    const search = findLabelFont(scanInstruction, { directories: [folder], fontconfig: false });
    await expect(search).rejects.toThrow(LabelFontError);
    await expect(search).rejects.toThrow(
      new RegExp(
        `no font with Chinese glyphs found for the label \\(looked in ${folder}\\); install a Chinese font`,
      ),
    );
  });

  it('looks in the platform’s font folders', () => {
    expect(fontDirectories('linux', '/home/a')).toEqual([
      '/usr/share/fonts',
      '/usr/local/share/fonts',
      '/home/a/.local/share/fonts',
      '/home/a/.fonts',
    ]);
    expect(fontDirectories('darwin', '/Users/a')).toContain('/System/Library/Fonts');
    expect(fontDirectories('win32', 'C:\\Users\\a')[0]).toBe('C:\\Windows\\Fonts');
  });
});

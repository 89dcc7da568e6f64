import { renderAsync } from '@resvg/resvg-js';
import { labelSvg, labelText } from '@dgt/safetycodes';
import { LabelFontError, type LabelFont } from './labelFont.ts';

/*
 * The label as PNG is the label's SVG (the one builder in @dgt/safetycodes) rasterised by resvg,
 * so the PNG and the SVG cannot drift apart. resvg is told about this one font file and no
 * system font: what is drawn does not depend on which other fonts the machine happens to have.
 */

/** 1200 px across 60 mm: 508 dpi, sharp on a label printer; the QR code's modules are ~24 px. */
export const labelPngWidth = 1200;

/**
 * The label of `url` titled `title` as PNG bytes. Refuses (LabelFontError) when the font lacks a
 * glyph the title needs, rather than printing a box where the plate's province should be.
 * Rendered on libuv's thread pool: an API process keeps answering while a label is drawn.
 */
export async function labelPng(
  url: string,
  title: string,
  font: LabelFont,
  width: number = labelPngWidth,
): Promise<Uint8Array> {
  const missing = font.missing(labelText(title));
  if (missing.length > 0)
    throw new LabelFontError(
      `the font ${font.file} has no glyph for ${missing.slice(0, 12).join('')} in the label "${title}"`,
    );
  const image = await renderAsync(await labelSvg(url, title), {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: {
      fontFiles: [font.file],
      loadSystemFonts: false,
      defaultFontFamily: font.family,
      sansSerifFamily: font.family,
    },
    logLevel: 'off',
  });
  return new Uint8Array(image.asPng());
}

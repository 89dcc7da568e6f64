import QRCode from 'qrcode';

/*
 * The printed label of a safety code: the QR code, the product's name and UN number (or the
 * vehicle's plate) and the instruction to scan it. One SVG builder for every printer: `dgt codes
 * print` writes it as is or rasterised, the API serves it. Pure: the same URL and title give the
 * same bytes.
 */

/** The label's drawing units (its viewBox): 60 × 80 mm, so 10 units per millimetre. */
export const labelGeometry = {
  width: 600,
  height: 800,
  /** The QR code (with its 4-module quiet zone) fills the top square. */
  qrSize: 600,
  /** Baselines of the title and the instruction under the QR code. */
  titleBaseline: 660,
  instructionBaseline: 740,
  /** The text lines are drawn between y = textTop and the label's bottom edge. */
  textTop: 600,
} as const;

/** What every label says under the QR code. */
export const scanInstruction = '扫码查看应急处置信息';

/** QR error correction M: survives a scuffed corner on a drum or a tank. */
export const labelQrOptions = { errorCorrectionLevel: 'M', margin: 4 } as const;

const fontFamily =
  'Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Zen Hei, sans-serif';
const titleSizeMax = 44;
const titleSizeMin = 20;
/** The width the title may take: the label less a 20-unit margin each side. */
const titleWidth = labelGeometry.width - 40;

const xmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const xml = (text: string): string => text.replace(/[&<>"']/g, (c) => xmlEscapes[c]!);

/** Every character a label with this title draws: a rasteriser's font must have a glyph for each. */
export function labelText(title: string): string {
  return `${title}${scanInstruction}`;
}

/**
 * The title's font size: the largest up to 44 at which it fits the label's width, estimating
 * Han and other wide characters at 1 em and the rest at 0.6 em (no font metrics in a pure
 * builder). A long product name shrinks rather than running off the label's edge.
 */
export function titleFontSize(title: string): number {
  let ems = 0;
  for (const c of title) ems += /[\p{Script=Han}\u3000-\u30ff\uff00-\uffef]/u.test(c) ? 1 : 0.6;
  if (ems === 0) return titleSizeMax;
  return Math.max(titleSizeMin, Math.min(titleSizeMax, Math.floor(titleWidth / ems)));
}

/**
 * The label as SVG: the QR code as the library draws it (its own SVG, nested unchanged, so what
 * is scanned is exactly the library's encoding of `url`), the title and the instruction underneath.
 */
export async function labelSvg(url: string, title: string): Promise<string> {
  const g = labelGeometry;
  const qr = (await QRCode.toString(url, { type: 'svg', ...labelQrOptions })).trim();
  const nested = qr.replace(/^<svg /, `<svg x="0" y="0" width="${g.qrSize}" height="${g.qrSize}" `);
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="80mm" viewBox="0 0 ${g.width} ${g.height}">
<rect width="${g.width}" height="${g.height}" fill="#ffffff"/>
${nested}
<text x="${g.width / 2}" y="${g.titleBaseline}" text-anchor="middle" font-family="${fontFamily}" font-size="${titleFontSize(title)}" font-weight="700" fill="#000000">${xml(title)}</text>
<text x="${g.width / 2}" y="${g.instructionBaseline}" text-anchor="middle" font-family="${fontFamily}" font-size="40" fill="#b00000">${scanInstruction}</text>
</svg>
`;
}

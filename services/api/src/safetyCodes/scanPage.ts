import { createHash } from 'node:crypto';
import { hazardPictogramSvg } from './hazardPictogram.ts';
import { revokedMessage, unknownMessage, type PublicScan } from './publicScan.ts';

/*
 * The roadside scan page: zh-CN, one column for a phone held in a glove, readable in sunlight,
 * no script, no external file (one inline style, allowed by its hash). It renders only a
 * `PublicScan` — the parsed, public view — so it cannot print what the schema does not list.
 */

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => escapes[c]!);

const style = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;font-size:18px;line-height:1.5;color:#111;background:#fff}
header{background:#b00000;color:#fff;padding:12px 16px}
header h1{margin:0;font-size:22px}
header p{margin:2px 0 0;font-size:15px}
main{padding:12px 16px 24px;max-width:640px;margin:0 auto}
.item{border:2px solid #222;border-radius:8px;padding:12px;margin:0 0 16px}
.head{display:flex;gap:12px;align-items:center}
.diamond{width:88px;height:88px;flex:none}
.name{font-size:24px;font-weight:700;margin:0}
.un{font-size:20px;font-weight:700;margin:0}
.cls{margin:0}
h2{font-size:18px;margin:12px 0 4px}
.measures{white-space:pre-wrap;margin:0}
.nowrap{white-space:nowrap}
.number{display:block;font-size:26px}
a.call{display:block;margin:12px 0 0;padding:14px;border-radius:8px;background:#b00000;color:#fff;text-align:center;font-size:22px;font-weight:700;text-decoration:none}
.status{font-size:20px;font-weight:700;margin:0 0 12px}
.note{font-size:15px;color:#444}
.gone{border:3px solid #b00000;border-radius:8px;padding:16px;font-size:20px;font-weight:700}
footer{padding:0 16px 24px;font-size:15px;color:#444;max-width:640px;margin:0 auto}
`;

/** The page's CSP: nothing but its own inline style (by hash); no script, image, frame or form. */
export const scanPageCsp = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<header><h1>危险货物安全信息</h1><p>一企一品一码 · 应急处置</p></header>
<main>
${body}
</main>
<footer>火警 119 · 急救 120 · 本页仅显示应急处置所需的公开信息。</footer>
</body>
</html>
`;
}

interface Emergency {
  readonly emergencyMeasures: string;
  readonly emergencyPhone: string;
  readonly sdsUrl: string | null;
}

function emergencyBlock(e: Emergency): string {
  const dial = e.emergencyPhone.replace(/[^0-9+]/g, '');
  return (
    `<h2>应急处置措施</h2><p class="measures">${escapeHtml(e.emergencyMeasures)}</p>` +
    `<a class="call" href="tel:${escapeHtml(dial)}">拨打企业应急电话<span class="number">${escapeHtml(e.emergencyPhone)}</span></a>` +
    (e.sdsUrl === null
      ? ''
      : `<p class="note"><a href="${escapeHtml(e.sdsUrl)}" rel="noopener noreferrer nofollow">安全技术说明书（SDS）</a></p>`)
  );
}

function itemHead(
  index: number,
  name: string,
  unNumber: string,
  hazardClass: string,
  hazardClassName: string,
  packingGroup: string | null,
): string {
  return (
    `<div class="head">${hazardPictogramSvg(hazardClass, escapeHtml, `hz${index}`)}<div>` +
    `<p class="name">${escapeHtml(name)}</p>` +
    `<p class="un">UN ${escapeHtml(unNumber.replace(/^UN/i, ''))}</p>` +
    `<p class="cls"><span class="nowrap">第 ${escapeHtml(hazardClass)} 类</span> ${escapeHtml(hazardClassName)}${packingGroup === null ? '' : ` · <span class="nowrap">包装类别 ${escapeHtml(packingGroup)}</span>`}</p>` +
    `</div></div>`
  );
}

const loadStateText = {
  loaded: '本车当前装载以下危险货物：',
  assigned: '本车已派单，以下货物的装货尚未确认，可能已在车上：',
  empty: '本车当前未登记装载危险货物。如现场发现泄漏或异常，仍按危险货物处置并拨打 119。',
} as const;

export function scanPageHtml(scan: PublicScan): string {
  if (scan.kind === 'product') {
    const p = scan.product;
    return page(
      `${p.name} UN${p.unNumber} 安全信息`,
      `<section class="item">${itemHead(0, p.name, p.unNumber, p.hazardClass, p.hazardClassName, p.packingGroup)}${emergencyBlock(p)}</section>`,
    );
  }
  const items = scan.goods.map(
    (g, i) =>
      `<section class="item">${itemHead(i, g.name, g.unNumber, g.hazardClass, g.hazardClassName, null)}` +
      (g.emergency === null
        ? '<p class="note">托运企业未登记此货物的应急信息，请查阅随车安全技术说明书。</p>'
        : emergencyBlock(g.emergency)) +
      `</section>`,
  );
  return page(
    '车辆装载危险货物信息',
    `<p class="status">${loadStateText[scan.loadState]}</p>${items.join('\n')}`,
  );
}

export function revokedPageHtml(): string {
  return page('安全码已作废', `<p class="gone">${escapeHtml(revokedMessage)}</p>`);
}

export function unknownPageHtml(): string {
  return page('未找到安全码', `<p class="gone">${escapeHtml(unknownMessage)}</p>`);
}

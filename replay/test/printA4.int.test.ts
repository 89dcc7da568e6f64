import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../src/html.ts';
import type { ReplayReport } from '../src/reportTypes.ts';
import { scenario } from './fixtures.ts';
import { evidenceReport, fleetReport, register } from './evidenceFixtures.ts';

const chromiumPath = process.env.DGT_CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A4 is 210 mm wide; the report's @page margins are 12 mm: 186 mm printable, in CSS px (96 per inch). */
const A4_WIDTH_PT = 595.28;
const PRINTABLE_PX = Math.floor((186 / 25.4) * 96);

let browser: Browser;
let small: ReplayReport;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set DGT_CHROMIUM_PATH)`);
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'], headless: true });
  small = await evidenceReport([...register, ...scenario('02-parked-laden-roadside-25min'), ...scenario('08b-pass-through-segment-empty')]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The page laid out as print lays it out on A4: print media, the printable width. */
async function printed(html: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: PRINTABLE_PX, height: 1000 } });
  await page.setContent(html, { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  return page;
}

/** What sticks out: the document's width, and every table or SVG wider than its container or past the right edge. */
// Run in the page (as text: this package is type-checked without the DOM library).
const measureInPage = `(() => {
  const tooWide = [];
  const right = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('table, svg')) {
    const box = el.getBoundingClientRect();
    const container = el.parentElement.getBoundingClientRect();
    if (box.width > container.width + 0.5 || box.right > right + 0.5 || el.scrollWidth > el.clientWidth + 1) tooWide.push(el.tagName + ' ' + Math.round(box.width) + 'px in ' + Math.round(container.width) + 'px');
  }
  return { docWidth: document.documentElement.scrollWidth, docHeight: document.documentElement.scrollHeight, tooWide };
})()`;

async function overflow(page: Page): Promise<{ docWidth: number; docHeight: number; tooWide: string[] }> {
  return page.evaluate(measureInPage);
}

/** The MediaBox widths (pt) of a PDF's pages, as Chromium writes them (uncompressed page dictionaries). */
function pageWidths(pdf: Buffer): number[] {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+[\d.]+\s*\]/g)].map((m) => Number(m[1]));
}

describe('report.html in print', () => {
  it('fits an A4 page width: no table, nor the map, wider than the printable width', async () => {
    const page = await printed(renderReportHtml(small, { operator: 'inspector-li', ranAt: '2026-03-03T09:00:00+08:00' }));
    const { docWidth, tooWide } = await overflow(page);
    expect(tooWide).toEqual([]);
    expect(docWidth).toBeLessThanOrEqual(PRINTABLE_PX);
    const widths = pageWidths(await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
    expect(widths.length).toBeGreaterThan(0);
    for (const w of widths) expect(Math.abs(w - A4_WIDTH_PT)).toBeLessThan(1);
    await page.close();
  }, 60_000);

  it('pages a fleet report: its tables stay within the page and it prints in a bounded number of A4 pages', async () => {
    const fleet = fleetReport(small, 200, 6);
    const html = renderReportHtml(fleet);
    const page = await printed(html);
    const { docWidth, docHeight: height, tooWide } = await overflow(page);
    expect(tooWide).toEqual([]);
    expect(docWidth).toBeLessThanOrEqual(PRINTABLE_PX);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    const pages = pageWidths(pdf).length;
    console.log(`fleet report (${fleet.violations.length} violations, ${fleet.advisories.length} advisories, ${fleet.vehicles.length} vehicles): ${html.length} chars, ${height} px tall in print, ${pages} A4 pages`);
    expect(Buffer.byteLength(html)).toBeLessThan(600_000);
    expect(pages).toBeLessThan(150);
    await page.close();
  }, 120_000);
});

import { resolveDetectionConfig } from '@dgt/detection';
import { describe, expect, it } from 'vitest';
import { renderViolationsCsv } from '../src/csv.ts';
import { renderReportHtml } from '../src/html.ts';
import { renderReportJson } from '../src/reportJson.ts';
import { runReplay } from '../src/runReplay.ts';
import { normaliseSelection } from '../src/selection.ts';
import { storeSource } from '../src/storeSource.ts';
import { scenario, storeWith } from './fixtures.ts';

const thresholds = resolveDetectionConfig({});
const hostile = '<script>alert(1)</script>"\'&';

async function hostileReport() {
  const events = scenario('02-parked-laden-roadside-25min').map((e) =>
    e.type === 'CarriageAssigned' ? { ...e, data: { ...e.data, carrierId: `=cmd|${hostile}` } } : e.type === 'ZoneDesignated' ? { ...e, data: { ...e.data, name: hostile } } : e,
  );
  const { report } = await runReplay({ selection: normaliseSelection({}), thresholds }, storeSource(await storeWith(events)));
  return report;
}

describe('report rendering', () => {
  it('writes report.json with sorted keys and no trace of the machine', async () => {
    const report = await hostileReport();
    const json = renderReportJson(report);
    expect(json.endsWith('}\n')).toBe(true);
    const top = Object.keys(JSON.parse(json) as object);
    expect(top).toEqual([...top].sort());
    expect(json).not.toMatch(/\/tmp|\/work|recordedAt/);
  });

  it('escapes event data in the HTML and loads nothing from elsewhere', async () => {
    const html = renderReportHtml(await hostileReport());
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain('<svg');
    expect(html).toContain('<circle');
  });

  it('quotes CSV cells and keeps spreadsheet formulas inert', async () => {
    const csv = renderViolationsCsv(await hostileReport());
    const [head, row] = csv.split('\r\n');
    expect(head?.startsWith('violationId,kind,severity,vehicleId,zoneId,rule')).toBe(true);
    expect(row).toContain(`"'=cmd|<script>alert(1)</script>""'&"`);
  });
});

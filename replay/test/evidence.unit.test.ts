import type { DgtEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { renderAdvisoriesCsv, renderViolationsCsv } from '../src/csv.ts';
import { exportSelection } from '../src/exportSelection.ts';
import { renderReportHtml } from '../src/html.ts';
import { OCCURRENCE_HTML_LIMIT } from '../src/htmlOccurrences.ts';
import { mostImportant } from '../src/occurrenceRank.ts';
import { ndjsonSource } from '../src/ndjsonSource.ts';
import { registryFromEvents } from '../src/registryFacts.ts';
import { renderReportJson } from '../src/reportJson.ts';
import { runReplay } from '../src/runReplay.ts';
import { normaliseSelection } from '../src/selection.ts';
import { storeSource } from '../src/storeSource.ts';
import { renderSvgMap } from '../src/svgMap.ts';
import { renderReport } from '../src/writeReport.ts';
import { evidenceEvents, evidenceReport, fleetReport, register, thresholds } from './evidenceFixtures.ts';
import { linesOf, scenario, storeWith } from './fixtures.ts';

const run = { operator: 'inspector-li', ranAt: '2026-03-03T09:00:00+08:00' };

describe('the report names who and what', () => {
  it('labels vehicles with their registered plate and owner, and carriers with their registered name', async () => {
    const report = await evidenceReport();
    expect(report.vehicles.map((v) => [v.vehicleId, v.plateNo, v.registeredCarrierId])).toEqual([['V1', '浙J·12345', 'C1']]);
    expect(report.carriers).toEqual([{ carrierId: 'C1', name: '台州危运物流有限公司', licenceNo: 'ZJ-331000-0042' }]);
  });

  it('lists each waybill with its goods (UN numbers, classes), carrier, vehicle, driver and escort ids', async () => {
    const report = await evidenceReport();
    expect(report.waybills).toEqual([
      {
        waybillNo: 'WB1',
        consignorId: 'CN-1',
        origin: 'Jiaojiang chemical park',
        destination: 'Linhai chemical park',
        goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20000 }],
        carrierId: 'C1',
        vehicleId: 'V1',
        driverId: 'D-V1',
        escortId: 'E-V1',
        status: 'loaded',
      },
    ]);
  });

  it('leaves plate and name null when the register does not know the vehicle or carrier', async () => {
    const report = await evidenceReport(scenario('02-parked-laden-roadside-25min'));
    expect(report.vehicles[0]).toMatchObject({ vehicleId: 'V1', plateNo: null, registeredCarrierId: null });
    expect(report.carriers).toEqual([{ carrierId: 'C1', name: null, licenceNo: null }]);
    expect(renderReportHtml(report)).toContain('no plate on record');
  });

  it('keeps the register out of the evidence digest: the same digest with or without it', async () => {
    const withRegister = await evidenceReport();
    const without = await evidenceReport(scenario('02-parked-laden-roadside-25min'));
    expect(withRegister.digest).toEqual({ ...without.digest, firstPosition: withRegister.digest.firstPosition, lastPosition: withRegister.digest.lastPosition });
    expect(withRegister.digest.sha256).toBe(without.digest.sha256);
  });

  it('counts a transfer only when it took effect before the window ends, and keeps only the vehicles asked for', () => {
    const transfer = { eventId: 't', type: 'VehicleTransferred', occurredAt: '2026-03-05T00:00:00+08:00', data: { vehicleId: 'V1', fromCarrierId: 'C1', toCarrierId: 'C2', effectiveAt: '2026-03-05T00:00:00+08:00' } };
    const other = { eventId: 'r2', type: 'VehicleRegistered', occurredAt: '2026-01-02T00:00:00+08:00', data: { vehicleId: 'V9', carrierId: 'C1', plateNo: '浙J·99999' } };
    const events = [...register, other, transfer];
    expect(registryFromEvents(events, '2026-03-03T00:00:00+08:00', new Set(['V1'])).vehicles).toEqual([{ vehicleId: 'V1', plateNo: '浙J·12345', carrierId: 'C1' }]);
    expect(registryFromEvents(events, null, null).vehicles).toEqual([
      { vehicleId: 'V1', plateNo: '浙J·12345', carrierId: 'C2' },
      { vehicleId: 'V9', plateNo: '浙J·99999', carrierId: 'C1' },
    ]);
  });
});

describe('exports carry the register', () => {
  async function exported(events: readonly DgtEvent[]) {
    const store = await storeWith(events);
    const selection = normaliseSelection({ vehicles: ['V1'] });
    const lines: string[] = [];
    await exportSelection(selection, storeSource(store), async (l) => void lines.push(l));
    return { store, selection, lines };
  }

  it('replays an export to the same report.json bytes, plates and names included', async () => {
    const { store, selection, lines } = await exported(evidenceEvents());
    expect(JSON.parse(lines[0]!)).toMatchObject({ dgtExport: { format: 'dgt-export/3', registry: { vehicles: [{ vehicleId: 'V1', plateNo: '浙J·12345' }] } } });
    const direct = await runReplay({ selection, thresholds }, storeSource(store));
    const offline = await runReplay({ selection: normaliseSelection({}), thresholds }, ndjsonSource(linesOf(lines.join('\n'))));
    expect(offline.report.vehicles[0]?.plateNo).toBe('浙J·12345');
    expect(renderReportJson(offline.report)).toBe(renderReportJson(direct.report));
  });

  it('still replays a dgt-export/2 file (no register): vehicles by id only', async () => {
    const { lines } = await exported(evidenceEvents());
    const header = JSON.parse(lines[0]!) as { dgtExport: Record<string, unknown> };
    const { registry: _registry, ...v2 } = header.dgtExport;
    const old = [JSON.stringify({ dgtExport: { ...v2, format: 'dgt-export/2' } }), ...lines.slice(1)];
    const { report } = await runReplay({ selection: normaliseSelection({}), thresholds }, ndjsonSource(linesOf(old.join('\n'))));
    expect(report.vehicles[0]?.plateNo).toBeNull();
    expect(report.violations).toHaveLength(1);
  });
});

describe('operator and run time', () => {
  it('shows them in the HTML header and keeps them out of report.json', async () => {
    const result = await runReplay({ selection: normaliseSelection({}), thresholds, operator: 'inspector-li', ranAt: run.ranAt }, storeSource(await storeWith(evidenceEvents())));
    expect(result.run).toEqual(run);
    const a = renderReport(result.report, result.run);
    const b = renderReport(result.report, { operator: 'someone-else', ranAt: '2027-01-01T00:00:00Z' });
    expect(a.html).toContain('inspector-li');
    expect(a.html).toContain('2026-03-03T09:00:00+08:00');
    expect(a.json).toBe(b.json);
    expect(a.jsonSha256).toBe(b.jsonSha256);
    expect(a.json).not.toContain('inspector-li');
  });

  it('defaults the operator to "cli" and says when no run time was given', async () => {
    const result = await runReplay({ selection: normaliseSelection({}), thresholds }, storeSource(await storeWith(evidenceEvents())));
    expect(result.run).toEqual({ operator: 'cli', ranAt: null });
    expect(renderReportHtml(result.report, result.run)).toMatch(/operator<\/td><td><span class="mono">cli<\/span>[\s\S]*not given/);
  });
});

describe('HTML and CSV rows name the parties', () => {
  it('puts plate, carrier name, driver and escort ids, goods with UN number and class, and zone name in the HTML', async () => {
    const html = renderReportHtml(await evidenceReport([...evidenceEvents(), ...scenario('08b-pass-through-segment-empty')]), run);
    for (const text of ['浙J·12345', '台州危运物流有限公司', 'D-V1', 'E-V1', 'UN1230 methanol, class 3, 20000 kg', 'G104 test segment', 'driver id', 'escort id']) expect(html).toContain(text);
  });

  it('appends plate, carrier name, driver, escort, goods and zone name columns to the CSV files', async () => {
    const report = await evidenceReport([...evidenceEvents(), ...scenario('08b-pass-through-segment-empty')]);
    const [head, row] = renderViolationsCsv(report).split('\r\n');
    expect(head?.endsWith(',evidence,plateNo,carrierName,driverId,escortId,goods,zoneName')).toBe(true);
    expect(row).toContain(',浙J·12345,台州危运物流有限公司,D-V1,E-V1,"UN1230 methanol, class 3, 20000 kg",');
    expect(renderAdvisoriesCsv(report).split('\r\n')[1]?.endsWith(',,,,,,G104 test segment')).toBe(true);
  });
});

describe('the map', () => {
  it('draws zone outlines over the tracks, with a scale bar and a north arrow', async () => {
    const svg = renderSvgMap(await evidenceReport([...evidenceEvents(), ...scenario('08b-pass-through-segment-empty')]));
    const lastTrack = svg.lastIndexOf('<title>vehicle ');
    const segmentOutline = svg.lastIndexOf('accident-segment seg-g104');
    const lotOutline = svg.lastIndexOf('parking-lot lot-jiaojiang');
    expect(lastTrack).toBeGreaterThan(0);
    expect(segmentOutline).toBeGreaterThan(lastTrack);
    expect(lotOutline).toBeGreaterThan(lastTrack);
    expect(svg).toMatch(/<text[^>]*>\d+ k?m<\/text>/);
    expect(svg).toContain('>N</text>');
  });
});

describe('large reports', () => {
  it('prints at most the limit of rows, the most severe and longest first, numbered as in the CSV', async () => {
    const template = await evidenceReport();
    const fleet = fleetReport(template, 100, 3);
    const rows = fleet.violations.map((o, i) => ({ ...o, severity: i === 250 ? ('high' as const) : o.severity, durationS: i === 7 ? 99_999 : o.durationS }));
    const shown = mostImportant(rows, OCCURRENCE_HTML_LIMIT.violation);
    expect(shown).toHaveLength(OCCURRENCE_HTML_LIMIT.violation);
    const numbers = shown.map((s) => s.n);
    // The high-severity row and the longest one make it in, pushing out the last of the equal rest.
    expect(numbers).toContain(251);
    expect(numbers).toContain(8);
    expect(numbers).toContain(149);
    expect(numbers).not.toContain(150);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('draws a fleet map as one path per colour and at most 300 markers of each category, saying how many it left out', async () => {
    const fleet = fleetReport(await evidenceReport(), 2000, 1);
    const svg = renderSvgMap(fleet);
    expect(svg.match(/<path d="M[^"]*" fill="none" stroke="#[0-9a-f]{6}" stroke-width="1.5"\/>/g)).toHaveLength(8);
    expect(svg).not.toContain('<title>vehicle ');
    expect(svg.match(/<use href="#violation"/g)).toHaveLength(300);
    expect(svg).toContain(`${2000 - 300} markers not drawn`);
    expect(svg.length).toBeLessThan(150_000);
  });

  it('keeps a fleet report small: tables capped and paged, the rest counted', async () => {
    const fleet = fleetReport(await evidenceReport(), 200, 6);
    const html = renderReportHtml(fleet);
    expect(Buffer.byteLength(html)).toBeLessThan(500_000);
    expect(html).toContain(`${fleet.violations.length - OCCURRENCE_HTML_LIMIT.violation} more not shown here: every row is in violations.csv`);
    expect(html.match(/<tbody class="row">/g)?.length).toBeLessThan(700);
    expect(html).toContain('A fleet report: the timelines of the 10 vehicles with the most violations');
  });
});

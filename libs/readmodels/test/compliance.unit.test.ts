import { describe, expect, it } from 'vitest';
import { assessCompliance, carrierCompliance, defaultComplianceRules, resolveComplianceRules } from '../src/compliance.ts';
import { loadCarrierCompliance } from '../src/complianceQuery.ts';
import { ReadModelError } from '../src/errors.ts';
import { createMemoryReadModelStore } from '../src/memory/memoryReadModelStore.ts';
import type { ViolationView } from '../src/views.ts';
import { advisoryRow, batch, violationRow } from './fixtures.ts';

const NOW = '2026-03-31T12:00:00+08:00';
const DAYS_AGO = (d: number, extraMs = 0) => new Date(Date.parse(NOW) - d * 86_400_000 + extraMs).toISOString();
const closed = (id: string, startedAt: string, over: Partial<ViolationView> = {}) =>
  violationRow(id, { status: 'closed', startedAt, endedAt: startedAt, durationS: 0, carrierId: 'C-A', ...over });

describe('compliance rules', () => {
  it('the defaults are the documented ones', () => {
    expect(defaultComplianceRules).toEqual({ windowDays: 30, nonCompliantAtOrAbove: 3, warningAtOrAbove: 1, anyOpenIsNonCompliant: true });
  });

  it('overrides merge with the defaults; nonsense is refused with the offending field named', () => {
    expect(resolveComplianceRules({ windowDays: 7 })).toEqual({ ...defaultComplianceRules, windowDays: 7 });
    expect(() => resolveComplianceRules({ windowDays: 0 })).toThrow(/windowDays/);
    expect(() => resolveComplianceRules({ warningAtOrAbove: 5 })).toThrow(/warningAtOrAbove/);
    expect(() => resolveComplianceRules({ windowDays: 1.5 })).toThrow(ReadModelError);
  });

  it('refuses a rules file written when segment passages were violations, saying why, wherever it names accident-segment', () => {
    const old = [{ countTypes: ['illegal-parking', 'accident-segment'] }, { weights: { 'accident-segment': 0 } }, { 'accident-segment': { nonCompliantAtOrAbove: 5 } }];
    for (const rules of old) {
      expect(() => resolveComplianceRules(rules as never)).toThrow(
        /names accident-segment, which is no longer a violation: segment passages are advisories \(shown, never counted in compliance\); remove it\. Violations counted: illegal-parking, restricted-entry, overspeed/,
      );
    }
    expect(() => resolveComplianceRules({ weights: { 'accident-segment': 0 } } as never)).toThrow(/^invalid compliance rules: weights\.accident-segment names/);
    // A file of the documented rules written before then reads as it always did.
    expect(resolveComplianceRules({ windowDays: 14, anyOpenIsNonCompliant: false })).toEqual({ ...defaultComplianceRules, windowDays: 14, anyOpenIsNonCompliant: false });
  });
});

describe('assessCompliance', () => {
  it('no violations: compliant, with an empty window summary', () => {
    const c = assessCompliance('C-A', [], NOW);
    expect(c.status).toBe('compliant');
    expect(c.openViolations).toBe(0);
    expect(c.last30DaysTotal).toBe(0);
    expect(c.last30DaysByKind).toEqual({ 'illegal-parking': 0, 'restricted-entry': 0, overspeed: 0, 'fatigue-driving': 0, 'terminal-offline': 0, 'route-deviation': 0 });
    expect(c.vehiclesInViolation).toEqual([]);
    expect(c.windowTo).toBe('2026-03-31T04:00:00.000Z');
    expect(c.windowFrom).toBe('2026-03-01T04:00:00.000Z');
    expect(c.reasons).toEqual(['no violations in the last 30 days and none open']);
    expect(carrierCompliance.parse(c)).toEqual(c);
  });

  it('one or two closed violations in the window: warning', () => {
    const one = assessCompliance('C-A', [closed('X-1', DAYS_AGO(3))], NOW);
    expect(one.status).toBe('warning');
    expect(one.reasons[0]).toMatch(/^1 violation in the last 30 days \(illegal-parking ×1\): 1 to 2 gives a warning$/);
    const two = assessCompliance('C-A', [closed('X-1', DAYS_AGO(3)), closed('X-2', DAYS_AGO(29), { kind: 'overspeed' })], NOW);
    expect(two.status).toBe('warning');
    expect(two.last30DaysByKind).toEqual({ 'illegal-parking': 1, 'restricted-entry': 0, overspeed: 1, 'fatigue-driving': 0, 'terminal-offline': 0, 'route-deviation': 0 });
  });

  it('three in the window: non-compliant, even when all are closed', () => {
    const c = assessCompliance('C-A', [closed('X-1', DAYS_AGO(1)), closed('X-2', DAYS_AGO(2)), closed('X-3', DAYS_AGO(3))], NOW);
    expect(c.status).toBe('non-compliant');
    expect(c.last30DaysTotal).toBe(3);
    expect(c.reasons).toEqual(['3 violations in the last 30 days (illegal-parking ×3): 3 or more makes a carrier non-compliant']);
  });

  it('any open violation: non-compliant, however old, and its vehicle is listed', () => {
    const old = violationRow('X-old', { status: 'open', startedAt: DAYS_AGO(90), carrierId: 'C-A', vehicleId: 'V-9' });
    const c = assessCompliance('C-A', [old, violationRow('X-2', { status: 'open', startedAt: DAYS_AGO(1), carrierId: 'C-A', vehicleId: 'V-1', kind: 'restricted-entry' })], NOW);
    expect(c.status).toBe('non-compliant');
    expect(c.openViolations).toBe(2);
    expect(c.last30DaysTotal).toBe(1);
    expect(c.vehiclesInViolation).toEqual(['V-1', 'V-9']);
    expect(c.reasons[0]).toBe('2 violations open (illegal-parking ×1, restricted-entry ×1): any open violation makes a carrier non-compliant');
  });

  it('the window starts exactly windowDays before now (inclusive); older ones do not count', () => {
    const atEdge = closed('X-edge', DAYS_AGO(30));
    const justOut = closed('X-out', DAYS_AGO(30, -1));
    expect(assessCompliance('C-A', [atEdge], NOW).last30DaysTotal).toBe(1);
    expect(assessCompliance('C-A', [justOut], NOW).last30DaysTotal).toBe(0);
    expect(assessCompliance('C-A', [justOut], NOW).status).toBe('compliant');
  });

  it('other carriers’ rows and duplicates are ignored', () => {
    const x = closed('X-1', DAYS_AGO(1));
    const c = assessCompliance('C-A', [x, x, closed('X-2', DAYS_AGO(1), { carrierId: 'C-B' }), closed('X-3', DAYS_AGO(1), { carrierId: null })], NOW);
    expect(c.last30DaysTotal).toBe(1);
    expect(c.status).toBe('warning');
  });

  it('rules are configurable: open violations may be only a warning, and the window and lines move', () => {
    const rules = resolveComplianceRules({ anyOpenIsNonCompliant: false, windowDays: 7, warningAtOrAbove: 2, nonCompliantAtOrAbove: 4 });
    const open = violationRow('X-1', { status: 'open', startedAt: DAYS_AGO(1), carrierId: 'C-A' });
    const c1 = assessCompliance('C-A', [open], NOW, rules);
    expect(c1.status).toBe('compliant');
    expect(c1.reasons).toEqual(['1 violation in the last 7 days, below the warning line of 2', '1 violation open (illegal-parking ×1)']);
    const c2 = assessCompliance('C-A', [open, closed('X-2', DAYS_AGO(6)), closed('X-3', DAYS_AGO(8))], NOW, rules);
    expect(c2.status).toBe('warning');
    expect(c2.last30DaysTotal).toBe(2);
    expect(c2.rules).toEqual(rules);
  });

  it('refuses an unreadable now or startedAt', () => {
    expect(() => assessCompliance('C-A', [], 'now')).toThrow(/now must be an ISO-8601/);
    expect(() => assessCompliance('C-A', [closed('X-1', 'soon')], NOW)).toThrow(/X-1/);
  });
});

describe('loadCarrierCompliance', () => {
  it('reads open and in-window violations from the store across pages, under the scope', async () => {
    const store = createMemoryReadModelStore();
    const rows = [
      ...Array.from({ length: 1200 }, (_, i) => closed(`X-old-${i}`, DAYS_AGO(40 + (i % 10)))),
      violationRow('X-open-old', { status: 'open', startedAt: DAYS_AGO(60), carrierId: 'C-A', vehicleId: 'V-2' }),
      ...Array.from({ length: 700 }, (_, i) => closed(`X-new-${i}`, DAYS_AGO(1 + (i % 20)))),
      closed('X-b', DAYS_AGO(1), { carrierId: 'C-B' }),
    ];
    await store.commit(batch('1', { violations: rows }));
    const c = await loadCarrierCompliance(store, 'C-A', { carrierId: 'C-A' }, NOW);
    expect(c.openViolations).toBe(1);
    expect(c.last30DaysTotal).toBe(700);
    expect(c.vehiclesInViolation).toEqual(['V-2']);
    expect(c.status).toBe('non-compliant');
    const hidden = await loadCarrierCompliance(store, 'C-A', { carrierId: 'C-B' }, NOW);
    expect(hidden.last30DaysTotal).toBe(0);
    expect(hidden.openViolations).toBe(0);
  });

  it('counts violations only: a carrier whose vehicles only passed accident-prone segments, laden, is compliant', async () => {
    const store = createMemoryReadModelStore();
    // The finding of issue 15: 16 ordinary laden passages in 30 days made a carrier "non-compliant".
    const passages = Array.from({ length: 16 }, (_, i) =>
      advisoryRow(`A-${i}`, { carrierId: 'C-A', startedAt: DAYS_AGO(1 + i), status: 'closed', endedAt: DAYS_AGO(1 + i, 120_000), durationS: 120 }),
    );
    await store.commit(batch('1', { advisories: [...passages, advisoryRow('A-open', { carrierId: 'C-A', startedAt: DAYS_AGO(0.01) })] }));
    const c = await loadCarrierCompliance(store, 'C-A', { carrierId: null }, NOW);
    expect(c).toMatchObject({ status: 'compliant', openViolations: 0, last30DaysTotal: 0, vehiclesInViolation: [] });
  });
});

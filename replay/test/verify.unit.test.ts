import type { DetectionEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { compareDetections } from '../src/verify.ts';

const entered = (fix: string, at: string, speedKmh = 40): DetectionEvent => ({
  eventId: `${fix}/AccidentSegmentEntered/seg`,
  type: 'AccidentSegmentEntered',
  occurredAt: at,
  data: { vehicleId: 'V1', zoneId: 'seg', laden: false, speedKmh, evidence: [fix] },
});

describe('compareDetections', () => {
  it('finds no difference between identical runs', () => {
    const d = [entered('p1', '2026-03-02T08:00:00Z')];
    expect(compareDetections(d, d)).toEqual({
      live: 1,
      replayed: 1,
      matched: 1,
      byCategory: { violation: { live: 0, replayed: 0, matched: 0, differences: 0 }, advisory: { live: 1, replayed: 1, matched: 1, differences: 0 } },
      differences: [],
    });
  });

  it('classifies missing from live (replay only), extra in live (live only), different time and different data', () => {
    const live = [entered('p1', '2026-03-02T08:00:00Z'), entered('p5', '2026-03-02T09:00:00Z', 50), { ...entered('p9', '2026-03-02T10:00:00Z'), data: { vehicleId: 'V2', zoneId: 'seg', laden: false, speedKmh: 1, evidence: ['p9'] } } as DetectionEvent];
    const replay = [entered('p2', '2026-03-02T08:01:00Z'), entered('p5', '2026-03-02T09:00:00Z', 55), { ...entered('p7', '2026-03-02T11:00:00Z'), data: { vehicleId: 'V3', zoneId: 'seg', laden: false, speedKmh: 1, evidence: ['p7'] } } as DetectionEvent];
    const { differences, matched } = compareDetections(live, replay);
    expect(matched).toBe(0);
    expect(differences.map((d) => [d.kind, d.vehicleId, d.liveAt, d.replayAt])).toEqual([
      ['different-time', 'V1', '2026-03-02T08:00:00Z', '2026-03-02T08:01:00Z'],
      ['different-data', 'V1', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z'],
      ['extra', 'V2', '2026-03-02T10:00:00Z', null],
      ['missing', 'V3', null, '2026-03-02T11:00:00Z'],
    ]);
    expect(differences[1]?.fields).toEqual(['speedKmh']);
  });
});

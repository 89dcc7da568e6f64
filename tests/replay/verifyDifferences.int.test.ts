import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DgtEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { runDgt } from '../src/runDgt.ts';
import { scenarioEvents } from './support/scenarioEvents.ts';
import { fleetEvents, liveStore } from './support/seedStore.ts';

describe('dgt replay --verify', () => {
  it('exits 3 and lists a live detection that went missing as missing', async () => {
    const store = await liveStore(fleetEvents(), { drop: (d) => d.eventId === 'V1-l26/IllegalParkingEnded' });
    const r = await runDgt(['replay', '--store', store.path, '--verify', '--out', join(store.dir, 'out')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/verify: 1 differences/);
    const report = JSON.parse(readFileSync(join(store.dir, 'out', 'report.json'), 'utf8')) as { verify: { differences: unknown[]; byCategory: unknown } };
    expect(report.verify.differences).toEqual([
      { kind: 'missing', type: 'IllegalParkingEnded', category: 'violation', occurrenceKind: 'illegal-parking', vehicleId: 'V1', zoneId: null, liveEventId: null, replayEventId: 'V1-l26/IllegalParkingEnded', liveAt: null, replayAt: '2026-03-02T08:26:00+08:00', fields: [] },
    ]);
    // The two passages (advisories) were recorded and recomputed alike; the violation's closing is the one difference.
    expect(report.verify.byCategory).toEqual({ violation: { live: 1, replayed: 2, matched: 1, differences: 1 }, advisory: { live: 4, replayed: 4, matched: 4, differences: 0 } });
  });

  it('exits 3 when a zone is withdrawn retroactively after the live run', async () => {
    const events = scenarioEvents('01-parked-laden-in-lot');
    const withdrawal: DgtEvent = { eventId: 'lot-withdrawn-late', type: 'ZoneWithdrawn', occurredAt: '2026-03-02T00:00:00+08:00', data: { zoneId: 'lot-jiaojiang' } };
    const store = await liveStore(events, { after: [withdrawal] });
    expect(store.recorded).toEqual([]);
    const r = await runDgt(['replay', '--store', store.path, '--vehicle', 'V1', '--verify']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/missing\s+IllegalParkingStarted\s+violation V1/);
  });
});

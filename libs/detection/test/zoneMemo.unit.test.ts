import { canonicalJson, type DgtEvent, parseEvent } from '@dgt/events';
import { ZoneIndex } from '@dgt/geo';
import { describe, expect, it } from 'vitest';
import { materialise, mulberry32, taizhouTracks, taizhouZones } from '../bench/taizhouFleet.ts';
import { DetectionEngine } from '../src/index.ts';

/**
 * A zone index whose generation changes at every read: an engine using it never trusts what it
 * derived from a vehicle's previous fix (clearances, zones containing it), so it asks the index
 * about every fix — the reference the memo must agree with.
 */
class ForgetfulZoneIndex extends ZoneIndex {
  private reads = 0;
  override get crossingGeneration(): number {
    return super.crossingGeneration * 1_000_000 + ++this.reads;
  }
}

function detections(engine: DetectionEngine, events: readonly DgtEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) for (const d of engine.apply(e).detections) out.push(canonicalJson(d));
  return out;
}

describe('the per-vehicle zone memo', () => {
  it('gives byte-identical detections to asking the index about every fix, with zones designated ahead of time, withdrawn (with vehicles deep inside) and added while vehicles drive', () => {
    const opts = { vehicles: 1_000, fixesPerVehicle: 120, lots: 40, parks: 20, segments: 100, restricted: 20, seed: 808 };
    const rnd = mulberry32(opts.seed);
    const zones = taizhouZones(opts, rnd);
    const { setup, track } = taizhouTracks(opts, rnd);
    const fixes = materialise(track, 0, track.count);
    const t = (i: number) => (fixes[i] as DgtEvent).occurredAt;
    // A large restricted area recorded before the drive but applying from a third of the way in:
    // a vehicle's memo must not outlive the moment it starts to apply.
    const ahead = parseEvent({
      eventId: 'ra-ahead', type: 'ZoneDesignated', occurredAt: t(Math.floor(fixes.length / 3)),
      data: { zoneId: 'ra-ahead', kind: 'restricted-area', name: 'Ahead', datum: 'WGS84', polygon: [[121.1, 28.55], [121.25, 28.55], [121.25, 28.67], [121.1, 28.67]], rules: { ladenBanned: true } },
    });
    const half = Math.floor(fixes.length / 2);
    const withdrawn = parseEvent({ eventId: 'w-seg-3', type: 'ZoneWithdrawn', occurredAt: t(half), data: { zoneId: 'seg-3' } });
    const added = parseEvent({
      eventId: 'seg-new', type: 'ZoneDesignated', occurredAt: t(half + 1),
      data: { zoneId: 'seg-new', kind: 'accident-segment', name: 'New', datum: 'WGS84', path: [[120.8, 28.65], [121.2, 28.65]], bufferM: 60, rules: { speedLimitKmh: 50 } },
    });
    // And withdrawn again while vehicles are deep inside it, far from its edges.
    const later = Math.floor((fixes.length * 2) / 3);
    const aheadWithdrawn = parseEvent({ eventId: 'w-ra-ahead', type: 'ZoneWithdrawn', occurredAt: t(later), data: { zoneId: 'ra-ahead' } });
    const stream: DgtEvent[] = [
      ...zones, ahead, ...setup, ...fixes.slice(0, half), withdrawn, added, ...fixes.slice(half, later), aheadWithdrawn, ...fixes.slice(later),
    ];

    const memo = detections(new DetectionEngine(), stream);
    const reference = detections(new DetectionEngine(undefined, new ForgetfulZoneIndex()), stream);
    expect(memo.length).toBe(reference.length);
    expect(memo).toEqual(reference);
    // Not vacuous: every kind of zone event the memo could get wrong happens, many times.
    const count = (type: string, between = false) => memo.filter((d) => d.includes(`"type":"${type}"`) && (!between || d.includes('"interpolated":true'))).length;
    expect(count('AccidentSegmentEntered')).toBeGreaterThan(500);
    expect(count('AccidentSegmentEntered', true)).toBeGreaterThan(50);
    expect(count('RestrictedEntryStarted')).toBeGreaterThan(100);
    expect(memo.some((d) => d.includes('"zoneId":"ra-ahead"') && d.includes('"type":"RestrictedEntryStarted"'))).toBe(true);
    expect(memo.some((d) => d.includes('"zoneId":"ra-ahead"') && d.includes('"type":"RestrictedEntryEnded"'))).toBe(true);
    expect(memo.some((d) => d.includes('"zoneId":"seg-new"'))).toBe(true);
    expect(count('OverspeedStarted')).toBeGreaterThan(10);
  }, 120_000);
});

import { createHash } from 'node:crypto';
import { canonicalJson, epochMs, parseNdjsonLine, safeParseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import type { SimMessage } from '../src/messages.ts';
import { simulate } from '../src/simulate.ts';

function collect(opts: Parameters<typeof simulate>[0]): { messages: SimMessage[]; sim: ReturnType<typeof simulate> } {
  const sim = simulate(opts);
  return { messages: [...sim.messages], sim };
}

function digest(messages: readonly SimMessage[]): string {
  const h = createHash('sha256');
  for (const m of messages) h.update((m.kind === 'event' ? canonicalJson(m.event) : m.raw) + '\n');
  return h.digest('hex');
}

const run = collect({ vehicles: 6, days: 2, seed: 'unit' });

describe('simulate', () => {
  it('is deterministic: the same seed gives the same messages and truth, another seed does not', () => {
    const again = collect({ vehicles: 6, days: 2, seed: 'unit' });
    expect(digest(again.messages)).toBe(digest(run.messages));
    expect(again.sim.truth).toEqual(run.sim.truth);
    expect(digest(collect({ vehicles: 6, days: 2, seed: 'other' }).messages)).not.toBe(digest(run.messages));
  });

  it('drives each vehicle the same whatever the size of the fleet simulated with it', () => {
    const alone = collect({ vehicles: 1, days: 2, seed: 'unit', includeSeeds: false });
    const v1 = run.messages.filter((m) => m.kind === 'event' && 'vehicleId' in m.event.data && m.event.data.vehicleId === 'V0001' && m.event.type === 'VehiclePositionReported');
    const v1alone = alone.messages.filter((m) => m.kind === 'event' && m.event.type === 'VehiclePositionReported');
    expect(digest(v1alone)).toBe(digest(v1));
  });

  it('emits only valid events (per the event contract), in non-decreasing arrival order, seeds first', () => {
    let last = -Infinity;
    for (const m of run.messages) {
      expect(m.arrivalMs).toBeGreaterThanOrEqual(last);
      last = m.arrivalMs;
      if (m.kind === 'event') expect(safeParseEvent(JSON.parse(canonicalJson(m.event))).ok).toBe(true);
    }
    expect(run.messages[0]?.kind === 'event' && run.messages[0].event.type).toBe('ZoneDesignated');
  });

  it('makes every malformed message one that the event contract refuses', () => {
    const bad = collect({ vehicles: 6, days: 1, seed: 'bad', noise: { malformedRate: 0.05 } }).messages.filter((m) => m.kind === 'malformed');
    expect(bad.length).toBeGreaterThan(20);
    for (const m of bad) if (m.kind === 'malformed') expect(parseNdjsonLine(m.raw).ok, m.defect).toBe(false);
    expect(new Set(bad.map((m) => (m.kind === 'malformed' ? m.defect : ''))).size).toBe(5);
  });

  it('walks every waybill through declared → assigned → loaded → unloaded → closed, in time order', () => {
    const steps = new Map<string, string[]>();
    for (const m of run.messages) {
      if (m.kind !== 'event' || !('waybillNo' in m.event.data)) continue;
      const waybillNo = String(m.event.data.waybillNo);
      const list = steps.get(waybillNo) ?? [];
      list.push(m.event.type);
      steps.set(waybillNo, list);
    }
    expect(steps.size).toBeGreaterThanOrEqual(6);
    for (const [, list] of steps) expect(list).toEqual(['ConsignmentDeclared', 'CarriageAssigned', 'LoadingCompleted', 'UnloadingCompleted', 'ConsignmentClosed']);
  });

  it('keeps speeds within the hazmat limits and reports every 10–30 s while moving, every 5–15 min while parked', () => {
    const byVehicle = new Map<string, { ms: number; speed: number }[]>();
    for (const m of run.messages) {
      if (m.kind !== 'event' || m.event.type !== 'VehiclePositionReported') continue;
      const list = byVehicle.get(m.event.data.vehicleId) ?? [];
      list.push({ ms: epochMs(m.event.occurredAt), speed: m.event.data.speedKmh });
      byVehicle.set(m.event.data.vehicleId, list);
    }
    for (const fixes of byVehicle.values()) {
      const unique = [...new Map(fixes.map((f) => [f.ms, f])).values()].sort((a, b) => a.ms - b.ms);
      for (const f of unique) expect(f.speed).toBeLessThanOrEqual(80);
      for (let i = 1; i < unique.length; i++) {
        const gapS = (unique[i]!.ms - unique[i - 1]!.ms) / 1000;
        // Moving: the next fix comes within 31 s, or after a signal-loss gap of at most 300 s.
        if (unique[i - 1]!.speed > 20 && unique[i]!.speed > 20) expect(gapS).toBeLessThanOrEqual(300 + 31);
        // Never silent longer than a parked interval, except while the terminal sleeps (≤ 4 h).
        expect(gapS).toBeLessThanOrEqual(4 * 3600 + 900);
      }
    }
  });

  it('records injected laden roadside parking of 12–60 min and segment passages in the ground truth', () => {
    const t = collect({ vehicles: 20, days: 1, seed: 'truth', scenario: { violationPerLadenLeg: 1 } }).sim.truth;
    expect(t.parking.length).toBeGreaterThan(10);
    for (const p of t.parking) {
      expect(p.durationS).toBeGreaterThanOrEqual(12 * 60);
      expect(p.durationS).toBeLessThanOrEqual(60 * 60);
      expect(p.waybillNo).not.toBe('');
    }
    expect(t.segments.length).toBeGreaterThan(5);
    for (const s of t.segments) expect(s.endMs).toBeGreaterThan(s.startMs);
  });
});

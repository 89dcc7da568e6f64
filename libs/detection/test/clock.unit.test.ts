import { clockTick, type DgtEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { DetectionEngine } from '../src/index.ts';

const at = (iso: string): number => Date.parse(iso);

function fix(id: string, iso: string): DgtEvent {
  return { eventId: id, type: 'VehiclePositionReported', occurredAt: iso, data: { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 40 } };
}

describe('the record clock (ClockTicked)', () => {
  it('moves only with ClockTicked, never with a fix (a terminal clock may be wrong), and never backwards', () => {
    const engine = new DetectionEngine();
    expect(engine.clock()).toBeNull();
    expect(engine.apply(fix('p1', '2099-01-01T00:00:00Z')).detections).toEqual([]);
    expect(engine.clock()).toBeNull();
    expect(engine.apply(clockTick(at('2026-03-02T08:00:30Z'))).detections).toEqual([]);
    expect(engine.clock()).toBe(at('2026-03-02T08:00:00Z'));
    engine.apply(clockTick(at('2026-03-02T08:05:00Z')));
    engine.apply(clockTick(at('2026-03-02T08:01:00Z')));
    expect(engine.clock()).toBe(at('2026-03-02T08:05:00Z'));
  });

  it('is part of the exported state, and a state saved before the clock existed restores without one', () => {
    const engine = new DetectionEngine();
    engine.apply(clockTick(at('2026-03-02T09:00:00Z')));
    const state = engine.exportState();
    expect(state.clockMs).toBe(at('2026-03-02T09:00:00Z'));
    expect(DetectionEngine.fromState(state).clock()).toBe(at('2026-03-02T09:00:00Z'));
    const { clockMs: _dropped, ...older } = state;
    expect(DetectionEngine.fromState(older).clock()).toBeNull();
  });
});

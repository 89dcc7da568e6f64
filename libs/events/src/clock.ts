import { z } from 'zod';
import { timestamp } from './primitives.ts';
import { isoUtc } from './time.ts';

/*
 * Time in the record. The engine is clock-free: time passes for it only through recorded events.
 * A vehicle's fixes move its own time; what moves time when a vehicle goes silent (an offline
 * terminal) is `ClockTicked`, appended by the recorder at least once a minute of its wall clock.
 * Recorded in the `clock` stream; never posted over HTTP.
 */
export const clockTickedData = z.strictObject({
  /** The instant the tick stands for; the envelope's `occurredAt` is the same instant. */
  at: timestamp,
});

/** Every recorder ticks on whole minutes, so two recorders' ticks of one minute are one event (same id, same bytes). */
export const CLOCK_TICK_MS = 60_000;

/**
 * The tick of the whole minute containing `ms`, in canonical form: `eventId` `clock/<at>`,
 * `occurredAt` = `at`, UTC to the millisecond.
 */
export function clockTick(ms: number): { eventId: string; type: 'ClockTicked'; occurredAt: string; data: { at: string } } {
  const at = isoUtc(Math.floor(ms / CLOCK_TICK_MS) * CLOCK_TICK_MS);
  return { eventId: `clock/${at}`, type: 'ClockTicked', occurredAt: at, data: { at } };
}

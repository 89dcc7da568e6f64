import { clockTick, CLOCK_TICK_MS, type DgtEvent } from '@dgt/events';
import type { SimMessage } from './messages.ts';

/*
 * Time in the record (issue #16): a live recorder appends a ClockTicked for every whole minute of
 * its clock, so a silent terminal still lets time pass for the engine (offline, rests). A
 * simulated stream stands for what the recorder would hold: one tick per whole simulated minute,
 * in time order with the messages. Ingest refuses ticks (time in the record is the recorder's),
 * so the HTTP and bus sinks leave them out; NDJSON files keep them for `dgt detect`.
 */

/**
 * The whole minutes of [startMs, endMs], each yielded before the first message arriving at or
 * after it (a message arriving exactly on the minute comes after that minute's tick: the clock
 * has reached it). Ticks after the last message run to `endMs`.
 */
export function* withClockTicks(messages: Iterable<SimMessage>, startMs: number, endMs: number): Generator<SimMessage> {
  let next = Math.ceil(startMs / CLOCK_TICK_MS) * CLOCK_TICK_MS;
  for (const m of messages) {
    while (next <= endMs && next <= m.arrivalMs) {
      yield tickMessage(next);
      next += CLOCK_TICK_MS;
    }
    yield m;
  }
  while (next <= endMs) {
    yield tickMessage(next);
    next += CLOCK_TICK_MS;
  }
}

/** The first tick at or after `ms` (ticks are on whole minutes). */
export function firstTickAtOrAfter(ms: number): number {
  return Math.ceil(ms / CLOCK_TICK_MS) * CLOCK_TICK_MS;
}

export function isClockTick(m: SimMessage): boolean {
  return m.kind === 'event' && m.event.type === 'ClockTicked';
}

function tickMessage(ms: number): SimMessage {
  return { kind: 'event', event: clockTick(ms) as DgtEvent, arrivalMs: ms };
}

import type { DgtEvent } from '@dgt/events';

/**
 * What the simulator sends, in the order a receiver gets it (`arrivalMs`): valid events, and the
 * odd malformed message (raw text) that a real ingest path must refuse.
 */
export type SimMessage =
  | { kind: 'event'; event: DgtEvent; arrivalMs: number }
  | { kind: 'malformed'; raw: string; defect: MalformedDefect; arrivalMs: number };

export type MalformedDefect = 'latitude-out-of-range' | 'missing-vehicle-id' | 'time-without-offset' | 'negative-speed' | 'truncated-json';

export const malformedDefects: readonly MalformedDefect[] = [
  'latitude-out-of-range',
  'missing-vehicle-id',
  'time-without-offset',
  'negative-speed',
  'truncated-json',
];

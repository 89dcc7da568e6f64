/** How far a fix's own time may be from when the gateway received it. */
export interface FixTimeWindow {
  readonly maxFutureSkewMs: number;
  readonly backfillWindowMs: number;
}

export type FixTimeVerdict = 'ok' | 'future' | 'too-old';

/**
 * Whether a fix dated `fixMs` is plausible when received at `receivedMs`. This check lives at
 * the boundary, with the receipt clock, because the detection engine is clock-free: it orders a
 * vehicle's fixes by their own time, so one fix dated 2099 made every later real fix "late" and
 * blinded detection for that vehicle. Old fixes are legitimate back-fills (0x0704 after a dead
 * zone), up to the back-fill window.
 */
export function fixTimeVerdict(fixMs: number, receivedMs: number, window: FixTimeWindow): FixTimeVerdict {
  if (fixMs - receivedMs > window.maxFutureSkewMs) return 'future';
  if (receivedMs - fixMs > window.backfillWindowMs) return 'too-old';
  return 'ok';
}

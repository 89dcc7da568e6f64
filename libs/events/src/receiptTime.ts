/**
 * How far from the moment a gateway received it an event may be dated. One rule for every
 * gateway (HTTP ingest, JT/T 808, JT/T 809), so a fix is plausible or not whichever way it came.
 */
export interface ReceiptWindow {
  /** Milliseconds an event may be dated after its receipt (device clocks drift; GNSS time does not). */
  readonly maxFutureSkewMs: number;
  /** Milliseconds an event may be dated before its receipt (back-fills after a dead zone or a link outage); Infinity: no limit. */
  readonly backfillWindowMs: number;
}

export type ReceiptTimeVerdict = 'ok' | 'future' | 'too-old';

/**
 * Whether an event dated `atMs` is plausible when received at `receivedMs`.
 *
 * Why at the boundary: the detection engine is pure and clock-free — it orders a vehicle's fixes
 * by their own time and ignores any fix not later than the last one, so a replay gives the same
 * answer on any day. That makes one fix dated 2099 blind it to every real fix after it. Only the
 * gateway knows when a fix really arrived, so only it can tell a plausible time from a broken or
 * forged clock, and it refuses the fix before it becomes part of the record. Old fixes are
 * legitimate back-fills (JT/T 808 0x0704, JT/T 809 0x1203), up to the back-fill window.
 */
export function receiptTimeVerdict(atMs: number, receivedMs: number, window: ReceiptWindow): ReceiptTimeVerdict {
  if (atMs - receivedMs > window.maxFutureSkewMs) return 'future';
  if (receivedMs - atMs > window.backfillWindowMs) return 'too-old';
  return 'ok';
}

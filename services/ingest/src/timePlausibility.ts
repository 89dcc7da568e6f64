import { consignmentEventTypes, epochMs, receiptTimeVerdict, type FieldIssue } from '@dgt/events';
import type { IngestibleEvent } from './eventRouting.ts';

/**
 * How far from the moment the gateway received it an event may be dated, in the seconds of
 * ingest's configuration. The rule itself (and why it lives at the boundary) is the one every
 * gateway applies: `receiptTimeVerdict` in @dgt/events.
 */
export interface TimeLimits {
  /** Seconds an event may be dated after its receipt (device clocks drift; GNSS time does not). */
  readonly maxFutureSkewS: number;
  /** Seconds a fix may be older than its receipt (terminals buffer fixes while out of coverage). */
  readonly backfillWindowS: number;
}

export type TimeReason = 'time_in_future' | 'time_too_old';

export interface TimeProblem {
  readonly reason: TimeReason;
  readonly errors: FieldIssue[];
}

const consignmentTypes = new Set<string>(consignmentEventTypes);

/**
 * Positions: neither ahead of receipt by more than the skew nor older than the back-fill window.
 * Consignment events: not ahead either — the lifecycle follows their order, but their time is
 * evidence (when the vehicle became laden) and what a time-window replay selects, so a
 * LoadingCompleted dated 2099 would make a replay of the day disagree with what was detected
 * live. They may be old: a paper waybill is often entered days later, and the engine does not
 * compare their time with anything. Zones and the register are declarations that may be dated
 * ahead on purpose (a zone designated from next Monday); they are not checked.
 */
export function timeProblem(event: IngestibleEvent, receivedMs: number, limits: TimeLimits): TimeProblem | undefined {
  const position = event.type === 'VehiclePositionReported';
  if (!position && !consignmentTypes.has(event.type)) return undefined;
  const at = epochMs(event.occurredAt);
  const aheadMs = at - receivedMs;
  const window = { maxFutureSkewMs: limits.maxFutureSkewS * 1000, backfillWindowMs: position ? limits.backfillWindowS * 1000 : Infinity };
  const verdict = receiptTimeVerdict(at, receivedMs, window);
  if (verdict === 'future') {
    const message = `occurredAt ${event.occurredAt} is ${span(aheadMs)} after the gateway received the event; at most ${limits.maxFutureSkewS} s ahead is accepted (INGEST_MAX_FUTURE_SKEW_S): check the sender's clock`;
    return { reason: 'time_in_future', errors: [{ path: 'occurredAt', message }] };
  }
  if (verdict === 'too-old') {
    const message =
      `occurredAt ${event.occurredAt} is ${span(-aheadMs)} before the gateway received the fix, older than its back-fill window of ${span(limits.backfillWindowS * 1000)} ` +
      `(INGEST_BACKFILL_WINDOW_S=${limits.backfillWindowS}); to load older history (e.g. \`dgt simulate --ingest\` of past days), the operator restarts the gateway with INGEST_BACKFILL_WINDOW_S covering it`;
    return { reason: 'time_too_old', errors: [{ path: 'occurredAt', message }] };
  }
  return undefined;
}

/** A duration for a person: `90 s`, `2 h 5 min`, `73 years`. */
function span(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86_400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  if (s < 730 * 86_400) return `${Math.round(s / 86_400)} days`;
  return `${Math.round(s / (365.25 * 86_400))} years`;
}

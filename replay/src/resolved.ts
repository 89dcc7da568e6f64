import type { EventEnvelope } from '@dgt/eventstore';

/** The selection as the replay resolved it against the source: what it actually read. */
export interface ResolvedSelection {
  /**
   * Event-time window reported on: `from` inclusive, `to` exclusive. The vehicles' events are fed
   * from `fedFrom` (`from` minus the lead-in), so the state at `from` is the live engine's, to
   * `fedTo` (`to` plus the lead-out), so what was still open at `to` is reported with its end.
   */
  window: { from: string | null; to: string | null; fedFrom: string | null; fedTo: string | null };
  /** Vehicles replayed, sorted; null = every vehicle in the window. */
  vehicles: string[] | null;
  /** Waybills whose consignment history was included, sorted; null = every waybill. */
  waybills: string[] | null;
}

/** One event as read, with its store position (null when the source has none). A `RecordedEvent` is one. */
export interface FeedItem {
  readonly event: EventEnvelope;
  readonly position: string | null;
  /** Its canonical JSON when the source has it at hand (saves re-serialising it for the digest). */
  readonly json?: string;
}

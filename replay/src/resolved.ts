import type { EventEnvelope } from '@dgt/eventstore';

/** The selection as the replay resolved it against the source: what it actually read. */
export interface ResolvedSelection {
  /** Event-time window of positions and of the vehicles' own events: `from` inclusive, `to` exclusive. */
  window: { from: string | null; to: string | null };
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

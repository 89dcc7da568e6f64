import type { OccurrenceListing } from './cursor.ts';
import type { AdvisoryView, OccurrenceView, ViolationView } from './views.ts';

/**
 * Violations and advisories are kept, owned, filtered and paged the same way; what differs is
 * their listing (its cursors) and the name of their id. Adapters hold one table per listing.
 */
export interface OccurrenceRows<T extends OccurrenceView> {
  readonly listing: OccurrenceListing;
  /** For messages: "violation X-1 has …". */
  readonly noun: string;
  idOf(row: T): string;
}

export const violationRows: OccurrenceRows<ViolationView> = { listing: 'violations', noun: 'violation', idOf: (v) => v.violationId };
export const advisoryRows: OccurrenceRows<AdvisoryView> = { listing: 'advisories', noun: 'advisory', idOf: (a) => a.advisoryId };

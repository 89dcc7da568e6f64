import type { EvidenceDigest } from '@dgt/events';
import type { RegistryFacts } from './registryFacts.ts';
import type { FeedItem, ResolvedSelection } from './resolved.ts';
import type { Selection } from './selection.ts';

export type SourceKind = 'store' | 'eventstoredb' | 'ndjson' | 'export';

/** A selection made concrete against one source. */
export interface PreparedFeed {
  selection: Selection;
  resolved: ResolvedSelection;
  /** The events to feed, in feed order. */
  items(): AsyncIterable<FeedItem>;
  /** Detections recorded live for the selection (for `--verify`); null when the source has none. */
  liveDetections: (() => AsyncIterable<Record<string, unknown>>) | null;
  /**
   * An export states the digest it was written with (read after the events): the replay checks the
   * events against it and reports the store positions it carries.
   */
  statedDigest(): EvidenceDigest | null;
  /**
   * Plates and carrier names of the register (not fed, not digested: labels for the ids the
   * events name); null when the source has no register (an export made before it carried one).
   */
  registry(): Promise<RegistryFacts | null>;
}

/** Where a replay reads from: an event store or an NDJSON file. */
export interface ReplaySource {
  readonly kind: SourceKind;
  prepare(selection: Selection): Promise<PreparedFeed>;
}

import type { PreparedEvent } from './envelope.ts';
import type { AppendResult } from './port.ts';

export interface FreshSplit {
  /** First occurrences of ids neither recorded nor taken, in batch order: what to write. */
  readonly fresh: PreparedEvent[];
  /** Skipped ids whose canonical JSON differs from what is recorded (or taken first): a different event under a known id. */
  readonly conflicts: string[] | undefined;
}

/**
 * Splits a batch into what to write and what to skip, telling a redelivery (same bytes) from a
 * conflict (another event under a recorded id). `taken` holds the ids written earlier in the
 * same call with their JSON; the fresh ones are added to it, so a later stream of the call sees
 * them as recorded — as if the streams were appended in turn.
 */
export function splitFresh(events: readonly PreparedEvent[], recorded: (eventId: string) => string | undefined, taken: Map<string, string>): FreshSplit {
  const fresh: PreparedEvent[] = [];
  let conflicts: string[] | undefined;
  for (const e of events) {
    const known = taken.get(e.eventId) ?? recorded(e.eventId);
    if (known === undefined) {
      taken.set(e.eventId, e.json);
      fresh.push(e);
    } else if (known !== e.json) {
      conflicts ??= [];
      if (!conflicts.includes(e.eventId)) conflicts.push(e.eventId);
    }
  }
  return { fresh, conflicts };
}

/** Sets `conflicts` only when there are some (see `AppendResult.conflicts`). */
export function withConflicts(result: AppendResult, conflicts: string[] | undefined): AppendResult {
  if (conflicts !== undefined) result.conflicts = conflicts;
  return result;
}

import { type EvidenceDigest, parseNdjsonLine } from '@dgt/events';
import { type EventEnvelope, openMemoryEventStore, streamFor } from '@dgt/eventstore';
import { ReplayError } from './errors.ts';
import { mapFeed } from './feedIterables.ts';
import { isExportHeader, isExportTrailer, parseExportHeader, parseExportTrailer } from './exportFormat.ts';
import type { FeedItem } from './resolved.ts';
import type { Selection } from './selection.ts';
import type { PreparedFeed, ReplaySource } from './source.ts';
import { storeSource } from './storeSource.ts';

function isEmptySelection(s: Selection): boolean {
  return s.from === null && s.to === null && s.vehicles.length === 0 && s.carrier === null && s.waybill === null && s.zone === null;
}

function json(line: string, lineNo: number): unknown {
  try {
    return JSON.parse(line);
  } catch (err) {
    throw new ReplayError('EXPORT_INVALID', `line ${lineNo}: not valid JSON (${(err as Error).message})`);
  }
}

/** An export replays exactly its events, with the selection and store positions it records. */
function exportFeed(first: unknown, rest: AsyncIterator<string>, firstLineNo: number): PreparedFeed {
  const { selection, resolved, registry } = parseExportHeader(first);
  let stated: EvidenceDigest | null = null;
  return {
    selection,
    resolved,
    liveDetections: null,
    registry: () => Promise.resolve(registry),
    statedDigest: () => {
      if (stated === null) throw new ReplayError('EXPORT_INVALID', 'the export has no trailer line: it was truncated');
      return stated;
    },
    async *items(): AsyncIterable<FeedItem> {
      let lineNo = firstLineNo;
      for (let r = await rest.next(); !r.done; r = await rest.next()) {
        lineNo++;
        if (r.value.trim() === '') continue;
        if (stated !== null) throw new ReplayError('EXPORT_INVALID', `line ${lineNo}: data after the trailer`);
        const value = json(r.value, lineNo);
        if (isExportTrailer(value)) stated = parseExportTrailer(value, lineNo);
        else if (value !== null && typeof value === 'object' && !Array.isArray(value)) yield { event: value as EventEnvelope, position: null };
        else throw new ReplayError('EXPORT_INVALID', `line ${lineNo}: not an event`);
      }
    },
  };
}

/**
 * Reads NDJSON lines: a `dgt export` file (header, events, trailer) replays as recorded; any other
 * event NDJSON is loaded into an in-memory store, as the recorder would have recorded it in that
 * order, and selected from like a store (positions are then reported as null).
 */
export function ndjsonSource(lines: AsyncIterable<string>): ReplaySource & { readonly isExport: () => boolean } {
  let isExport = false;
  return {
    get kind() {
      return isExport ? ('export' as const) : ('ndjson' as const);
    },
    isExport: () => isExport,
    async prepare(selection: Selection): Promise<PreparedFeed> {
      if (selection.recordedUpTo !== undefined) throw new ReplayError('BAD_SELECTION', 'recordedUpTo: a store position pins a read of a store; a file is already fixed (drop it, or replay the store)');
      const it = lines[Symbol.asyncIterator]();
      let lineNo = 0;
      let first = await it.next();
      lineNo++;
      while (!first.done && first.value.trim() === '') {
        first = await it.next();
        lineNo++;
      }
      if (first.done) return storeSource(openMemoryEventStore()).prepare(selection).then(withoutPositions);
      const head = json(first.value, lineNo);
      if (isExportHeader(head)) {
        isExport = true;
        if (!isEmptySelection(selection)) throw new ReplayError('BAD_SELECTION', 'an export replays the selection it was made with; drop the selection options (or export again)');
        return exportFeed(head, it, lineNo);
      }
      const store = openMemoryEventStore();
      for (let r: IteratorResult<string> = { done: false, value: first.value }; !r.done; r = await it.next(), lineNo++) {
        if (r.value.trim() === '') continue;
        const parsed = parseNdjsonLine(r.value);
        if (!parsed.ok) throw new ReplayError('SOURCE_UNREADABLE', `line ${lineNo}: ${parsed.error.message}`);
        await store.append(streamFor(parsed.event), [parsed.event]);
      }
      return withoutPositions(await storeSource(store).prepare(selection));
    },
  };
}

function withoutPositions(feed: PreparedFeed): PreparedFeed {
  return { ...feed, items: () => mapFeed(feed.items(), (item): FeedItem => ({ event: item.event, position: null })) };
}

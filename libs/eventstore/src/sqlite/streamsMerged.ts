import { compileFilter, type CompiledFilter } from '../filter.ts';
import { pagedIterable } from '../pagedIterable.ts';
import type { ReadAllOptions, RecordedEvent } from '../port.ts';
import { checkMaxCount } from '../sequencedLog.ts';
import { seqAfter, seqUpTo } from '../sequencePosition.ts';

/** A stored row as the reads select it. */
export type EventRow = [position: number, streamId: string, revision: number, recordedAt: string, json: string];

/** Rows of one stream with `revision >= fromRevision` and `after < position <= upto` matching the filter, in revision order. */
export type StreamChunkReader = (streamId: string, fromRevision: number, after: number, upto: number, filter: CompiledFilter | undefined, limit: number) => EventRow[];

interface Cursor {
  streamId: string;
  rows: EventRow[];
  index: number;
  nextRevision: number;
  exhausted: boolean;
}

/** Rows buffered per stream at most; fewer per stream when many streams are read at once. */
function chunkSize(streams: number, pageSize: number): number {
  return Math.max(16, Math.min(pageSize, Math.floor((4 * pageSize) / Math.max(1, streams))));
}

function headPosition(c: Cursor): number {
  return (c.rows[c.index] as EventRow)[0];
}

/** Min-heap of cursors by the position of their next row. */
function siftDown(heap: Cursor[], i: number): void {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < n && headPosition(heap[l] as Cursor) < headPosition(heap[m] as Cursor)) m = l;
    if (r < n && headPosition(heap[r] as Cursor) < headPosition(heap[m] as Cursor)) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m] as Cursor, heap[i] as Cursor];
    i = m;
  }
}

/**
 * `readAll` restricted to named streams, as a merge of per-stream reads: each stream is read
 * through the (stream_id, revision) index in revision order — which is its position order,
 * since a stream only grows at the head of the log — and the streams are merged by position.
 * The general query (`stream_id IN (…) ORDER BY position`) instead sorts every remaining match
 * on every page, which makes a vehicle's history quadratic in its length.
 */
export function readStreamsMerged(
  options: ReadAllOptions & { filter: { streams: readonly string[] } },
  pageSize: number,
  log: { head(): number; chunk: StreamChunkReader; record(row: EventRow): RecordedEvent },
): AsyncIterable<RecordedEvent> {
  let heap: Cursor[] | null = null;
  let after = 0;
  let head = 0;
  let remaining = 0;
  let filter: CompiledFilter | undefined;
  let chunk = 0;

  const fill = (c: Cursor): boolean => {
    c.rows = log.chunk(c.streamId, c.nextRevision, after, head, filter, chunk);
    c.index = 0;
    c.exhausted = c.rows.length < chunk;
    const last = c.rows[c.rows.length - 1];
    if (last !== undefined) c.nextRevision = last[2] + 1;
    return c.rows.length > 0;
  };

  return pagedIterable(() => {
    if (heap === null) {
      after = seqAfter(options.fromPosition);
      remaining = checkMaxCount(options.maxCount);
      filter = compileFilter(options.filter);
      head = seqUpTo(options.toPosition, log.head());
      const prefixes = filter?.streamPrefixes;
      const streams = [...new Set(options.filter.streams)].filter((s) => !prefixes || prefixes.some((p) => s.startsWith(p)));
      chunk = chunkSize(streams.length, pageSize);
      heap = [];
      if (remaining > 0 && after < head) {
        for (const streamId of streams) {
          const c: Cursor = { streamId, rows: [], index: 0, nextRevision: 0, exhausted: false };
          if (fill(c)) heap.push(c);
        }
        for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
      }
    } else log.head(); // refuses a closed store
    const out: RecordedEvent[] = [];
    const limit = Math.min(pageSize, remaining);
    while (out.length < limit && heap.length > 0) {
      const c = heap[0] as Cursor;
      out.push(log.record(c.rows[c.index++] as EventRow));
      if (c.index >= c.rows.length && (c.exhausted || !fill(c))) {
        const tail = heap.pop() as Cursor;
        if (heap.length === 0) break;
        heap[0] = tail;
      }
      siftDown(heap, 0);
    }
    remaining -= out.length;
    return out.length > 0 ? out : null;
  });
}

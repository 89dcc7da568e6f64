import { BusError } from '../errors.ts';
import type { TopicPartition } from '../inProcess/partitionLog.ts';
import type { ReceivedMessage } from '../port.ts';
import { decodeHeaders } from './headerCodec.ts';

/** Default budget of the tail across all partitions (see ROW_OVERHEAD_BYTES for what a row counts). */
export const DEFAULT_TAIL_BYTES = 32 * 1024 * 1024;

/**
 * Counted per row on top of its key, value and header bytes: roughly the row object and its
 * Buffer views, so that a flood of empty messages is bounded too.
 */
export const ROW_OVERHEAD_BYTES = 64;

/** Refuses a budget that is not a finite number ≥ 0: NaN would never evict, and memory would grow with the log. */
export function assertTailBytes(budgetBytes: number): void {
  if (!Number.isFinite(budgetBytes) || budgetBytes < 0) throw new BusError('ADMIN_FAILED', `tailBytes must be a finite number ≥ 0, got ${budgetBytes}`);
}

/** One committed message as the log wrote it; `value` and `headers` are the log's own copies, never handed out. */
interface TailRow {
  readonly offset: number;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Buffer | null;
  readonly timestamp: number;
  readonly bytes: number;
}

/**
 * The newest committed rows of one partition, contiguous: offsets `base()` up to `next`.
 * A queue in an array with a moving head (compacted now and then), not a Map per message.
 */
export class PartitionTail {
  rows: TailRow[] = [];
  head = 0;
  bytes = 0;

  /** @param next the offset the partition's next message gets (its log end when the tail starts). */
  constructor(public next: number) {}

  /** The first offset the tail holds; `next` when it holds none. */
  base(): number {
    return this.head < this.rows.length ? this.rows[this.head]!.offset : this.next;
  }

  size(): number {
    return this.rows.length - this.head;
  }

  push(row: TailRow): void {
    this.rows.push(row);
    this.bytes += row.bytes;
    this.next = row.offset + 1;
  }

  /** Drops the oldest row; returns its size. */
  shift(): number {
    const row = this.rows[this.head++]!;
    this.bytes -= row.bytes;
    // Compacting once the dead prefix is half the array keeps shifts amortised O(1).
    if (this.head > 1024 && this.head * 2 > this.rows.length) {
      this.rows = this.rows.slice(this.head);
      this.head = 0;
    }
    return row.bytes;
  }
}

export interface CommittedTailStats {
  readonly budgetBytes: number;
  /** Key, value and header bytes (plus ROW_OVERHEAD_BYTES per row) held now, across partitions. */
  readonly bytes: number;
  readonly messages: number;
  /** Reads answered from memory, and reads that went to the file. */
  readonly hits: number;
  readonly misses: number;
}

/**
 * The last committed messages of every partition, kept in memory so that a consumer in the same
 * process (the stack's recorder reads what the producer appended milliseconds earlier) gets them
 * without a SELECT, a row array per read and the file's page cache: that read path was ~8 % of the
 * event loop under load. Rows are staged while their transaction runs and enter the tail only
 * once it committed (`publish`); a rollback drops them (`discard`), so a consumer never sees a
 * message a failed transaction takes back. A read the tail cannot answer (below its first offset:
 * a consumer lagging further than the budget, or after a restart) goes to the file as before.
 *
 * Memory is bounded by `budgetBytes` of key, value and header bytes plus ROW_OVERHEAD_BYTES per
 * row; see `evict` for which rows go first.
 */
export class CommittedTail {
  private readonly partitions: PartitionTail[] = [];
  private stagedTails: PartitionTail[] = [];
  private stagedRows: TailRow[] = [];
  private readonly stagedStarts = new Map<PartitionTail, number>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(private readonly budgetBytes: number) {
    assertTailBytes(budgetBytes);
  }

  /** False with a budget of 0: nothing is staged and every read goes to the file. */
  get enabled(): boolean {
    return this.budgetBytes > 0;
  }

  /** The tail of a partition whose next message gets offset `end`. */
  partition(end: number): PartitionTail {
    const tail = new PartitionTail(end);
    this.partitions.push(tail);
    return tail;
  }

  /** Inside the writer's transaction, after the row was written: kept aside until `publish`. */
  stage(tail: PartitionTail, offset: number, key: string, value: Buffer, headers: Buffer | null, timestamp: number): void {
    if (this.budgetBytes === 0) return;
    const bytes = ROW_OVERHEAD_BYTES + Buffer.byteLength(key, 'utf8') + value.length + (headers?.length ?? 0);
    this.stagedTails.push(tail);
    this.stagedRows.push({ offset, key, value, headers, timestamp, bytes });
  }

  /** Inside the writer's transaction: retention moved the partition's start to `offset`. */
  stageStart(tail: PartitionTail, offset: number): void {
    if (this.budgetBytes > 0) this.stagedStarts.set(tail, offset);
  }

  /** After the commit: the staged rows become readable, retention's deletes apply, the budget holds again. */
  publish(): void {
    for (let i = 0; i < this.stagedRows.length; i++) {
      const tail = this.stagedTails[i]!;
      const row = this.stagedRows[i]!;
      tail.push(row);
      this.bytes += row.bytes;
    }
    for (const [tail, start] of this.stagedStarts) {
      while (tail.size() > 0 && tail.base() < start) this.bytes -= tail.shift();
    }
    this.discard();
    this.evict();
  }

  /** After a rollback: what the failed transaction wrote never existed. */
  discard(): void {
    this.stagedTails = [];
    this.stagedRows = [];
    this.stagedStarts.clear();
  }

  /**
   * Up to `max` messages from `from`, or undefined when the tail cannot answer (the caller reads
   * the file). `end` is the partition's committed end: the tail answers only when it reaches it.
   */
  read(tp: TopicPartition, tail: PartitionTail, from: number, end: number, max: number): ReceivedMessage[] | undefined {
    if (this.budgetBytes === 0 || tail.next !== end || from < tail.base() || !Number.isSafeInteger(from) || !Number.isSafeInteger(max) || max < 0) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    const count = Math.min(max, end - from);
    return count <= 0 ? [] : copyRows(tp, tail.rows, tail.head + from - tail.base(), count);
  }

  stats(): CommittedTailStats {
    let messages = 0;
    for (const tail of this.partitions) messages += tail.size();
    return { budgetBytes: this.budgetBytes, bytes: this.bytes, messages, hits: this.hits, misses: this.misses };
  }

  /**
   * Over budget, the partition holding the most bytes loses its oldest rows until it is no longer
   * the largest (or the budget holds). Each partition's consumer reads right behind its own end,
   * so what matters is every partition's newest rows: an equal share per partition keeps a busy
   * partition from pushing out the rows a quiet one's consumer has not read yet, and needs no
   * global order of rows. With a few dozen partitions the scan for the largest is cheap.
   */
  private evict(): void {
    while (this.bytes > this.budgetBytes) {
      let largest = this.partitions[0]!;
      let second = 0;
      for (const tail of this.partitions) {
        if (tail.bytes > largest.bytes) {
          second = largest.bytes;
          largest = tail;
        } else if (tail !== largest && tail.bytes > second) second = tail.bytes;
      }
      do this.bytes -= largest.shift();
      while (this.bytes > this.budgetBytes && largest.size() > 0 && largest.bytes >= second);
    }
  }
}

/**
 * Builds the messages of `rows[first .. first + count)` as the file read would: values and header
 * blobs copied into one fresh buffer per read, so a handler mutating a delivered buffer changes
 * neither the tail nor any other read (see decodeHeaders).
 */
function copyRows(tp: TopicPartition, rows: readonly TailRow[], first: number, count: number): ReceivedMessage[] {
  let size = 0;
  for (let i = first; i < first + count; i++) size += rows[i]!.value.length + (rows[i]!.headers?.length ?? 0);
  const copy = Buffer.allocUnsafe(size);
  const messages = new Array<ReceivedMessage>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const row = rows[first + i]!;
    const valueAt = at;
    at += row.value.copy(copy, at);
    let headers: Buffer | null = null;
    if (row.headers !== null) {
      headers = copy.subarray(at, at + row.headers.length);
      at += row.headers.copy(copy, at);
    }
    messages[i] = {
      topic: tp.topic,
      partition: tp.partition,
      offset: String(row.offset),
      key: row.key,
      value: copy.subarray(valueAt, valueAt + row.value.length),
      headers: decodeHeaders(headers),
      timestamp: row.timestamp,
    };
  }
  return messages;
}

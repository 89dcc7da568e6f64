import type { Statement } from 'better-sqlite3';
import { BusError } from '../errors.ts';
import type { PartitionLog, TopicPartition } from '../inProcess/partitionLog.ts';
import { partitionForKey } from '../partitioner.ts';
import type { OutgoingMessage, ReceivedMessage, TopicSpec } from '../port.ts';
import { CommittedTail, DEFAULT_TAIL_BYTES, type CommittedTailStats, type PartitionTail } from './committedTail.ts';
import { decodeHeaders, encodeHeaders } from './headerCodec.ts';
import { logTableSql, type Db } from './openBusDatabase.ts';

/** One partition: its table, and the offsets consumers may read (committed rows only). */
export interface PartitionState {
  readonly id: number;
  readonly tp: TopicPartition;
  start: number;
  end: number;
  /** Multi-row inserts into its table, by row count (prepared on first use). */
  readonly inserts: Map<number, Statement>;
  readonly select: Statement;
  /** Its newest committed messages in memory (see CommittedTail). */
  readonly tail: PartitionTail;
}

export interface SqliteLogOptions {
  /** Budget of the in-memory tail of committed messages (see CommittedTail); 0 turns it off. Default 32 MiB. */
  readonly tailBytes?: number;
}

/** A send turned into rows before it waits for its transaction, so later changes to the caller's buffers do not reach the file. */
export interface PreparedRows {
  readonly partitions: PartitionState[];
  readonly keys: string[];
  readonly values: Buffer[];
  readonly headers: (Buffer | null)[];
}

/** A UTF-16 code unit that is not half of a pair (General_Category Cs matches only those with the u flag). */
const LONE_SURROGATE = /\p{Cs}/u;

type Row = [offset: number, key: string, value: Buffer, headers: Buffer | null, timestamp: number];

/**
 * Rows per INSERT statement (5 parameters each): one statement call per chunk of a partition's
 * messages instead of one per message, as the read models write their rows.
 */
export const ROWS_PER_INSERT = 100;

/**
 * The partition logs in the bus file. Appends and start moves happen inside the writer's
 * transaction and become visible (`endOffset`, `startOffset`) only after it committed: a consumer
 * never sees a message a crash could still take back. Reads of recent messages are answered from
 * the committed tail in memory, older ones from the file; both give the same messages.
 */
export class SqliteLog implements PartitionLog {
  private readonly topics = new Map<string, PartitionState[]>();
  private readonly pendingEnds = new Map<PartitionState, number>();
  private readonly pendingStarts = new Map<PartitionState, number>();
  private readonly updateEnd: Statement;
  private readonly updateStart: Statement;
  private readonly tail: CommittedTail;

  constructor(
    private readonly db: Db,
    options: SqliteLogOptions = {},
  ) {
    this.tail = new CommittedTail(options.tailBytes ?? DEFAULT_TAIL_BYTES);
    this.updateEnd = db.prepare('UPDATE partitions SET log_end = ? WHERE id = ?');
    this.updateStart = db.prepare('UPDATE partitions SET log_start = ? WHERE id = ?');
    const rows = db.prepare('SELECT id, topic, partition, log_start, log_end FROM partitions ORDER BY topic, partition').raw().all() as [number, string, number, number, number][];
    for (const [id, topic, partition, start, end] of rows) this.add(id, { topic, partition }, start, end);
  }

  /** Creates the topics that do not exist yet, each partition with its own table; existing ones are left as they are. */
  ensure(specs: readonly TopicSpec[]): void {
    const created: [number, TopicPartition][] = [];
    const insert = this.db.prepare('INSERT INTO partitions (topic, partition, log_start, log_end) VALUES (?, ?, 0, 0)');
    this.db.transaction(() => {
      const seen = new Set<string>();
      for (const spec of specs) {
        if (this.topics.has(spec.topic) || seen.has(spec.topic)) continue;
        seen.add(spec.topic);
        for (let partition = 0; partition < spec.partitions; partition++) {
          const id = Number(insert.run(spec.topic, partition).lastInsertRowid);
          this.db.exec(logTableSql(id));
          created.push([id, { topic: spec.topic, partition }]);
        }
      }
    })();
    for (const [id, tp] of created) this.add(id, tp, 0, 0);
  }

  has(topic: string): boolean {
    return this.topics.has(topic);
  }

  partitionCount(topic: string): number {
    return this.partitionsOf(topic).length;
  }

  startOffset(tp: TopicPartition): number {
    return this.stateOf(tp).start;
  }

  endOffset(tp: TopicPartition): number {
    return this.stateOf(tp).end;
  }

  read(tp: TopicPartition, from: number, max: number): ReceivedMessage[] {
    const state = this.stateOf(tp);
    return this.tail.read(tp, state.tail, from, state.end, max) ?? this.readFile(state, from, max);
  }

  /** The in-memory tail's size and how many reads it answered. */
  tailStats(): CommittedTailStats {
    return this.tail.stats();
  }

  private readFile(state: PartitionState, from: number, max: number): ReceivedMessage[] {
    const tp = state.tp;
    const rows = state.select.all(from, state.end, max) as Row[];
    return rows.map(([offset, key, value, headers, timestamp]) => ({
      topic: tp.topic,
      partition: tp.partition,
      offset: String(offset),
      key,
      value,
      headers: decodeHeaders(headers),
      timestamp,
    }));
  }

  /** Partitions (Kafka's murmur2), copies values and encodes headers; throws for an unknown topic. */
  prepare(topic: string, messages: readonly OutgoingMessage[]): PreparedRows {
    const partitions = this.partitionsOf(topic);
    const rows: PreparedRows = { partitions: [], keys: [], values: [], headers: [] };
    for (const m of messages) {
      rows.partitions.push(partitions[partitionForKey(m.key, partitions.length)]!);
      rows.keys.push(m.key);
      rows.values.push(Buffer.from(m.value));
      rows.headers.push(encodeHeaders(m.headers));
    }
    return rows;
  }

  /**
   * Inside the writer's transaction: gives the rows the next offsets of their partitions, in the
   * order of the send within each partition, and writes each partition's rows in multi-row inserts.
   */
  append(rows: PreparedRows, timestamp: number): void {
    const { partitions, keys, values, headers } = rows;
    // The send's rows by partition, each list in send order (offsets follow it).
    const byPartition = new Map<PartitionState, number[]>();
    for (let i = 0; i < keys.length; i++) {
      const state = partitions[i]!;
      const list = byPartition.get(state);
      if (list === undefined) byPartition.set(state, [i]);
      else list.push(i);
    }
    const params: (string | number | Buffer | null)[] = [];
    for (const [state, list] of byPartition) {
      let offset = this.pendingEnds.get(state) ?? state.end;
      for (let start = 0; start < list.length; start += ROWS_PER_INSERT) {
        const n = Math.min(ROWS_PER_INSERT, list.length - start);
        params.length = 0;
        for (let k = 0; k < n; k++) {
          const i = list[start + k]!;
          params.push(offset + k, keys[i]!, values[i]!, headers[i]!, timestamp);
        }
        this.insertOf(state, n).run(params);
        // The prepared copies are the log's own: the tail keeps them rather than copying again.
        if (this.tail.enabled) {
          for (let k = 0; k < n; k++) {
            const i = list[start + k]!;
            this.tail.stage(state.tail, offset + k, this.keyAsStored(state, offset + k, keys[i]!), values[i]!, headers[i]!, timestamp);
          }
        }
        offset += n;
      }
      this.pendingEnds.set(state, offset);
    }
  }

  /** The partition's insert of `n` rows. */
  private insertOf(state: PartitionState, n: number): Statement {
    let stmt = state.inserts.get(n);
    if (stmt === undefined) {
      const values = Array.from({ length: n }, () => '(?, ?, ?, ?, ?)').join(', ');
      stmt = this.db.prepare(`INSERT INTO log_${state.id} (msg_offset, key, value, headers, timestamp) VALUES ${values}`);
      state.inserts.set(n, stmt);
    }
    return stmt;
  }

  /** Inside the writer's transaction: deletes a partition's messages below `offset` (retention). */
  truncateBefore(state: PartitionState, offset: number): number {
    const from = this.pendingStarts.get(state) ?? state.start;
    if (offset <= from) return 0;
    const deleted = this.db.prepare(`DELETE FROM log_${state.id} WHERE msg_offset < ?`).run(offset).changes;
    this.pendingStarts.set(state, offset);
    this.tail.stageStart(state.tail, offset);
    return deleted;
  }

  /** Inside the writer's transaction, last: records the new log ends and starts. */
  writeBounds(): void {
    for (const [state, end] of this.pendingEnds) this.updateEnd.run(end, state.id);
    for (const [state, start] of this.pendingStarts) this.updateStart.run(start, state.id);
  }

  /** After the commit: consumers may now read the new messages. */
  publish(): void {
    for (const [state, end] of this.pendingEnds) state.end = end;
    for (const [state, start] of this.pendingStarts) state.start = start;
    this.tail.publish();
    this.pendingEnds.clear();
    this.pendingStarts.clear();
  }

  /** After a rollback: the offsets handed out in it are free again, and its rows never reach the tail. */
  discard(): void {
    this.tail.discard();
    this.pendingEnds.clear();
    this.pendingStarts.clear();
  }

  allPartitions(): PartitionState[] {
    return [...this.topics.values()].flat();
  }

  partitionsOf(topic: string): PartitionState[] {
    const partitions = this.topics.get(topic);
    if (partitions === undefined) throw new BusError('UNKNOWN_TOPIC', `topic ${topic} does not exist (create it with ensureTopics)`);
    return partitions;
  }

  private stateOf(tp: TopicPartition): PartitionState {
    const state = this.partitionsOf(tp.topic)[tp.partition];
    if (state === undefined) throw new BusError('UNKNOWN_TOPIC', `topic ${tp.topic} has no partition ${tp.partition}`);
    return state;
  }

  /**
   * The key as a read of the file returns it: SQLite keeps text as UTF-8, so a lone surrogate comes
   * back as replacement characters. Rare (broken input), so it is read back rather than emulated.
   */
  private keyAsStored(state: PartitionState, offset: number, key: string): string {
    if (!LONE_SURROGATE.test(key)) return key;
    return this.db.prepare(`SELECT key FROM log_${state.id} WHERE msg_offset = ?`).pluck().get(offset) as string;
  }

  private add(id: number, tp: TopicPartition, start: number, end: number): void {
    const state: PartitionState = {
      id,
      tp,
      start,
      end,
      inserts: new Map(),
      select: this.db.prepare(`SELECT msg_offset, key, value, headers, timestamp FROM log_${id} WHERE msg_offset >= ? AND msg_offset < ? ORDER BY msg_offset LIMIT ?`).raw(true),
      tail: this.tail.partition(end),
    };
    const partitions = this.topics.get(tp.topic) ?? [];
    partitions[tp.partition] = state;
    this.topics.set(tp.topic, partitions);
  }
}

import type { Statement } from 'better-sqlite3';
import { tpKey, type TopicPartition } from '../inProcess/partitionLog.ts';
import type { Db } from './openBusDatabase.ts';

interface PendingCommit {
  readonly groupId: string;
  readonly tp: TopicPartition;
  readonly next: number;
}

export interface StoredOffset {
  readonly groupId: string;
  readonly tp: TopicPartition;
  readonly next: number;
  /** ms since epoch of the group's commit of this partition. */
  readonly committedAt: number;
}

/**
 * The groups' committed offsets in the bus file. A consumer's commit updates its group in memory
 * at once and is queued here; it reaches the file with the next transaction. Losing a queued
 * commit to a crash only redelivers (at-least-once); retention reads only the file, so it never
 * deletes past a commit a crash could still take back.
 */
export class CommittedOffsets {
  private pending = new Map<string, PendingCommit>();
  private writing = new Map<string, PendingCommit>();
  private readonly upsert: Statement;
  private readonly byGroup: Statement;
  private readonly all: Statement;
  private readonly removeGroup: Statement;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.upsert = db.prepare(
      'INSERT INTO offsets (group_id, topic, partition, next_offset, committed_at) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset, committed_at = excluded.committed_at',
    );
    this.byGroup = db.prepare('SELECT topic, partition, next_offset FROM offsets WHERE group_id = ?').raw(true);
    this.all = db.prepare('SELECT group_id, topic, partition, next_offset, committed_at FROM offsets').raw(true);
    this.removeGroup = db.prepare('DELETE FROM offsets WHERE group_id = ?');
  }

  /** What the file holds for one group (read when the group is first used in this process). */
  load(groupId: string): [TopicPartition, number][] {
    return (this.byGroup.all(groupId) as [string, number, number][]).map(([topic, partition, next]) => [{ topic, partition }, next]);
  }

  /** Every stored offset (for retention). */
  stored(): StoredOffset[] {
    return (this.all.all() as [string, string, number, number, number][]).map(([groupId, topic, partition, next, committedAt]) => ({ groupId, tp: { topic, partition }, next, committedAt }));
  }

  queue(groupId: string, tp: TopicPartition, next: number): void {
    this.pending.set(`${groupId}\u0000${tpKey(tp)}`, { groupId, tp, next });
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Inside the writer's transaction. */
  write(): void {
    const at = this.now();
    for (const c of this.pending.values()) this.upsert.run(c.groupId, c.tp.topic, c.tp.partition, c.next, at);
    this.writing = this.pending;
    this.pending = new Map();
  }

  /** Inside the writer's transaction (offsets retention). */
  forget(groupId: string): void {
    this.removeGroup.run(groupId);
  }

  committed(): void {
    this.writing = new Map();
  }

  /** The failed transaction's commits go out with the next one, unless a newer commit replaced them. */
  rolledBack(): void {
    for (const [key, c] of this.writing) if (!this.pending.has(key)) this.pending.set(key, c);
    this.writing = new Map();
  }
}

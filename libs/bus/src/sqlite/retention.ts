import { tpKey } from '../inProcess/partitionLog.ts';
import type { CommittedOffsets } from './committedOffsets.ts';
import type { Db } from './openBusDatabase.ts';
import type { PartitionState, SqliteLog } from './sqliteLog.ts';

/** A group whose uncommitted messages of these topics are kept, whether it runs or not. */
export interface RetainedGroup {
  readonly groupId: string;
  readonly topics: readonly string[];
}

export interface RetentionPolicy {
  readonly retain: readonly RetainedGroup[];
  /** Messages of a partition no group pins are deleted once older than this. */
  readonly retentionMs: number;
  /** A group neither retained nor running loses its committed offsets this long after its last commit. */
  readonly offsetsRetentionMs: number;
  /** Most messages deleted per partition in one transaction (a long delete would stall sends). */
  readonly maxDeletesPerPartition: number;
}

export interface PruneResult {
  readonly deletedMessages: number;
  readonly expiredGroups: readonly string[];
  /** True when a partition has more to delete than one transaction took. */
  readonly more: boolean;
}

/**
 * Retention, inside the writer's transaction. A partition keeps every message some group that
 * matters has not committed, by the offsets in the file (never by commits still queued in memory,
 * which a crash could take back):
 * - retained groups (the recorder: what it has not recorded is what the gateway acknowledged and
 *   nobody holds yet) pin their topics always, also while not running and from the log's start
 *   while they have no commit;
 * - a running group pins the topics it consumes, from the log's start until its first commit.
 * Groups that only come and go (the API's alert stream takes a new group per process, starting at
 * the end) pin nothing once stopped, and their offsets expire like Kafka's
 * `offsets.retention.minutes`. A partition nobody pins keeps its messages for `retentionMs`, like
 * Kafka's `log.retention.ms`.
 */
export function prune(db: Db, log: SqliteLog, offsets: CommittedOffsets, policy: RetentionPolicy, running: ReadonlyMap<string, ReadonlySet<string>>, now: number): PruneResult {
  const stored = offsets.stored();
  const retained = new Set(policy.retain.map((r) => r.groupId));

  const lastCommit = new Map<string, number>();
  for (const o of stored) lastCommit.set(o.groupId, Math.max(lastCommit.get(o.groupId) ?? 0, o.committedAt));
  const expiredGroups: string[] = [];
  for (const [groupId, at] of lastCommit) {
    if (retained.has(groupId) || running.has(groupId) || at >= now - policy.offsetsRetentionMs) continue;
    offsets.forget(groupId);
    expiredGroups.push(groupId);
  }

  const committed = new Map<string, number>();
  for (const o of stored) committed.set(`${o.groupId}\u0000${tpKey(o.tp)}`, o.next);
  const pins = new Map<string, number>();
  const pin = (groupId: string, topic: string): void => {
    if (!log.has(topic)) return;
    for (const state of log.partitionsOf(topic)) {
      const key = tpKey(state.tp);
      const at = committed.get(`${groupId}\u0000${key}`) ?? state.start;
      pins.set(key, Math.min(pins.get(key) ?? Infinity, at));
    }
  };
  for (const r of policy.retain) for (const topic of r.topics) pin(r.groupId, topic);
  for (const [groupId, topics] of running) for (const topic of topics) pin(groupId, topic);

  let deletedMessages = 0;
  let more = false;
  for (const state of log.allPartitions()) {
    const limit = Math.min(state.end, state.start + policy.maxDeletesPerPartition);
    const pinned = pins.get(tpKey(state.tp));
    const until = Math.min(limit, pinned ?? firstYoungerThan(db, state, limit, now - policy.retentionMs));
    deletedMessages += log.truncateBefore(state, until);
    // The cap was reached: what lies beyond it waits for the next transaction.
    if (until - state.start === policy.maxDeletesPerPartition) more = true;
  }
  return { deletedMessages, expiredGroups, more };
}

/** The first offset below `limit` whose message is not older than `cutoff` (or `limit`). */
function firstYoungerThan(db: Db, state: PartitionState, limit: number, cutoff: number): number {
  const offset = db.prepare(`SELECT msg_offset FROM log_${state.id} WHERE msg_offset >= ? AND msg_offset < ? AND timestamp >= ? ORDER BY msg_offset LIMIT 1`).pluck().get(state.start, limit, cutoff) as number | undefined;
  return offset ?? limit;
}

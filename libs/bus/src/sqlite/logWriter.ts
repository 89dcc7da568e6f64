import type { CommittedOffsets } from './committedOffsets.ts';
import { GroupCommit } from './groupCommit.ts';
import type { Db } from './openBusDatabase.ts';
import type { SqliteLog } from './sqliteLog.ts';

export interface LogWriterOptions {
  readonly windowMs: number;
  readonly maxMessagesPerTransaction: number;
  /** After the log and the offsets are published (the bus's counters and change signal). */
  readonly afterCommit?: () => void;
  /** After the log and the offsets are rolled back (the bus's counters and its log line). */
  readonly afterRollback?: (error: unknown) => void;
}

/**
 * The bus's writer: group commit over the log and the committed offsets. Each transaction writes
 * the offsets and the log's bounds after the queued appends, publishes both (the tail included)
 * only once it committed, and discards both when it rolled back. One wiring for the bus and for the
 * tests that drive the log directly, so they prove what the bus runs.
 */
export function openLogWriter(db: Db, log: SqliteLog, offsets: CommittedOffsets, options: LogWriterOptions): GroupCommit {
  return new GroupCommit(db, options.windowMs, options.maxMessagesPerTransaction, {
    hasWork: () => offsets.hasPending(),
    beforeCommit: () => {
      offsets.write();
      log.writeBounds();
    },
    afterCommit: () => {
      offsets.committed();
      log.publish();
      options.afterCommit?.();
    },
    afterRollback: (error) => {
      offsets.rolledBack();
      log.discard();
      options.afterRollback?.(error);
    },
  });
}

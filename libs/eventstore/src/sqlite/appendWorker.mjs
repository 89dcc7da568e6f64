// Append worker of the SQLite adapter (see appendWorker.ts). A worker thread does not inherit the
// TypeScript loader of vitest or tsx, so this entry is JavaScript and loads the TypeScript
// appender through tsx's scoped loader (tsImport): the appends run the very code of the inline
// path (sqliteAppender.ts), not a copy of it.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { runAppendWorker } = await tsImport('./appendWorkerThread.ts', import.meta.url);
runAppendWorker(workerData);

// WAL checkpoint worker of the SQLite adapter (see walCheckpointer.ts). Plain JavaScript on
// purpose: a worker thread does not inherit the TypeScript loader of vitest or tsx.
//
// It opens its own connection to the store and runs a PASSIVE checkpoint every `intervalMs`:
// copying committed WAL pages into the database file and syncing it. PASSIVE never waits for
// the writer or the readers and never blocks them; what it cannot copy yet it copies next time.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, intervalMs, synchronous } = /** @type {{ path: string; intervalMs: number; synchronous: string }} */ (workerData);
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

const db = new Database(path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
// The checkpoint syncs the database file with NORMAL and FULL alike; set as the writer has it.
db.pragma(`synchronous = ${synchronous}`);
// This connection never writes; it must never run a checkpoint of its own on close either
// (the writer's close does the last one, as the file's last connection).
db.pragma('wal_autocheckpoint = 0');

let pages = 0;
let failures = 0;
const timer = setInterval(() => {
  try {
    const row = /** @type {{ busy: number; log: number; checkpointed: number }[]} */ (db.pragma('wal_checkpoint(PASSIVE)'))[0];
    if (row !== undefined && row.checkpointed > 0) pages += row.checkpointed;
  } catch {
    // The writer's own (rarer) checkpoints still run; the next interval tries again.
    failures++;
  }
}, intervalMs);

port.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.postMessage({ type: 'stopped', pages, failures });
  port.close();
});

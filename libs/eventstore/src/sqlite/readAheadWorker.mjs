// Read-ahead worker of the SQLite adapter (see readAhead.ts). Plain JavaScript on purpose: a
// worker thread does not inherit the TypeScript loader of vitest or tsx, so it must need none.
//
// It runs one keyset-paged query on its own read-only connection (WAL lets it read beside the
// writer) and posts each page to the main thread as columns, not rows: typed arrays are
// transferred and repeated strings (stream ids, commit times) sent once per page, so the main
// thread pays little to receive a page and only parses the envelopes. Credits in shared memory
// bound the pages in flight; the main thread adds one per page consumed.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const CREDITS = 0;
const STOP = 1;

/** @param {unknown} err */
function describe(err) {
  const e = /** @type {{ name?: unknown; message?: unknown; code?: unknown }} */ (err ?? {});
  return { type: 'error', name: String(e.name ?? 'Error'), message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : undefined };
}

/** @param {unknown[][]} rows */
function columns(rows) {
  const n = rows.length;
  const positions = new Float64Array(n);
  const revisions = new Float64Array(n);
  const streamIndex = new Int32Array(n);
  const recordedIndex = new Int32Array(n);
  /** @type {string[]} */ const streams = [];
  /** @type {string[]} */ const recorded = [];
  /** @type {string[]} */ const json = new Array(n);
  const streamIds = new Map();
  let lastRecorded = null;
  for (let i = 0; i < n; i++) {
    const row = /** @type {[number, string, number, string, string]} */ (rows[i]);
    positions[i] = row[0];
    revisions[i] = row[2];
    let s = streamIds.get(row[1]);
    if (s === undefined) {
      s = streams.length;
      streams.push(row[1]);
      streamIds.set(row[1], s);
    }
    streamIndex[i] = s;
    // One commit shares its recordedAt and is contiguous in position order.
    if (row[3] !== lastRecorded) {
      lastRecorded = row[3];
      recorded.push(row[3]);
    }
    recordedIndex[i] = recorded.length - 1;
    json[i] = row[4];
  }
  return { type: 'page', positions, revisions, streamIndex, recordedIndex, streams, recorded, json };
}

function run() {
  const { path, sql, params, pageSize } = workerData;
  let { after, remaining } = workerData;
  const upto = workerData.upto;
  const control = new Int32Array(workerData.control);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const stmt = db.prepare(sql).raw();
    while (remaining > 0 && after < upto) {
      for (;;) {
        if (Atomics.load(control, STOP) !== 0) return;
        const credits = Atomics.load(control, CREDITS);
        if (credits > 0) break;
        Atomics.wait(control, CREDITS, credits, 1000);
      }
      Atomics.sub(control, CREDITS, 1);
      const limit = Math.min(pageSize, remaining);
      const rows = stmt.all(after, upto, ...params, limit);
      remaining -= rows.length;
      if (rows.length > 0) {
        const page = columns(rows);
        parentPort?.postMessage(page, [page.positions.buffer, page.revisions.buffer, page.streamIndex.buffer, page.recordedIndex.buffer]);
      }
      if (rows.length < limit) break;
      after = /** @type {number} */ (rows[rows.length - 1][0]);
    }
    parentPort?.postMessage({ type: 'end' });
  } finally {
    db.close();
  }
}

try {
  run();
} catch (err) {
  parentPort?.postMessage(describe(err));
}

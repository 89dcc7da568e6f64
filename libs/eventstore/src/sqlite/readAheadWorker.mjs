// Read-ahead worker of the SQLite adapter (see readAhead.ts). Plain JavaScript on purpose: a
// worker thread does not inherit the TypeScript loader of vitest or tsx, so it must need none.
//
// It runs one paged query on its own read-only connection (WAL lets it read beside the writer),
// alone or as one of several workers taking turns by position window, and posts each page to
// the main thread as columns, not rows: typed arrays are transferred and repeated strings
// (stream ids, commit times) sent once per page, and plain fixes — nearly every event — arrive
// already read (see readFix), so the main thread pays little to receive a page and parses only
// the other envelopes. Credits in shared memory bound the pages in flight; the main thread adds
// one per page consumed.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const CREDITS = 0;
const STOP = 1;

/** @param {unknown} err */
function describe(err) {
  const e = /** @type {{ name?: unknown; message?: unknown; code?: unknown }} */ (err ?? {});
  return { type: 'error', name: String(e.name ?? 'Error'), message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : undefined };
}

// The stored layout of a plain fix (libs/events canonicalJson), piece by piece.
const HEAD = '{"eventId":"';
const TYPE = '","type":"VehiclePositionReported","occurredAt":"';
const DATA = '","data":{';
const HEADING = '"headingDeg":';
const LAT = '"lat":';
const LON = '"lon":';
const SPEED = '"speedKmh":';
const VEHICLE = '"vehicleId":"';
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
const COMMA = 44;
const BRACE = 125;

// Where the last numberAt ended, and the last readFix's fields (no allocation per call).
let numberEnd = 0;
let idEnd = 0;
let occurredStart = 0;
let occurredEnd = 0;
let vehicleStart = 0;
let vehicleEnd = 0;
let heading = Number.NaN;
let lat = 0;
let lon = 0;
let speed = 0;

/**
 * The JSON number at `i` (it ends at numberEnd), or NaN if none starts there. Up to 15 significant
 * digits and no exponent — nearly every coordinate and speed — the digits are an exact integer m
 * and m / 10^k is one correctly rounded division, the same double JSON.parse gives; anything
 * longer goes to Number(), which reads JSON numbers exactly as JSON.parse does.
 * @param {string} s @param {number} i
 */
function numberAt(s, i) {
  const start = i;
  let c = s.charCodeAt(i);
  const negative = c === 45;
  if (negative) c = s.charCodeAt(++i);
  let m = 0;
  let digits = 0;
  let scale = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      scale++;
      c = s.charCodeAt(++i);
    }
  }
  if (c === 101 || c === 69 || digits > 15) {
    while ((c >= 48 && c <= 57) || c === 101 || c === 69 || c === 43 || c === 45) c = s.charCodeAt(++i);
    numberEnd = i;
    return Number(s.slice(start, i));
  }
  numberEnd = i;
  if (digits === 0) return Number.NaN;
  const v = scale === 0 ? m : m / /** @type {number} */ (POW10[scale]);
  return negative ? -v : v;
}

/**
 * Whether `lit` is in `s` at `i`. (indexOf costs a fifth of startsWith with a position in V8 12.)
 * @param {string} s @param {number} i @param {string} lit
 */
function isAt(s, i, lit) {
  return s.indexOf(lit, i) === i;
}

/**
 * The number after `key` at `at`, which must be followed by a comma (then at numberEnd), or NaN.
 * @param {string} s @param {number} at @param {string} key
 */
function fieldAt(s, at, key) {
  if (!isAt(s, at, key)) return Number.NaN;
  const v = numberAt(s, at + key.length);
  return s.charCodeAt(numberEnd) === COMMA ? v : Number.NaN;
}

/**
 * Whether `json` is a stored plain fix; if so its fields are left in the variables above.
 * Nearly every stored event is one, in exactly the layout the store writes: `{"eventId":…,
 * "type":"VehiclePositionReported","occurredAt":…,"data":{"headingDeg"?,"lat","lon","speedKmh",
 * "vehicleId"}}`. Reading that with a few indexOf calls on the worker's core costs a fraction of
 * JSON.parse, and the consumer gets numbers and short strings instead of text to parse. Anything
 * else — another key, another order, any escape sequence, a value that is not a finite number
 * where one belongs — goes as JSON and is parsed on the main thread as before.
 * @param {string} json
 */
function readFix(json) {
  // Without any backslash every quote found below closes its string.
  if (!isAt(json, 0, HEAD) || json.includes('\\')) return false;
  idEnd = json.indexOf('"', HEAD.length);
  if (idEnd < 0 || !isAt(json, idEnd, TYPE)) return false;
  occurredStart = idEnd + TYPE.length;
  occurredEnd = json.indexOf('"', occurredStart);
  if (occurredEnd < 0 || !isAt(json, occurredEnd, DATA)) return false;
  let p = occurredEnd + DATA.length;
  heading = Number.NaN;
  if (isAt(json, p, HEADING)) {
    heading = fieldAt(json, p, HEADING);
    if (!Number.isFinite(heading)) return false;
    p = numberEnd + 1;
  }
  lat = fieldAt(json, p, LAT);
  p = numberEnd + 1;
  lon = fieldAt(json, p, LON);
  p = numberEnd + 1;
  speed = fieldAt(json, p, SPEED);
  p = numberEnd + 1;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || !Number.isFinite(speed) || !isAt(json, p, VEHICLE)) return false;
  vehicleStart = p + VEHICLE.length;
  vehicleEnd = json.indexOf('"', vehicleStart);
  return vehicleEnd >= 0 && vehicleEnd + 3 === json.length && json.charCodeAt(vehicleEnd + 1) === BRACE && json.charCodeAt(vehicleEnd + 2) === BRACE;
}

/**
 * Index of `value` in `list`, adding it once (repeated strings cross the thread boundary once per page).
 * @param {Map<string, number>} ids @param {string[]} list @param {string} value
 */
function intern(ids, list, value) {
  let i = ids.get(value);
  if (i === undefined) {
    i = list.length;
    list.push(value);
    ids.set(value, i);
  }
  return i;
}

/** Where a page's NDJSON is written before its exact-size copy is sent (grown as needed, reused). */
let scratch = Buffer.allocUnsafeSlow(1 << 20);
let scratchUsed = 0;

/**
 * Appends row i's stored text and "\n" to the page's NDJSON (see pageNdjson.ts), for reads with
 * `ndjsonPages`; `ends[i]` = -1 for a text with a backslash, which travels as a string instead
 * (an escape in it may be one a digest must see replaced). The bytes are SQLite's own text,
 * encoded here once, so the consumer neither receives a string per event nor encodes it again.
 * @param {Int32Array} ends @param {number} i @param {string} text @param {boolean} plain  known to hold no backslash
 */
function addLine(ends, i, text, plain) {
  if (!plain && text.includes('\\')) {
    ends[i] = -1;
    return;
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const room = text.length * 3 + 1;
  if (scratchUsed + room > scratch.length) {
    const grown = Buffer.allocUnsafeSlow(Math.max(scratch.length * 2, scratchUsed + room));
    scratch.copy(grown, 0, 0, scratchUsed);
    scratch = grown;
  }
  scratchUsed += scratch.write(text, scratchUsed, 'utf8');
  scratch[scratchUsed++] = 10;
  ends[i] = scratchUsed;
}

/** The page's NDJSON written so far, as its own buffer (to transfer), and a fresh start. */
function takeLines() {
  const bytes = new Uint8Array(scratchUsed);
  bytes.set(scratch.subarray(0, scratchUsed));
  scratchUsed = 0;
  return bytes;
}

/** @param {unknown[][]} rows @param {boolean} includeJson @param {boolean} ndjson */
function columns(rows, includeJson, ndjson) {
  const n = rows.length;
  const positions = new Float64Array(n);
  const revisions = new Float64Array(n);
  const streamIndex = new Int32Array(n);
  const recordedIndex = new Int32Array(n);
  /** @type {string[]} */ const streams = [];
  /** @type {string[]} */ const recorded = [];
  /** @type {(string | null)[]} */ const json = [];
  const streamIds = new Map();
  // Plain fixes (fixIndex[i] = k ≥ 0: row i is fix k of these columns).
  const fixIndex = new Int32Array(n);
  const fixNumbers = new Float64Array(n * 4);
  /** @type {string[]} */ const fixEventIds = [];
  const fixOccurredIndex = new Int32Array(n);
  const fixVehicleIndex = new Int32Array(n);
  /** @type {string[]} */ const occurred = [];
  /** @type {string[]} */ const vehicles = [];
  const vehicleIds = new Map();
  // A vehicle's stream holds its own fixes: the vehicle id is checked in place, not cut out again.
  /** @type {number[]} */ const vehicleOfStream = [];
  let lastRecorded = null;
  /** @type {string | null} */ let lastOccurred = null;
  const lineEnds = ndjson ? new Int32Array(n) : null;
  for (let i = 0; i < n; i++) {
    const row = /** @type {[number, string, number, string, string]} */ (rows[i]);
    positions[i] = row[0];
    revisions[i] = row[2];
    const s = intern(streamIds, streams, row[1]);
    streamIndex[i] = s;
    // One commit shares its recordedAt and is contiguous in position order.
    if (row[3] !== lastRecorded) {
      lastRecorded = row[3];
      recorded.push(row[3]);
    }
    recordedIndex[i] = recorded.length - 1;
    const text = row[4];
    const fix = readFix(text);
    if (lineEnds !== null) addLine(lineEnds, i, text, fix);
    if (!fix) {
      fixIndex[i] = -1;
      json.push(text);
      continue;
    }
    const k = fixEventIds.length;
    fixIndex[i] = k;
    // A plain fix has no backslash (readFix), so with ndjson its line is in the page's NDJSON: no string for it.
    json.push(includeJson && lineEnds === null ? text : null);
    fixEventIds.push(text.slice(HEAD.length, idEnd));
    // Fixes of one moment come together: most repeat the time of the fix before.
    if (lastOccurred === null || occurredEnd - occurredStart !== lastOccurred.length || !isAt(text, occurredStart, lastOccurred)) {
      lastOccurred = text.slice(occurredStart, occurredEnd);
      occurred.push(lastOccurred);
    }
    fixOccurredIndex[k] = occurred.length - 1;
    let v = vehicleOfStream[s];
    if (v === undefined || vehicleEnd - vehicleStart !== /** @type {string} */ (vehicles[v]).length || !isAt(text, vehicleStart, /** @type {string} */ (vehicles[v]))) {
      v = intern(vehicleIds, vehicles, text.slice(vehicleStart, vehicleEnd));
      vehicleOfStream[s] = v;
    }
    fixVehicleIndex[k] = v;
    fixNumbers[4 * k] = heading;
    fixNumbers[4 * k + 1] = lat;
    fixNumbers[4 * k + 2] = lon;
    fixNumbers[4 * k + 3] = speed;
  }
  return {
    type: 'page', positions, revisions, streamIndex, recordedIndex, streams, recorded, json, ndjson: lineEnds === null ? null : { bytes: takeLines(), ends: lineEnds },
    fixes: { index: fixIndex, numbers: fixNumbers, eventIds: fixEventIds, occurredIndex: fixOccurredIndex, vehicleIndex: fixVehicleIndex, occurred, vehicles },
  };
}

/**
 * Pages go on their own port, which the consumer drains only when it needs the next page (see
 * readAhead.ts); each message there is followed by a ring on the parent port, to wake a
 * consumer that is waiting.
 * @param {import('node:worker_threads').MessagePort} pages @param {unknown} msg @param {ArrayBuffer[]} [transfer]
 */
function send(pages, msg, transfer) {
  pages.postMessage(msg, transfer);
  parentPort?.postMessage(null);
}

/** Blocks until the consumer allows one more page in flight; false once the read is stopped. @param {Int32Array} control */
function takeCredit(control) {
  for (;;) {
    if (Atomics.load(control, STOP) !== 0) return false;
    const credits = Atomics.load(control, CREDITS);
    if (credits > 0) break;
    Atomics.wait(control, CREDITS, credits, 1000);
  }
  Atomics.sub(control, CREDITS, 1);
  return true;
}

/** @param {import('node:worker_threads').MessagePort} pages @param {unknown[][]} rows @param {boolean} includeJson @param {boolean} ndjson */
function sendPage(pages, rows, includeJson, ndjson) {
  const page = columns(rows, includeJson, ndjson);
  const f = page.fixes;
  const transfer = [page.positions.buffer, page.revisions.buffer, page.streamIndex.buffer, page.recordedIndex.buffer, f.index.buffer, f.numbers.buffer, f.occurredIndex.buffer, f.vehicleIndex.buffer];
  if (page.ndjson !== null) transfer.push(page.ndjson.bytes.buffer, page.ndjson.ends.buffer);
  send(pages, page, transfer);
}

/**
 * One worker of `stride`: keyset pages (`position > after … LIMIT`) when it is alone, else the
 * position windows `offset, offset + stride, …` of `pageSize` positions each — one message per
 * window, empty ones too, so the consumer can take the workers' pages in turn.
 * @param {import('node:worker_threads').MessagePort} pages
 */
function run(pages) {
  const { path, sql, params, pageSize, includeJson, stride, offset } = workerData;
  const ndjson = includeJson && workerData.ndjson === true;
  let { after, remaining } = workerData;
  const upto = workerData.upto;
  const control = new Int32Array(workerData.control);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const stmt = db.prepare(sql).raw();
    if (stride > 1) {
      // The consumer counts maxCount across the workers; here every window is read whole.
      for (let lo = after + offset * pageSize; lo < upto; lo += stride * pageSize) {
        if (!takeCredit(control)) return;
        sendPage(pages, stmt.all(lo, Math.min(lo + pageSize, upto), ...params, pageSize), includeJson, ndjson);
      }
    } else {
      while (remaining > 0 && after < upto) {
        if (!takeCredit(control)) return;
        const limit = Math.min(pageSize, remaining);
        const rows = stmt.all(after, upto, ...params, limit);
        remaining -= rows.length;
        if (rows.length > 0) sendPage(pages, rows, includeJson, ndjson);
        if (rows.length < limit) break;
        after = /** @type {number} */ (rows[rows.length - 1][0]);
      }
    }
    send(pages, { type: 'end' });
  } finally {
    db.close();
  }
}

const pages = /** @type {import('node:worker_threads').MessagePort} */ (workerData.pages);
try {
  run(pages);
} catch (err) {
  send(pages, describe(err));
}

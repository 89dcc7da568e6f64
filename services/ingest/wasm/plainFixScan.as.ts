// AssemblyScript: compiled to WebAssembly by `npm run build:wasm -w @dgt/ingest` into
// src/plainFixScanWasm.ts (base64). Not TypeScript that tsc or eslint read.
//
// Scans the UTF-8 bytes of a JSON array of plain fixes — every item
// {"eventId","type":"VehiclePositionReported","occurredAt","data":{"vehicleId","lon","lat","speedKmh","headingDeg"?}}
// with keys in any order — and writes each item's canonical JSON (keys sorted, numbers as JSON
// writes them) as it goes, where JSON.parse built objects and JavaScript then walked them, checked
// them and wrote their text. It vouches only for what JSON.parse and the gateway's lane accept
// with the same texts and values (src/wasmFixLane.ts; proven by test/wasmFixLane.unit.test.ts), and
// answers -1 for anything else — then JSON.parse and the lane decide, as they always did:
// - strings only of printable ASCII without an escape; ids of the client id pattern (1–200 of
//   A–Z a–z 0–9 . _ : @ ~ + = # -), vehicle ids within the bounds set, times of at most 64 bytes
//   (JavaScript checks them with zod's compiled checker);
// - each key once (JSON.parse keeps the last of a repeated key), none but the fix's;
// - numbers without an exponent, of at most 15 digits, at most 6 after the point, within the
//   bounds set (read from the zod schema): m / 10^k of two exact doubles is the correctly rounded
//   value JSON.parse gives (Clinger's fast path), and JSON writes it as the input's digits with the
//   fraction's trailing zeros trimmed (a decimal of ≤ 15 digits is the shortest that reads back as
//   its double); -0 is written 0, as JSON.stringify writes it.

// Per fix in the table (i32): its text's start in the output, the eventId's, the time's and the
// vehicle id's start and length there, whether it has a heading; then (f64) lon, lat, speed, heading.
const ROW: usize = 64;

// Byte classes.
const ID: u8 = 1; // the client id pattern's characters
const PLAIN: u8 = 2; // printable ASCII but '"' and '\': a string's character written as it is
const DIGIT: u8 = 4;
const SPACE: u8 = 8; // JSON whitespace

let classes: usize = 0;

let lonMin: f64 = -180;
let lonMax: f64 = 180;
let latMin: f64 = -90;
let latMax: f64 = 90;
let speedMin: f64 = 0;
let speedMax: f64 = 400;
let headingMin: f64 = 0;
let headingMax: f64 = 360;
let vehicleMin: i32 = 1;
let vehicleMax: i32 = 128;

/** The schema's bounds (JavaScript reads them from zod). */
export function setBounds(lon0: f64, lon1: f64, lat0: f64, lat1: f64, speed0: f64, speed1: f64, heading0: f64, heading1: f64, vehicle0: i32, vehicle1: i32): void {
  lonMin = lon0;
  lonMax = lon1;
  latMin = lat0;
  latMax = lat1;
  speedMin = speed0;
  speedMax = speed1;
  headingMin = heading0;
  headingMax = heading1;
  vehicleMin = vehicle0;
  vehicleMax = vehicle1;
}

/** The first byte JavaScript may use for the input, output and table (after this module's data). */
export function heapStart(): usize {
  return (__heap_base + 15) & ~15;
}

let outputEnd: usize = 0;

/** The length of the last successful scan's output. */
export function outputLength(): usize {
  return outputEnd;
}

function setUpClasses(): void {
  classes = memory.data(256);
  for (let c = 0; c < 256; c++) {
    let k: u8 = 0;
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) k |= ID;
    if (c == 0x2e || c == 0x5f || c == 0x3a || c == 0x40 || c == 0x7e || c == 0x2b || c == 0x3d || c == 0x23 || c == 0x2d) k |= ID;
    if (c >= 0x20 && c <= 0x7e && c != 0x22 && c != 0x5c) k |= PLAIN;
    if (c >= 0x30 && c <= 0x39) k |= DIGIT;
    if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) k |= SPACE;
    store<u8>(classes + c, k);
  }
}
setUpClasses();

@inline function is(c: u32, k: u8): bool {
  return (load<u8>(classes + c) & k) != 0;
}

// The input ends at `end`; reads past it see the zero JavaScript writes there (no class matches it).
let end: usize = 0;

@inline function spaces(p: usize): usize {
  while (is(load<u8>(p), SPACE)) p++;
  return p;
}

/** Whether the bytes at p are the ASCII literal s. */
function literal(p: usize, s: string): bool {
  const n = s.length;
  if (p + <usize>n > end) return false;
  const sp = changetype<usize>(s);
  for (let i = 0; i < n; i++) if (load<u8>(p + i) != <u8>load<u16>(sp + (<usize>i << 1))) return false;
  return true;
}

function put(o: usize, s: string): usize {
  const n = s.length;
  const sp = changetype<usize>(s);
  for (let i = 0; i < n; i++) store<u8>(o + i, <u8>load<u16>(sp + (<usize>i << 1)));
  return o + n;
}

// A key's bytes: from keyAt, keyLength long (between its quotes); the parse goes on at the return.
let keyAt: usize = 0;
let keyLength: usize = 0;

/** A key without escapes at p (its opening quote); 0 when it is not one. */
function key(p: usize): usize {
  if (load<u8>(p) != 0x22) return 0;
  const k = ++p;
  while (is(load<u8>(p), PLAIN)) p++;
  if (load<u8>(p) != 0x22) return 0;
  keyAt = k;
  keyLength = p - k;
  p = spaces(p + 1);
  if (load<u8>(p) != 0x3a) return 0;
  return spaces(p + 1);
}

@inline function keyIs(s: string): bool {
  return keyLength == <usize>s.length && literal(keyAt, s);
}

// A string value's characters, between its quotes.
let textAt: usize = 0;
let textLength: usize = 0;

/** A string of characters of class k (none escaped) at p; 0 when it is not one. */
function text(p: usize, k: u8): usize {
  if (load<u8>(p) != 0x22) return 0;
  const t = ++p;
  while (is(load<u8>(p), k)) p++;
  if (load<u8>(p) != 0x22) return 0;
  textAt = t;
  textLength = p - t;
  return p + 1;
}

// A number: its value, and its JSON as [digitsAt, digitsEnd) with a '-' before when negative.
let value: f64 = 0;
let digitsAt: usize = 0;
let digitsEnd: usize = 0;
let negative: bool = false;

// Exact doubles: 10^0 … 10^6.
const TENS: StaticArray<f64> = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];

/** A number at p that the lane takes (see the top); 0 otherwise. */
function number(p: usize): usize {
  let minus = false;
  if (load<u8>(p) == 0x2d) {
    minus = true;
    p++;
  }
  const at = p;
  let m: u64 = 0;
  let digits = 0;
  let c = <u32>load<u8>(p);
  if (c == 0x30) {
    c = load<u8>(++p);
    // JSON allows no leading zero.
    if (is(c, DIGIT)) return 0;
  } else {
    while (is(c, DIGIT)) {
      if (++digits > 15) return 0;
      m = m * 10 + <u64>(c - 0x30);
      c = load<u8>(++p);
    }
    if (digits == 0) return 0;
  }
  let trimmed = p;
  let places = 0;
  if (c == 0x2e) {
    c = load<u8>(++p);
    while (is(c, DIGIT)) {
      if (++digits > 15 || ++places > 6) return 0;
      m = m * 10 + <u64>(c - 0x30);
      p++;
      if (c != 0x30) trimmed = p;
      c = load<u8>(p);
    }
    if (places == 0) return 0;
  }
  if (c == 0x65 || c == 0x45) return 0;
  const v = <f64>m / unchecked(TENS[places]);
  value = minus ? -v : v;
  digitsAt = at;
  digitsEnd = trimmed;
  negative = minus && v != 0;
  return p;
}

function putNumber(o: usize, at: usize, digitsEnd: usize, negative: bool): usize {
  if (negative) store<u8>(o++, 0x2d);
  const n = digitsEnd - at;
  memory.copy(o, at, n);
  return o + n;
}

const EVENT_ID: u32 = 1;
const TYPE: u32 = 2;
const OCCURRED_AT: u32 = 4;
const DATA: u32 = 8;
const VEHICLE: u32 = 1;
const LON: u32 = 2;
const LAT: u32 = 4;
const SPEED: u32 = 8;
const HEADING: u32 = 16;

/**
 * Scans `length` bytes at `input` (a zero byte after them), writes the canonical JSON of every
 * item at `output` (at most `length` bytes: never longer than the input) and a row per item at
 * `table` (room for `capacity`). Returns the number of items, or -1: let JSON.parse decide.
 */
export function scan(input: usize, length: usize, output: usize, table: usize, capacity: i32): i32 {
  end = input + length;
  let p = spaces(input);
  if (load<u8>(p) != 0x5b) return -1;
  p = spaces(p + 1);
  let o = output;
  let n = 0;
  while (true) {
    if (n == capacity || load<u8>(p) != 0x7b) return -1;
    p = spaces(p + 1);
    let seen: u32 = 0;
    let idAt: usize = 0;
    let idLength: usize = 0;
    let timeAt: usize = 0;
    let timeLength: usize = 0;
    let vehicleAt: usize = 0;
    let vehicleLength: usize = 0;
    let lon: f64 = 0, lat: f64 = 0, speed: f64 = 0, heading: f64 = 0;
    let lonAt: usize = 0, lonEnd: usize = 0, latAt: usize = 0, latEnd: usize = 0;
    let speedAt: usize = 0, speedEnd: usize = 0, headingAt: usize = 0, headingEnd: usize = 0;
    let lonMinus = false, latMinus = false, speedMinus = false, headingMinus = false;
    while (true) {
      p = key(p);
      if (p == 0) return -1;
      let field: u32 = 0;
      if (keyIs('eventId')) field = EVENT_ID;
      else if (keyIs('type')) field = TYPE;
      else if (keyIs('occurredAt')) field = OCCURRED_AT;
      else if (keyIs('data')) field = DATA;
      if (field == 0 || (seen & field) != 0) return -1;
      seen |= field;
      if (field == EVENT_ID) {
        p = text(p, ID);
        if (p == 0 || textLength < 1 || textLength > 200) return -1;
        idAt = textAt;
        idLength = textLength;
      } else if (field == TYPE) {
        if (!literal(p, '"VehiclePositionReported"')) return -1;
        p += 25;
      } else if (field == OCCURRED_AT) {
        p = text(p, PLAIN);
        if (p == 0 || textLength > 64) return -1;
        timeAt = textAt;
        timeLength = textLength;
      } else {
        if (load<u8>(p) != 0x7b) return -1;
        p = spaces(p + 1);
        let fields: u32 = 0;
        while (true) {
          p = key(p);
          if (p == 0) return -1;
          let f: u32 = 0;
          if (keyIs('vehicleId')) f = VEHICLE;
          else if (keyIs('lon')) f = LON;
          else if (keyIs('lat')) f = LAT;
          else if (keyIs('speedKmh')) f = SPEED;
          else if (keyIs('headingDeg')) f = HEADING;
          if (f == 0 || (fields & f) != 0) return -1;
          fields |= f;
          if (f == VEHICLE) {
            p = text(p, PLAIN);
            if (p == 0 || <i32>textLength < vehicleMin || <i32>textLength > vehicleMax) return -1;
            vehicleAt = textAt;
            vehicleLength = textLength;
          } else {
            p = number(p);
            if (p == 0) return -1;
            if (f == LON) {
              if (!(value >= lonMin && value <= lonMax)) return -1;
              lon = value;
              lonAt = digitsAt;
              lonEnd = digitsEnd;
              lonMinus = negative;
            } else if (f == LAT) {
              if (!(value >= latMin && value <= latMax)) return -1;
              lat = value;
              latAt = digitsAt;
              latEnd = digitsEnd;
              latMinus = negative;
            } else if (f == SPEED) {
              if (!(value >= speedMin && value <= speedMax)) return -1;
              speed = value;
              speedAt = digitsAt;
              speedEnd = digitsEnd;
              speedMinus = negative;
            } else {
              if (!(value >= headingMin && value <= headingMax)) return -1;
              heading = value;
              headingAt = digitsAt;
              headingEnd = digitsEnd;
              headingMinus = negative;
            }
          }
          p = spaces(p);
          // Checked before stepping over it: past the input's zero byte lies memory of other use.
          const c = load<u8>(p);
          if (c != 0x7d && c != 0x2c) return -1;
          p = spaces(p + 1);
          if (c == 0x7d) break;
        }
        if ((fields & 15) != 15) return -1;
        seen |= (fields & HEADING) << 4;
      }
      p = spaces(p);
      const c = load<u8>(p);
      if (c != 0x7d && c != 0x2c) return -1;
      p = spaces(p + 1);
      if (c == 0x7d) break;
    }
    if ((seen & 15) != 15) return -1;
    const row = table + <usize>n * ROW;
    store<i32>(row, <i32>(o - output));
    o = put(o, '{"eventId":"');
    store<i32>(row, <i32>(o - output), 4);
    store<i32>(row, <i32>idLength, 8);
    memory.copy(o, idAt, idLength);
    o += idLength;
    o = put(o, '","type":"VehiclePositionReported","occurredAt":"');
    store<i32>(row, <i32>(o - output), 12);
    store<i32>(row, <i32>timeLength, 16);
    memory.copy(o, timeAt, timeLength);
    o += timeLength;
    o = put(o, '","data":{');
    if ((seen & (HEADING << 4)) != 0) {
      o = put(o, '"headingDeg":');
      o = putNumber(o, headingAt, headingEnd, headingMinus);
      store<u8>(o++, 0x2c);
      store<i32>(row, 1, 28);
    } else {
      store<i32>(row, 0, 28);
    }
    o = put(o, '"lat":');
    o = putNumber(o, latAt, latEnd, latMinus);
    o = put(o, ',"lon":');
    o = putNumber(o, lonAt, lonEnd, lonMinus);
    o = put(o, ',"speedKmh":');
    o = putNumber(o, speedAt, speedEnd, speedMinus);
    o = put(o, ',"vehicleId":"');
    store<i32>(row, <i32>(o - output), 20);
    store<i32>(row, <i32>vehicleLength, 24);
    memory.copy(o, vehicleAt, vehicleLength);
    o += vehicleLength;
    o = put(o, '"}}');
    store<f64>(row, lon, 32);
    store<f64>(row, lat, 40);
    store<f64>(row, speed, 48);
    store<f64>(row, heading, 56);
    n++;
    const c = load<u8>(p);
    if (c == 0x5d) {
      p = spaces(p + 1);
      if (p != end) return -1;
      break;
    }
    if (c != 0x2c) return -1;
    p = spaces(p + 1);
  }
  outputEnd = o - output;
  return n;
}

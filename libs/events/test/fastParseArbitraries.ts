import fc from 'fast-check';

/*
 * Events for the fast-path property tests: valid events of each hot type with keys in any order,
 * optional fields present, absent or present-as-undefined, unknown keys; and the same events
 * mutated at any node (a value replaced by one from a catalogue of boundary and hostile values,
 * a key removed, a key added), as JSON text would carry them or as JavaScript objects can (NaN,
 * ±Infinity, undefined, symbol keys, null prototypes, class instances, non-enumerable keys).
 */

type Json = Record<string, unknown>;

const astral = '😀';
const utcMs = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) });

/** Every shape `z.iso.datetime({ offset: true })` accepts: seconds required, any fraction, Z or ±HH:MM. */
export const validTimestamp = fc
  .record({ ms: utcMs, frac: fc.constantFrom('', '', '.5', '.000', '.123', '.123456789'), offset: fc.constantFrom('Z', 'Z', '+08:00', '-03:30', '+23:59', '-00:00', '+00:00') })
  .map(({ ms, frac, offset }) => new Date(ms).toISOString().slice(0, 19) + frac + offset);

const clientId = fc.stringMatching(/^[A-Za-z0-9._:@~+=#-]{1,40}$/);
/** Ids a client may post, and (for `safeParseEvent`, which reads the record) ids dgt derives. */
const eventId = fc.oneof({ weight: 6, arbitrary: clientId }, { weight: 1, arbitrary: fc.constant('p-1/AccidentSegmentEntered/seg-g104') }, { weight: 1, arbitrary: fc.constant('x'.repeat(200)) });
/** Entity ids: any text of 1–128 code points, astral characters included (128 of them is 256 UTF-16 units). */
const identifier = fc.oneof(
  { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }) },
  { weight: 1, arbitrary: fc.constantFrom('浙J12345', 'V1', 'x'.repeat(128), astral.repeat(128), astral.repeat(64) + 'x'.repeat(64), 'x'.repeat(127) + astral) },
);
const text = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }));
const lon = fc.oneof(fc.double({ min: -180, max: 180, noNaN: true }), fc.constantFrom(-180, 180, 0, -0, 121.42));
const lat = fc.oneof(fc.double({ min: -90, max: 90, noNaN: true }), fc.constantFrom(-90, 90, 0, -0, 28.65));
const positive = fc.oneof(fc.double({ min: Number.MIN_VALUE, max: 1e12, noNaN: true }), fc.constantFrom(Number.MIN_VALUE, 1, 20_000, 1e308));

/** JSON values of every kind, for what no schema looks into (unknown keys, meta). */
const anyJson = fc.constantFrom<unknown>(null, true, 0, -1.5, 1e300, '', 'x', '😀', [], [1, 'a', null], {}, { a: { b: [1, { c: null }] } }, { __proto__: null, k: 1 });
/** Unknown keys a loose `data` keeps (never one of the schema's). */
const extras = fc.dictionary(fc.constantFrom('odometerKm', 'altitudeM', 'note', '0', 'x y', 'constructor', 'toString', 'valueOf'), anyJson, { maxKeys: 2 });

interface Shaped {
  required: Record<string, fc.Arbitrary<unknown>>;
  optional?: Record<string, fc.Arbitrary<unknown>>;
}

/** An object with its keys in any order, optional keys absent or present, and unknown keys. */
function looseObject({ required, optional = {} }: Shaped, withExtras = true): fc.Arbitrary<Json> {
  const optionalKeys = Object.keys(optional);
  return fc
    .record({
      req: fc.record(required),
      opt: fc.record(optional, { requiredKeys: [] }),
      extra: withExtras ? extras : fc.constant({}),
      order: fc.nat(),
    })
    .map(({ req, opt, extra, order }) => {
      const entries = [...Object.entries(extra).filter(([k]) => !(k in required) && !optionalKeys.includes(k)), ...Object.entries(req), ...Object.entries(opt)];
      // A permutation drawn from `order` (Fisher–Yates on a small LCG): cheaper than one arbitrary per key.
      let seed = order;
      for (let i = entries.length - 1; i > 0; i--) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const j = seed % (i + 1);
        [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
      }
      const out: Json = {};
      for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    });
}

const place = looseObject({ required: { name: text, lon, lat } });
const goodsItem = looseObject({
  required: {
    unNumber: fc.stringMatching(/^\d{4}$/),
    name: text,
    hazardClass: fc.constantFrom('1', '1.1', '1.6', '2', '2.1', '2.3', '3', '4.1', '4.3', '5.1', '5.2', '6.1', '6.2', '7', '8', '9'),
    quantityKg: positive,
  },
});

const route = looseObject(
  {
    required: { path: fc.array(fc.tuple(lon, lat), { minLength: 2, maxLength: 4 }) },
    optional: { toleranceM: fc.oneof(fc.double({ min: 1, max: 50_000, noNaN: true }), fc.constantFrom(500, 50_000)), datum: fc.constantFrom('WGS84', 'GCJ02') },
  },
  false,
);

/** `data` of each hot type, valid. */
export const validData: Record<string, fc.Arbitrary<Json>> = {
  VehiclePositionReported: looseObject({
    required: { vehicleId: identifier, lon, lat, speedKmh: fc.oneof(fc.double({ min: 0, max: 400, noNaN: true }), fc.constantFrom(0, 400, 42.5)) },
    optional: { headingDeg: fc.oneof(fc.double({ min: 0, max: 360, noNaN: true }), fc.constantFrom(0, 360)) },
  }),
  ConsignmentDeclared: looseObject({
    required: { waybillNo: identifier, consignorId: identifier, goods: fc.array(goodsItem, { minLength: 1, maxLength: 3 }), origin: place, destination: place },
    // The route is outside the compiled subset (tuples, an enum): present, zod decides.
    optional: { route },
  }),
  CarriageAssigned: looseObject({ required: { waybillNo: identifier, carrierId: identifier, vehicleId: identifier, driverId: identifier, escortId: identifier } }),
  LoadingCompleted: looseObject({ required: { waybillNo: identifier, vehicleId: identifier } }),
  UnloadingCompleted: looseObject({ required: { waybillNo: identifier, vehicleId: identifier } }),
  ConsignmentClosed: looseObject({ required: { waybillNo: identifier } }),
  ConsignmentCancelled: looseObject({ required: { waybillNo: identifier, reason: text } }),
};

const meta = fc.constantFrom<Json>({}, { source: 'jt808' }, { a: { b: [1] }, '0': null });

/** A valid event of `type`, envelope keys in any order, `schemaVersion` and `meta` sometimes present. */
export function validEvent(type: string): fc.Arbitrary<Json> {
  return looseObject({ required: { eventId, type: fc.constant(type), occurredAt: validTimestamp, data: validData[type] as fc.Arbitrary<Json> }, optional: { schemaVersion: fc.constant(1), meta } }, false);
}

const boundaryNumbers = [
  -180.0000001, 180.0000001, -90.0000001, 90.0000001, -1e-9, -0, 0, 1, 2, 1.5, 0.5, 360, 360.0000001, 400, 400.0000001, 200, 1_000, 1e21, 1e308, -1e308,
  Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE,
];
const hostileStrings = [
  '', ' ', 'a/b', 'p-1/x', 'a\u0000b', '\u0007', '\u007f', '\u0080', '\u0085', '\u009f', '\u00a0', 'a\nb', '\r', '\t', '\u2028',
  'x'.repeat(128), 'x'.repeat(129), astral.repeat(128), astral.repeat(129), 'x'.repeat(127) + astral, astral.repeat(64) + 'x'.repeat(65),
  'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(512), 'x'.repeat(513), astral.repeat(256), astral.repeat(257), 'é'.repeat(513),
  '\ud800', 'a\udc00b', '\udbff\udfff', '😀'.slice(0, 1),
  '2026-03-01T08:00:00+08:00', '2026-03-01T08:00:00', '2026-03-01T08:00Z', '2026-03-01T08:00:00.Z', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '0000-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T23:60:00Z',
  '2026-03-01T23:59:60Z', '2026-03-01T08:00:00+24:00', '2026-03-01T08:00:00+0800', '2026-03-01T08:00:00+08', '2026-03-01t08:00:00z',
  '2026-03-01T08:00:00.1234567890123Z', '2026-03-01 08:00:00Z', '+02026-03-01T08:00:00Z', '２０２６-03-01T08:00:00Z', '2026-03-01T08:00:00Z ',
  '1230', '123', '12345', '١٢٣٤', '3', '2.1', '4', '6.3', '1.7', '10',
  'VehiclePositionReported', 'ConsignmentDeclared', 'ZoneDesignated', 'AccidentSegmentEntered', 'VehicleTeleported', 'toString', '__proto__',
];

class Instance {
  readonly vehicleId = 'V1';
}

/** Values no event field should hold, and values at every field's boundary. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...boundaryNumbers) },
  { weight: 5, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, [], {}, [1, 2], { a: 1 }, [121.4, 28.6]) },
  { weight: 2, arbitrary: anyJson },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
);

/** What only a JavaScript caller can hand over. */
const jsOnlyValue: fc.Arbitrary<unknown> = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined, Symbol('s'), 10n, new Date(0), () => 1, Object.create(null) as object);

type Mutation =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'container'; at: number; kind: 'null-prototype' | 'instance' | 'symbol-key' | 'hidden-key' | 'own-proto' | 'array' };

const addedKey = fc.constantFrom('extra', 'eventid', 'Type', 'data ', 'constructor', 'toString', '__proto__', '0', 'schemaVersion', 'meta', 'headingDeg', 'lon');

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: jsOnlyValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: addedKey, value: fc.oneof(hostileValue, jsOnlyValue) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('container' as const), at: fc.nat(), kind: fc.constantFrom('null-prototype', 'instance', 'symbol-key', 'hidden-key', 'own-proto', 'array') }) },
);

/** A copy of a generated value: constants are shared between cases, and mutations must not reach them. */
function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value instanceof Date) return new Date(value.getTime());
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === null) return Object.assign(Object.create(null) as object, value);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Json = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: deepCopy((value as Json)[key]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Every (container, key) in the tree, the root's keys first. */
function slots(root: Json): [Json | unknown[], string][] {
  const out: [Json | unknown[], string][] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      out.push([node as Json, key]);
      visit((node as Json)[key]);
    }
  };
  visit(root);
  return out;
}

/** Every object in the tree, the root first. */
function containers(root: Json): Json[] {
  const out: Json[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    out.push(node as Json);
    for (const key of Object.keys(node)) visit((node as Json)[key]);
  };
  visit(root);
  return out;
}

function changeContainer(root: Json, target: Json, kind: Extract<Mutation, { op: 'container' }>['kind']): Json {
  const entries = Object.entries(target);
  let replacement: Json | unknown[];
  switch (kind) {
    case 'null-prototype':
      replacement = Object.assign(Object.create(null) as Json, target);
      break;
    case 'instance':
      replacement = Object.assign(new Instance() as unknown as Json, target);
      break;
    case 'symbol-key':
      (target as Record<symbol, unknown>)[Symbol('k')] = 1;
      return root;
    case 'hidden-key': {
      // The first key becomes an own property that `for…in` and the record schema do not see.
      const [first] = entries;
      if (first !== undefined) Object.defineProperty(target, first[0], { value: first[1], enumerable: false });
      return root;
    }
    case 'own-proto':
      Object.defineProperty(target, '__proto__', { value: { a: 1 }, enumerable: true, writable: true, configurable: true });
      return root;
    case 'array':
      replacement = entries.map(([, v]) => v);
      break;
  }
  if (target === root) return replacement as Json;
  for (const [parent, key] of slots(root)) if (parent[key as keyof typeof parent] === target) (parent as Json)[key] = replacement;
  return root;
}

function applyMutation(event: Json, m: Mutation): Json {
  if (event === null || typeof event !== 'object') return event;
  if (m.op === 'container' || m.op === 'add') {
    const all = containers(event);
    const target = all[m.at % Math.max(1, all.length)];
    if (target === undefined) return event;
    if (m.op === 'container') return changeContainer(event, target, m.kind);
    Object.defineProperty(target, m.key, { value: deepCopy(m.value), enumerable: true, writable: true, configurable: true });
    return event;
  }
  const all = slots(event);
  const slot = all[m.at % Math.max(1, all.length)];
  if (slot === undefined) return event;
  const [parent, key] = slot as [Json, string];
  if (m.op === 'delete') delete parent[key];
  else parent[key] = deepCopy(m.value);
  return event;
}

/** Text a JSON client could send for `value`, parsed back (drops undefined and symbols, NaN becomes null, keeps an own `__proto__`). */
function throughJson(value: Json): unknown {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  } catch {
    return value;
  }
  return text === undefined ? value : JSON.parse(text);
}

/**
 * A valid event of `type`, or one mutated one to three times; as JSON would carry it or as a
 * JavaScript object. Events and mutations are drawn by fast-check into pools first (`poolSize`
 * of each, from `seed`), and each case combines one event with up to three mutations: a draw
 * from fast-check costs tens of µs per value, and a hundred thousand cases per type would
 * otherwise take minutes.
 */
export function anyEvent(type: string, seed: number, poolSize = 5_000): fc.Arbitrary<unknown> {
  const events = fc.sample(validEvent(type), { numRuns: poolSize, seed });
  const mutations = fc.sample(mutation, { numRuns: poolSize, seed: seed + 1 });
  const pick = fc.nat(poolSize - 1);
  return fc
    .record({ event: pick, mutations: fc.array(pick, { minLength: 1, maxLength: 3 }), json: fc.boolean(), keepValid: fc.nat(2) })
    .map(({ event, mutations: picked, json, keepValid }) => {
      let out = deepCopy(events[event]) as Json;
      // A third stay valid; the rest are mutated.
      if (keepValid !== 0) for (const m of picked) out = applyMutation(out, mutations[m] as Mutation);
      return json ? throughJson(out) : out;
    });
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocationInput, RawTlv } from '../src/index.ts';
import {
  decodeFrame,
  decodeHeader,
  encodeBatchUpload,
  encodeHeader,
  encodeLocationBody,
  encodeLocationReport,
  encodePacket,
  encodeTerminalAck,
  FrameSplitter,
  fromHex,
  Jt808DecodeError,
  jt808ErrorKinds,
  parsePacket,
  SubpacketAssembler,
  toHex,
  unescapeFrame,
} from '../src/index.ts';
import { frameAround } from './support/frames.ts';
import { domainLocation2019, xtream, xtreamSubpackets } from './vectors/vectors.ts';

/**
 * Property tests over hostile input. The contract under test: decodeFrame returns a result
 * (never throws) and every error is a Jt808DecodeError with a known kind; anything else — a
 * TypeError, RangeError, an infinite loop — fails the run. ≥ 100,000 cases in total.
 */

let casesRun = 0;
const kinds = new Set<string>(jt808ErrorKinds);
const assembler = new SubpacketAssembler({ maxPending: 64, maxPendingBytes: 64 * 1024 });
let clock = 0;

/** Decode and assert the contract; returns the error kind or 'ok'. */
function decodeSafely(bytes: Uint8Array): string {
  const r = decodeFrame(bytes);
  if (!r.ok) {
    if (!(r.error instanceof Jt808DecodeError) || !kinds.has(r.error.kind)) throw new Error(`untyped error: ${String(r.error)}`);
    return r.error.kind;
  }
  if (r.value.kind === 'fragment') {
    const out = assembler.push(r.value.header, r.value.body, (clock += 10));
    if (out.kind === 'rejected' && !(out.error instanceof Jt808DecodeError)) throw new Error('untyped assembler error');
    if (assembler.pendingBytes > assembler.limits.maxPendingBytes || assembler.pendingCount > assembler.limits.maxPending) throw new Error('assembler over its bounds');
  }
  return 'ok';
}

function run<T>(arb: fc.Arbitrary<T>, numRuns: number, predicate: (t: T) => void): void {
  fc.assert(
    fc.property(arb, (t) => {
      casesRun++;
      predicate(t);
    }),
    { numRuns, seed: 808 + numRuns },
  );
}

const time2000 = Date.parse('2000-01-01T00:00:00+08:00') / 1000;
const time2099 = Date.parse('2099-12-31T23:59:59+08:00') / 1000;
const knownTlvIds = new Set([0x01, 0x02, 0x03, 0x30, 0x31]);

const rawTlv: fc.Arbitrary<RawTlv> = fc.record({
  id: fc.integer({ min: 0, max: 255 }).filter((id) => !knownTlvIds.has(id)),
  hex: fc.uint8Array({ maxLength: 24 }).map(toHex),
});

const locationInput: fc.Arbitrary<LocationInput> = fc.record({
  alarm: fc.integer({ min: 0, max: 0xffffffff }),
  status: fc.integer({ min: 0, max: 0xffffffff }).map((s) => (s & ~0b1100) >>> 0),
  latitude: fc.integer({ min: -90_000_000, max: 90_000_000 }).map((v) => v / 1e6),
  longitude: fc.integer({ min: -180_000_000, max: 180_000_000 }).map((v) => v / 1e6),
  altitudeM: fc.integer({ min: 0, max: 0xffff }),
  speedKmh: fc.integer({ min: 0, max: 0xffff }).map((v) => v / 10),
  direction: fc.integer({ min: 0, max: 359 }),
  timeMs: fc.integer({ min: time2000, max: time2099 }).map((s) => s * 1000),
  extras: fc.record(
    {
      mileageKm: fc.integer({ min: 0, max: 0xffffffff }).map((v) => v / 10),
      fuelL: fc.integer({ min: 0, max: 0xffff }).map((v) => v / 10),
      tachographSpeedKmh: fc.integer({ min: 0, max: 0xffff }).map((v) => v / 10),
      signalStrength: fc.integer({ min: 0, max: 255 }),
      satellites: fc.integer({ min: 0, max: 255 }),
      other: fc.array(rawTlv, { maxLength: 5 }),
    },
    { requiredKeys: [] },
  ),
});

const address = fc.record({
  flavour: fc.constantFrom('2013' as const, '2019' as const),
  phone: fc.stringMatching(/^[0-9]{1,12}$/),
  serial: fc.integer({ min: 0, max: 0xffff }),
});

const validFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(...[domainLocation2019, ...Object.values(xtream), ...xtreamSubpackets].map((v) => fromHex(v.hex))),
  fc.tuple(address, locationInput).map(([a, l]) => encodeLocationReport(a, l)),
  fc.tuple(address, fc.constantFrom(0 as const, 1 as const), fc.array(locationInput, { maxLength: 4 })).map(([a, t, ls]) => encodeBatchUpload(a, t, ls)),
);

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; byte: number }
  | { op: 'delete'; at: number }
  | { op: 'overwrite'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.constantFrom(0x7e, 0x7d, 0x00, 0xff, 0x01, 0x02) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

function mutate(src: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = src.slice();
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.op) {
      case 'flip':
        if (b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert': {
        const n = new Uint8Array(b.length + 1);
        n.set(b.subarray(0, at));
        n[at] = m.byte;
        n.set(b.subarray(at), at + 1);
        b = n;
        break;
      }
      case 'delete':
        b = Uint8Array.of(...b.subarray(0, at), ...b.subarray(at + 1));
        break;
      case 'overwrite':
        for (let i = 0; i < m.bytes.length && at + i < b.length; i++) b[at + i] = m.bytes[i]!;
        break;
      default: {
        const never: never = m;
        throw new Error(`unhandled mutation ${JSON.stringify(never)}`);
      }
    }
  }
  return b;
}

/** Header + body bytes of a valid frame (checksum dropped), so mutations can be re-checksummed. */
function contentOf(frame: Uint8Array): Uint8Array {
  const raw = unescapeFrame(frame, 1, frame.length - 1);
  return raw.slice(0, raw.length - 1);
}

describe('fuzz: random bytes', () => {
  it('decodeFrame returns a typed result for 25,000 random byte arrays', () => {
    run(fc.uint8Array({ maxLength: 300 }), 25_000, (bytes) => {
      decodeSafely(bytes);
    });
  });

  it('random header + body bytes with a correct checksum reach the body decoders and fail typed (20,000)', () => {
    const ids = fc.constantFrom(0x0001, 0x0002, 0x0003, 0x0100, 0x0102, 0x0200, 0x0704, 0x8001, 0x8100, 0x1234);
    run(fc.tuple(ids, fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 200 })), 20_000, ([id, props, rest]) => {
      const content = new Uint8Array(4 + rest.length);
      content.set([id >> 8, id & 0xff, props >> 8, props & 0xff]);
      content.set(rest, 4);
      decodeSafely(frameAround(content));
    });
  });

  it('the splitter stays within maxFrameBytes and every frame it yields decodes typed (10,000 streams)', () => {
    run(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }), 10_000, (chunks) => {
      const s = new FrameSplitter({ maxFrameBytes: 128 });
      for (const chunk of chunks) {
        for (const item of s.push(chunk)) {
          if (item.kind === 'frame') decodeSafely(item.bytes);
          else if (item.error.kind !== 'frame-too-large') throw new Error(`unexpected splitter error ${item.error.kind}`);
        }
        if (s.buffered > 128) throw new Error('splitter buffer over its bound');
      }
    });
  });
});

describe('fuzz: mutated valid frames', () => {
  it('bit flips, truncations, insertions, deletions and overwrites on the wire give typed errors (20,000)', () => {
    run(fc.tuple(validFrame, fc.array(mutation, { minLength: 1, maxLength: 4 })), 20_000, ([frame, ms]) => {
      decodeSafely(mutate(frame, ms));
    });
  });

  it('mutations behind a recomputed checksum give typed errors from the header and body decoders (15,000)', () => {
    run(fc.tuple(validFrame, fc.array(mutation, { minLength: 1, maxLength: 3 })), 15_000, ([frame, ms]) => {
      decodeSafely(frameAround(mutate(contentOf(frame), ms)));
    });
  });

  it('a frame split at random points through the splitter decodes to the same message (3,000)', () => {
    run(fc.tuple(validFrame, fc.array(fc.nat(), { maxLength: 5 })), 3_000, ([frame, cuts]) => {
      const points = [...new Set(cuts.map((c) => c % (frame.length + 1)))].sort((a, b) => a - b);
      const s = new FrameSplitter();
      const items = [0, ...points].flatMap((p, i, all) => s.push(frame.subarray(p, all[i + 1] ?? frame.length)));
      expect(items).toHaveLength(1);
      const item = items[0]!;
      if (item.kind !== 'frame') throw new Error('expected a frame');
      expect(toHex(item.bytes)).toBe(toHex(frame.subarray(1, -1)));
    });
  });
});

describe('fuzz: location round trip', () => {
  it('encodeLocationReport → decodeFrame reproduces every field exactly (12,000)', () => {
    run(fc.tuple(address, locationInput), 12_000, ([a, l]) => {
      const r = decodeFrame(encodeLocationReport(a, l));
      if (!r.ok) throw r.error;
      if (r.value.kind !== 'message' || r.value.message.type !== 'location') throw new Error('not a location');
      const m = r.value.message;
      const signBits = (l.latitude < 0 ? 0b0100 : 0) | (l.longitude < 0 ? 0b1000 : 0);
      expect(r.value.header).toMatchObject({ flavour: a.flavour, serial: a.serial, phone: a.phone.padStart(a.flavour === '2013' ? 12 : 20, '0') });
      expect(m).toEqual({
        type: 'location',
        backfilled: false,
        alarm: expect.objectContaining({ raw: l.alarm }),
        status: expect.objectContaining({ raw: (l.status | signBits) >>> 0, south: l.latitude < 0, west: l.longitude < 0 }),
        latitude: l.latitude,
        longitude: l.longitude,
        altitudeM: l.altitudeM,
        speedKmh: l.speedKmh,
        direction: l.direction,
        time: new Date(l.timeMs).toISOString(),
        timeMs: l.timeMs,
        extras: {
          mileageKm: l.extras?.mileageKm,
          fuelL: l.extras?.fuelL,
          tachographSpeedKmh: l.extras?.tachographSpeedKmh,
          signalStrength: l.extras?.signalStrength,
          satellites: l.extras?.satellites,
          other: l.extras?.other ?? [],
        },
      });
    });
  });

  it('0x0704 batches round-trip with the back-fill flag following the batch type (3,000)', () => {
    run(fc.tuple(address, fc.constantFrom(0 as const, 1 as const), fc.array(locationInput, { maxLength: 5 })), 3_000, ([a, t, ls]) => {
      const r = decodeFrame(encodeBatchUpload(a, t, ls));
      if (!r.ok) throw r.error;
      if (r.value.kind !== 'message' || r.value.message.type !== 'batch-upload') throw new Error('not a batch');
      const reports = r.value.message.reports;
      expect(reports.map((x) => [x.latitude, x.longitude, x.timeMs, x.backfilled])).toEqual(ls.map((l) => [l.latitude, l.longitude, l.timeMs, t === 1]));
    });
  });
});

describe('fuzz: what terminals really send', () => {
  // All zeros (no fix yet), 0xFF (erased flash), and anything else: the report must still decode.
  const timeBytes = fc.oneof(
    fc.constant(Uint8Array.of(0, 0, 0, 0, 0, 0)),
    fc.constant(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
    fc.uint8Array({ minLength: 6, maxLength: 6 }),
    fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map(
      (fields) => Uint8Array.from(fields, (v) => Math.floor(v / 10) * 16 + (v % 10)),
    ),
  );

  it('a 0x0200 decodes whatever its six time bytes are; the time is there exactly when they are a calendar time (10,000)', () => {
    run(fc.tuple(address, locationInput, timeBytes), 10_000, ([a, l, t]) => {
      const body = encodeLocationBody(l);
      body.set(t, 22);
      const r = decodeFrame(encodePacket({ messageId: 0x0200, flavour: a.flavour, phone: a.phone, serial: a.serial }, body));
      if (!r.ok) throw r.error;
      if (r.value.kind !== 'message' || r.value.message.type !== 'location') throw new Error('not a location');
      const m = r.value.message;
      const hex = toHex(t);
      if (m.timeMs === undefined) {
        expect(m.time).toBeUndefined();
        expect(m.rawTime).toBe(hex);
      } else {
        // A decoded time re-encodes to the same BCD bytes: nothing was guessed.
        const again = encodeLocationBody({ ...l, timeMs: m.timeMs });
        expect(toHex(again.subarray(22, 28))).toBe(hex);
        expect(m.time).toBe(new Date(m.timeMs).toISOString());
        expect(m.rawTime).toBeUndefined();
      }
      expect([m.latitude, m.longitude, m.speedKmh]).toEqual([l.latitude, l.longitude, l.speedKmh]);
    });
  });

  it('0x0001 terminal responses round-trip in both header editions (3,000)', () => {
    const ack = fc.record({ repliedSerial: fc.integer({ min: 0, max: 0xffff }), repliedMessageId: fc.integer({ min: 0, max: 0xffff }), result: fc.integer({ min: 0, max: 255 }) });
    run(fc.tuple(address, ack), 3_000, ([a, x]) => {
      const r = decodeFrame(encodeTerminalAck(a, x));
      if (!r.ok) throw r.error;
      expect(r.value.kind === 'message' && r.value.message).toEqual({ type: 'terminal-ack', ...x });
    });
  });

  it('parts of ids not reassembled, or announcing more parts than the limit, are never stored; pending stays in bounds (6,000 streams)', () => {
    const supported = new Set([0x0200, 0x0704]);
    const limits = { maxPending: 4, maxPendingBytes: 8 * 1024, maxParts: 256, staleAfterMs: 60_000 };
    const part = fc.record({
      messageId: fc.constantFrom(0x0200, 0x0704, 0x0801, 0x0900, 0x0100),
      phone: fc.constantFrom('13900000001', '13900000002'),
      total: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 250, max: 600 }), fc.constant(0xffff)),
      index: fc.nat(),
      length: fc.integer({ min: 0, max: 1023 }),
    });
    run(fc.array(part, { minLength: 1, maxLength: 24 }), 6_000, (parts) => {
      const asm = new SubpacketAssembler({ ...limits, messageIds: supported });
      let now = 0;
      for (const p of parts) {
        const index = (p.index % p.total) + 1;
        const header = decodeHeader(encodeHeader({ messageId: p.messageId, flavour: '2013', phone: p.phone, serial: index, subpacket: { total: p.total, index } }, p.length));
        const bytesBefore = asm.pendingBytes;
        const out = asm.push(header, new Uint8Array(p.length), (now += 10));
        if (!supported.has(p.messageId)) {
          expect(out.kind === 'rejected' && out.error.kind).toBe('unknown-message');
          expect(asm.pendingBytes).toBe(bytesBefore);
        } else if (p.total > limits.maxParts) {
          expect(out.kind === 'rejected' && out.error.kind).toBe('subpackage-limit');
          expect(asm.pendingBytes).toBe(bytesBefore);
        }
        if (asm.pendingBytes > limits.maxPendingBytes || asm.pendingCount > limits.maxPending) throw new Error('assembler over its bounds');
      }
    });
  });
});

describe('fuzz: bounded work on worst-case input', () => {
  it('a batch claiming 65,535 items in a tiny body fails fast with a typed error', () => {
    const content = fromHex('070400050139123443230001' + 'ffff000000'); // count 65535, type 0, first item of length 0
    const started = performance.now();
    const r = decodeFrame(frameAround(content));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.kind).toBe('truncated');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('a maximal body packed with empty TLVs decodes in bounded time', () => {
    const body = new Uint8Array(1023);
    body.set(parsePacket(fromHex(domainLocation2019.hex)).body.subarray(0, 28));
    for (let o = 28; o + 1 < body.length; o += 2) body[o] = 0xee;
    const head = fromHex('02000000000139123443230000');
    const content = new Uint8Array(12 + 1023 - 1);
    content.set(head.subarray(0, 12));
    content[2] = 0x03;
    content[3] = 0xfe;
    content.set(body.subarray(0, 1022), 12);
    const started = performance.now();
    const r = decodeFrame(frameAround(content));
    expect(r.ok && r.value.kind === 'message' && r.value.message.type === 'location' && r.value.message.extras.other.length).toBe(497);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('ran at least 100,000 generated cases in this file', () => {
    expect(casesRun).toBeGreaterThanOrEqual(100_000);
  });
});

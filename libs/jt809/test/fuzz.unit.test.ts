import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlarmReport, CipherKeys, DecodedFrame, Edition, FrameInput, Jt809FixInput, Jt809MessageInput, LinkMessage, VehicleRegistration } from '../src/index.ts';
import { crc16, decodeFrame, encodeFrame, encodeHeader, escapeFrame, FrameSplitter, fromHex, Jt809DecodeError, jt809ErrorKinds, MessageId, toHex, unescapeFrame } from '../src/index.ts';
import { frameAround } from './support/frames.ts';
import type { Vector } from './vectors/vectors.ts';
import { ch0ice, dotNetty, guoJian, smallChi } from './vectors/vectors.ts';

/**
 * Property tests. The contract under test: decodeFrame returns a result (never throws) and every
 * error is a Jt809DecodeError of a listed kind, whatever the bytes; and what encodeFrame writes,
 * decodeFrame reads back field for field. ≥ 100,000 generated cases in this file.
 */

let casesRun = 0;
const kinds = new Set<string>(jt809ErrorKinds);

/** Decode and assert the contract; returns the error kind or 'ok'. */
function decodeSafely(bytes: Uint8Array, link: { edition: Edition; keys?: CipherKeys | undefined }): string {
  const r = decodeFrame(bytes, link);
  if (r.ok) return 'ok';
  if (!(r.error instanceof Jt809DecodeError) || !kinds.has(r.error.kind)) throw new Error(`untyped error: ${String(r.error)}`);
  return r.error.kind;
}

function run<T>(arb: fc.Arbitrary<T>, numRuns: number, predicate: (t: T) => void): void {
  fc.assert(
    fc.property(arb, (t) => {
      casesRun++;
      predicate(t);
    }),
    { numRuns, seed: 809 + numRuns },
  );
}

const edition = fc.constantFrom<Edition>('2011', '2019');
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const cipherKeys: fc.Arbitrary<CipherKeys> = fc.record({ m1: u32, ia1: u32, ic1: u32 });
const linkKeys = fc.option(cipherKeys, { nil: undefined });

/** GBK text of at most `maxBytes` bytes (ASCII is 1 byte, these CJK characters 2); no NUL, which pads fields. */
const cjk = [...'浙粤京沪苏陕辽赣测试报警超时停车台州椒江黄岩临海危险品运输挂学警使领'];
const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const gbkText = (maxBytes: number) =>
  fc.array(fc.oneof(fc.constantFrom(...ascii), fc.constantFrom(...cjk)), { maxLength: maxBytes }).map((chars) => {
    let bytes = 0;
    let s = '';
    for (const c of chars) {
      const n = c.charCodeAt(0) < 0x80 ? 1 : 2;
      if (bytes + n > maxBytes) break;
      bytes += n;
      s += c;
    }
    return s;
  });

const time2000 = Date.parse('2000-01-01T00:00:00+08:00') / 1000;
const time2099 = Date.parse('2099-12-31T23:59:59+08:00') / 1000;
const fixTimeMs = fc.integer({ min: time2000, max: time2099 }).map((s) => s * 1000);
const latitude = fc.integer({ min: -90_000_000, max: 90_000_000 }).map((v) => v / 1e6);
const longitude = fc.integer({ min: -180_000_000, max: 180_000_000 }).map((v) => v / 1e6);
const statusWord = u32.map((s) => (s & ~0b1100) >>> 0);

type Fix2011Input = Extract<Jt809FixInput, { layout: '2011' }>;
type Fix808Input = Extract<Jt809FixInput, { layout: 'jt808' }>;

const fix2011: fc.Arbitrary<Fix2011Input> = fc.record({
  layout: fc.constant('2011' as const),
  coordinatesEncrypted: fc.boolean(),
  timeMs: fixTimeMs,
  latitude,
  longitude,
  speedKmh: u16,
  recorderSpeedKmh: u16,
  mileageKm: u32,
  // Real values as well as any: a real direction, altitude and status word make the bytes look
  // like BCD digits often enough to catch a layout guess that relies on them.
  direction: fc.oneof(fc.integer({ min: 0, max: 359 }), u16),
  altitudeM: fc.oneof(fc.integer({ min: 0, max: 3000 }), u16),
  status: fc.oneof(fc.constantFrom(0, 2, 3, 0x40003, 0xc0003), statusWord),
  alarm: fc.oneof(fc.constant(0), u32),
});

const platformAlarm = fc.record({ platformId: gbkText(11), alarm: u32 });

const fix808: fc.Arbitrary<Fix808Input> = fc.record({
  layout: fc.constant('jt808' as const),
  coordinatesEncrypted: fc.boolean(),
  location: fc.record({
    alarm: u32,
    status: statusWord,
    latitude,
    longitude,
    altitudeM: u16,
    speedKmh: u16.map((v) => v / 10),
    direction: fc.integer({ min: 0, max: 359 }),
    timeMs: fixTimeMs,
    extras: fc.record(
      {
        mileageKm: u32.map((v) => v / 10),
        fuelL: u16.map((v) => v / 10),
        tachographSpeedKmh: u16.map((v) => v / 10),
        signalStrength: u8,
        satellites: u8,
      },
      { requiredKeys: [] },
    ),
  }),
  platformAlarms: fc.array(platformAlarm, { maxLength: 3 }),
});

const fixFor = (e: Edition): fc.Arbitrary<Jt809FixInput> => (e === '2011' ? fix2011 : fc.oneof(fix808, fix2011));

const registration = (e: Edition) =>
  e === '2019'
    ? fc.record({ kind: fc.constant('registration' as const), platformCode: gbkText(11), producerId: gbkText(11), terminalModel: gbkText(30), imei: gbkText(15), terminalId: gbkText(30), simCode: gbkText(13), modelWidth: fc.constant(30 as const) })
    : fc
        .record({ kind: fc.constant('registration' as const), platformCode: gbkText(11), producerId: gbkText(11), terminalModel: gbkText(8), imei: fc.constant(undefined), terminalId: gbkText(7), simCode: gbkText(12), modelWidth: fc.constantFrom(8 as const, 20 as const) })
        .chain((r) => (r.modelWidth === 20 ? gbkText(20).map((terminalModel) => ({ ...r, terminalModel })) : fc.constant(r)));

const otherData = (exclude: readonly number[]) => fc.record({ kind: fc.constant('other' as const), subType: u16.filter((t) => !exclude.includes(t)), bytes: fc.uint8Array({ maxLength: 64 }) });

const alarmReport = (e: Edition): fc.Arbitrary<AlarmReport> =>
  e === '2011'
    ? fc.record({ kind: fc.constant('alarm-report' as const), edition: fc.constant('2011' as const), warnSource: u8, warnType: u16, warnTime: u32, infoId: u32, info: gbkText(64) })
    : fc.record({
        kind: fc.constant('alarm-report' as const),
        edition: fc.constant('2019' as const),
        sourcePlatformId: gbkText(11),
        warnType: u16,
        warnTime: u32,
        startTime: u32,
        endTime: u32,
        plate: gbkText(21),
        plateColour: u8,
        destinationPlatformId: gbkText(11),
        lineId: u32,
        info: gbkText(64),
      });

const linkMessage = (e: Edition): fc.Arbitrary<LinkMessage> =>
  fc.oneof(
    fc.record({ type: fc.constant('login-request' as const), userId: u32, password: gbkText(8), accessCode: e === '2019' ? u32 : fc.constant(undefined), downLinkIp: gbkText(32), downLinkPort: u16 }),
    fc.record({ type: fc.constant('login-response' as const), result: u8, verifyCode: u32 }),
    fc.record({ type: fc.constant('logout-request' as const), userId: u32, password: gbkText(8) }),
    fc.record({ type: fc.constantFrom('logout-response' as const, 'heartbeat' as const, 'heartbeat-response' as const, 'down-heartbeat' as const, 'down-heartbeat-response' as const) }),
    fc.record({ type: fc.constantFrom('main-link-broken' as const, 'down-link-broken' as const, 'close-link' as const), code: u8 }),
    fc.record({ type: fc.constant('down-login-request' as const), verifyCode: u32 }),
    fc.record({ type: fc.constant('down-login-response' as const), result: u8 }),
  );

const message = (e: Edition): fc.Arbitrary<Jt809MessageInput> =>
  fc.oneof(
    { arbitrary: linkMessage(e), weight: 3 },
    {
      arbitrary: fc.record({
        type: fc.constant('vehicle-dynamic' as const),
        plate: gbkText(21),
        plateColour: u8,
        data: fc.oneof(
          fixFor(e).map((fix) => ({ kind: 'location' as const, fix })),
          fc.array(fixFor(e), { minLength: 1, maxLength: 5 }).map((fixes) => ({ kind: 'backfill' as const, fixes })),
          registration(e),
          otherData([0x1201, 0x1202, 0x1203]),
        ),
      }),
      weight: 5,
    },
    {
      arbitrary: fc.record({
        type: fc.constant('alarm' as const),
        plate: e === '2011' ? gbkText(21) : fc.constant(undefined),
        plateColour: e === '2011' ? u8 : fc.constant(undefined),
        data: fc.oneof(alarmReport(e), otherData([0x1402])),
      }),
      weight: 2,
    },
  );

const frameHeader = (e: Edition) =>
  fc.record({
    edition: fc.constant(e),
    serial: u32,
    centreId: u32,
    version: fc.tuple(u8, u8, u8),
    timeSeconds: fc.integer({ min: 0, max: 2 ** 40 }),
    keys: linkKeys,
    encryptKey: u32,
  });

const generated = edition.chain((e) => fc.tuple(frameHeader(e), message(e)));

/** What the decoder should give for a fix written from `f`. */
function expectedFix(f: Jt809FixInput, backfilled: boolean) {
  const signs = (lat: number, lon: number) => (lat < 0 ? 0b0100 : 0) | (lon < 0 ? 0b1000 : 0);
  if (f.layout === '2011') {
    return {
      layout: '2011',
      coordinatesEncrypted: f.coordinatesEncrypted === true,
      platformAlarms: f.platformAlarms ?? [],
      report: expect.objectContaining({
        backfilled,
        latitude: f.latitude,
        longitude: f.longitude,
        speedKmh: f.speedKmh,
        direction: f.direction,
        altitudeM: f.altitudeM,
        timeMs: f.timeMs,
        time: new Date(f.timeMs).toISOString(),
        status: expect.objectContaining({ raw: (f.status | signs(f.latitude, f.longitude)) >>> 0 }),
        alarm: expect.objectContaining({ raw: f.alarm }),
        extras: expect.objectContaining({ mileageKm: f.mileageKm ?? 0, tachographSpeedKmh: f.recorderSpeedKmh ?? 0 }),
      }),
    };
  }
  const l = f.location;
  return {
    layout: 'jt808',
    coordinatesEncrypted: f.coordinatesEncrypted === true,
    platformAlarms: (f.platformAlarms ?? []).filter((a) => a.platformId !== '' || a.alarm !== 0),
    report: expect.objectContaining({
      backfilled,
      latitude: l.latitude,
      longitude: l.longitude,
      speedKmh: l.speedKmh,
      direction: l.direction,
      altitudeM: l.altitudeM,
      timeMs: l.timeMs,
      status: expect.objectContaining({ raw: (l.status | signs(l.latitude, l.longitude)) >>> 0 }),
      alarm: expect.objectContaining({ raw: l.alarm }),
      extras: { mileageKm: l.extras?.mileageKm, fuelL: l.extras?.fuelL, tachographSpeedKmh: l.extras?.tachographSpeedKmh, signalStrength: l.extras?.signalStrength, satellites: l.extras?.satellites, other: [] },
    }),
  };
}

/** What the decoder should give for a message written from `m` in `e`. */
function expectedMessage(m: Jt809MessageInput, e: Edition): unknown {
  switch (m.type) {
    case 'vehicle-dynamic': {
      const d = m.data;
      const base = { type: m.type, plate: m.plate, plateColour: m.plateColour };
      if (d.kind === 'location') return { ...base, subType: 0x1202, data: { kind: 'location', fix: expectedFix(d.fix as Jt809FixInput, false) } };
      if (d.kind === 'backfill') return { ...base, subType: 0x1203, data: { kind: 'backfill', fixes: d.fixes.map((f) => expectedFix(f as Jt809FixInput, true)) } };
      if (d.kind === 'registration') return { ...base, subType: 0x1201, data: { ...d, modelWidth: (d as VehicleRegistration).modelWidth ?? (e === '2019' ? 30 : 20) } };
      return { ...base, subType: d.subType, data: d };
    }
    case 'alarm':
      return { ...m, subType: m.data.kind === 'other' ? m.data.subType : 0x1402 };
    default:
      return m;
  }
}

type Mutation = { op: 'flip'; at: number; bit: number } | { op: 'truncate'; at: number } | { op: 'insert'; at: number; byte: number } | { op: 'delete'; at: number } | { op: 'overwrite'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.constantFrom(0x5a, 0x5b, 0x5d, 0x5e, 0x00, 0xff, 0x01, 0x02) }),
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
      case 'insert':
        b = Uint8Array.of(...b.subarray(0, at), m.byte, ...b.subarray(at));
        break;
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

/** Published frames that decode as they are, with the link each belongs to. */
const published: Vector[] = [...Object.values(smallChi), ...Object.values(dotNetty), ch0ice.login2011, ch0ice.heartbeat2011, ch0ice.registration2011, guoJian.mainLinkBroken];
const validFrame = fc.oneof(
  fc.constantFrom(...published).map((v) => ({ bytes: fromHex(v.hex), link: { edition: v.edition, keys: v.keys } })),
  generated.map(([h, m]) => ({ bytes: encodeFrame(h, m), link: { edition: h.edition, keys: h.keys } })),
);

/** Header + body of a valid frame, CRC dropped, so mutations can be re-checked. */
function contentOf(frame: Uint8Array): Uint8Array {
  const raw = unescapeFrame(frame, 1, frame.length - 1);
  return raw.slice(0, raw.length - 2);
}

describe('fuzz: encode → decode round trip', () => {
  it('every generated message of every type, in both editions, clear or encrypted, decodes to what was encoded (15,000)', () => {
    run(generated, 15_000, ([h, m]) => {
      const frame = encodeFrame(h as FrameInput, m);
      const r = decodeFrame(frame, { edition: h.edition, keys: h.keys });
      if (!r.ok) throw r.error;
      const v: DecodedFrame = r.value;
      expect(v.header).toEqual({
        edition: h.edition,
        length: unescapeFrame(frame, 1, frame.length - 1).length + 2,
        serial: h.serial,
        messageId: v.header.messageId,
        centreId: h.centreId,
        version: h.version.join('.'),
        encrypted: h.keys !== undefined,
        encryptKey: h.encryptKey,
        timeSeconds: h.edition === '2019' ? h.timeSeconds : undefined,
        size: h.edition === '2019' ? 30 : 22,
      });
      expect(v.message).toEqual(expectedMessage(m, h.edition));
    });
  });

  it('a frame split at random points through the splitter comes out whole and decodes to the same message (3,000)', () => {
    run(fc.tuple(validFrame, fc.array(fc.nat(), { maxLength: 6 })), 3_000, ([{ bytes, link }, cuts]) => {
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const s = new FrameSplitter();
      const items = [0, ...points].flatMap((p, i, all) => s.push(bytes.subarray(p, all[i + 1] ?? bytes.length)));
      expect(items.map((i) => i.kind)).toEqual(['frame']);
      const item = items[0]!;
      if (item.kind !== 'frame') throw new Error('expected a frame');
      expect(toHex(item.bytes)).toBe(toHex(bytes.subarray(1, -1)));
      expect(decodeFrame(item.bytes, link)).toEqual(decodeFrame(bytes, link));
    });
  });
});

describe('fuzz: hostile input gives only typed errors', () => {
  it('random bytes, with and without flags, under either edition and with or without keys (25,000)', () => {
    run(fc.tuple(fc.uint8Array({ maxLength: 300 }), edition, linkKeys, fc.boolean()), 25_000, ([bytes, e, keys, flagged]) => {
      decodeSafely(flagged ? escapeFrame(bytes) : bytes, { edition: e, keys });
    });
  });

  it('random bodies behind a correct header and CRC reach every body decoder and fail typed (20,000)', () => {
    const ids = fc.constantFrom(0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1006, 0x1007, 0x1200, 0x1400, 0x9001, 0x9002, 0x9005, 0x9006, 0x9007, 0x9008, 0x1300);
    // 0x1200 / 0x1400 bodies with a consistent envelope, so the sub-body decoders see random data.
    const envelope = fc.tuple(fc.uint8Array({ minLength: 22, maxLength: 22 }), fc.constantFrom(0x1201, 0x1202, 0x1203, 0x1402, 0x1299), fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(36, 49, 61, 110, 181).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))));
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      envelope.map(([plate, sub, data]) => Uint8Array.of(...plate, sub >> 8, sub & 0xff, 0, 0, data.length >> 8, data.length & 0xff, ...data)),
      envelope.map(([, sub, data]) => Uint8Array.of(sub >> 8, sub & 0xff, 0, 0, data.length >> 8, data.length & 0xff, ...data)),
      // A 2019 fix with a random GNSS_DATA of a plausible length and random platform alarms.
      fc.tuple(fc.uint8Array({ minLength: 22, maxLength: 22 }), fc.integer({ min: 0, max: 60 })).chain(([plate, n]) =>
        fc.uint8Array({ minLength: n + 45, maxLength: n + 45 }).map((rest) => Uint8Array.of(...plate, 0x12, 0x02, 0, 0, 0, 5 + rest.length, 0, 0, 0, 0, n, ...rest)),
      ),
    );
    const seen = new Map<string, number>();
    run(fc.tuple(edition, ids, body, fc.option(cipherKeys, { nil: undefined }), u32), 20_000, ([e, id, b, keys, key]) => {
      const head = encodeHeader({ edition: e, serial: 1, messageId: id, centreId: 1, timeSeconds: 0 }, b.length, keys !== undefined, key);
      const kind = decodeSafely(frameAround(Uint8Array.of(...head, ...b)), { edition: e, keys });
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
    });
    // The body decoders were reached: some bodies decode, others fail in each way a body can.
    for (const kind of ['ok', 'truncated', 'length-mismatch', 'unknown-message']) expect(seen.get(kind) ?? 0).toBeGreaterThan(500);
    expect(seen.get('bad-value') ?? 0).toBeGreaterThan(5);
  });

  it('bit flips, truncations, insertions, deletions and overwrites on the wire give typed errors (20,000)', () => {
    run(fc.tuple(validFrame, fc.array(mutation, { minLength: 1, maxLength: 4 })), 20_000, ([{ bytes, link }, ms]) => {
      decodeSafely(mutate(bytes, ms), link);
    });
  });

  it('mutations behind a recomputed CRC give typed errors from the header and body decoders (15,000)', () => {
    run(fc.tuple(validFrame, fc.array(mutation, { minLength: 1, maxLength: 3 })), 15_000, ([{ bytes, link }, ms]) => {
      const content = mutate(contentOf(bytes), ms);
      // Keep MSG_LENGTH true to the mutated content half of the time, so the body decoders are reached.
      if (content.length >= 4 && ms.length % 2 === 0) new DataView(content.buffer, content.byteOffset).setUint32(0, content.length + 4);
      decodeSafely(frameAround(content), link);
    });
  });

  it('the splitter stays within maxFrameBytes and every frame it yields decodes typed (5,000 streams)', () => {
    const chunk = fc.oneof(fc.uint8Array({ maxLength: 200 }), validFrame.map((v) => v.bytes));
    run(fc.tuple(fc.array(chunk, { maxLength: 8 }), edition), 5_000, ([chunks, e]) => {
      const s = new FrameSplitter({ maxFrameBytes: 128 });
      for (const c of chunks) {
        for (const item of s.push(c)) {
          if (item.kind === 'frame') decodeSafely(item.bytes, { edition: e });
          else if (!(item.error instanceof Jt809DecodeError) || !['frame-too-large', 'truncated'].includes(item.error.kind)) throw new Error(`unexpected splitter error ${String(item.error)}`);
        }
        if (s.buffered > 128) throw new Error('splitter buffer over its bound');
      }
    });
  });

  it('the splitter yields exactly what a byte-at-a-time model of its rules yields, for any stream cut anywhere, Buffer or Uint8Array (5,000 streams)', () => {
    // Streams rich in flags and escape bytes, cut into chunks that may be views at an offset or Node Buffers.
    // Flags one byte in 3 to one in 80, so frames run from empty to beyond the size limit, and some end exactly at it.
    const byte = (flagOdds: number) =>
      fc.oneof({ weight: 1, arbitrary: fc.constantFrom(0x5b, 0x5d) }, { weight: flagOdds, arbitrary: fc.constantFrom(0x5a, 0x5e, 0x01, 0x02) }, { weight: flagOdds, arbitrary: u8.filter((b) => b !== 0x5b && b !== 0x5d) });
    const exactFrame = fc.integer({ min: 32, max: 40 }).map((n) => [0x5b, ...Array.from({ length: n }, (_, i) => i + 1), 0x5d]);
    const bytesOf = fc.constantFrom(1, 5, 40).chain((odds) => fc.array(fc.oneof({ weight: 20, arbitrary: byte(odds).map((b) => [b]) }, { weight: 1, arbitrary: exactFrame }), { maxLength: 400 })).map((parts) => parts.flat());
    const stream = fc.tuple(bytesOf, fc.array(fc.nat(), { maxLength: 8 }), fc.constantFrom('view', 'buffer', 'plain'), fc.integer({ min: 32, max: 40 }));
    run(stream, 5_000, ([bytes, cuts, form, max]) => {
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...points].map((p, i, all) => {
        const part = bytes.slice(p, all[i + 1] ?? bytes.length);
        if (form === 'buffer') return Buffer.from(part);
        if (form === 'view') return Uint8Array.of(0x5b, 0x5d, ...part, 0x5b).subarray(2, 2 + part.length);
        return Uint8Array.from(part);
      });
      // The model: the documented rules, one byte at a time.
      const expected: string[] = [];
      const stats = { frames: 0, garbageBytes: 0, oversizedFrames: 0, cutFrames: 0 };
      let inFrame = false;
      let over = false;
      let held: number[] = [];
      for (const b of bytes) {
        if (!inFrame) {
          if (b === 0x5b) [inFrame, over, held] = [true, false, []];
          else stats.garbageBytes++;
        } else if (b === 0x5d) {
          if (!over && held.length > 0) {
            stats.frames++;
            expected.push(`frame ${toHex(Uint8Array.from(held))}`);
          }
          [inFrame, held] = [false, []];
        } else if (b === 0x5b) {
          if (!over) {
            stats.cutFrames++;
            expected.push('error truncated');
          }
          [over, held] = [false, []];
        } else if (!over) {
          if (held.length === max) {
            stats.oversizedFrames++;
            expected.push('error frame-too-large');
            [over, held] = [true, []];
          } else held.push(b);
        }
      }
      const s = new FrameSplitter({ maxFrameBytes: max });
      const items = chunks.flatMap((c) => s.push(c));
      // Read only after every push: a later chunk must not have changed an earlier frame.
      expect(items.map((i) => (i.kind === 'frame' ? `frame ${toHex(i.bytes)}` : `error ${i.error.kind}`))).toEqual(expected);
      expect(s.stats).toEqual(stats);
      expect(s.buffered).toBe(held.length);
    });
  });
});

describe('fuzz: bounded work on worst-case input', () => {
  it('a 0x1203 claiming 255 fixes in a tiny body fails fast with a typed error', () => {
    const body = Uint8Array.of(...new Uint8Array(22), 0x12, 0x03, 0, 0, 0, 2, 0xff, 0);
    const head = encodeHeader({ edition: '2019', serial: 1, messageId: MessageId.vehicleDynamic, centreId: 1, timeSeconds: 0 }, body.length, false, 0);
    const started = performance.now();
    const r = decodeFrame(frameAround(Uint8Array.of(...head, ...body)), { edition: '2019' });
    expect(!r.ok && r.error.kind).toBe('truncated');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('an 8 KiB frame of escape pairs decodes (or fails) in bounded time', () => {
    const content = new Uint8Array(4096).fill(0x5a);
    const frame = escapeFrame(content);
    expect(frame.length).toBe(8194);
    const started = performance.now();
    expect(decodeSafely(frame, { edition: '2011' })).not.toBe('ok');
    expect(performance.now() - started).toBeLessThan(50);
    expect(crc16(content)).toBeTypeOf('number');
  });

  it('ran at least 100,000 generated cases in this file', () => {
    expect(casesRun).toBeGreaterThanOrEqual(100_000);
  });
});

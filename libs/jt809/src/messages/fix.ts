import type { LocationInput, LocationReport, RawTlv } from '@dgt/jt808';
import { Jt808DecodeError, Jt808EncodeError, alarmFlags, decodeLocationBody, encodeLocationBody, statusFlags } from '@dgt/jt808';
import { checkInt, need, putText, putU16, putU32, text, toHex, u16, u32 } from '../bytes.ts';
import { chinaTimeFields, chinaTimeIso, chinaTimeMs } from '../chinaTime.ts';
import { Jt809DecodeError, Jt809EncodeError } from '../errors.ts';
import type { Edition } from '../header.ts';

/** Another platform's alarm state carried by a 2019 fix (PLATFORM_ID1..3 / ALARM1..3). */
export interface PlatformAlarm {
  readonly platformId: string;
  readonly alarm: number;
}

/**
 * One fix, whichever layout carried it, as a JT/T 808 location report (the 2011 fields map onto
 * it: VEC1 → speed, VEC2 → tachograph speed, VEC3 → mileage; STATE and ALARM are 808's DWORDs).
 */
export interface Jt809Fix {
  /** '2011': the 36-byte fix of JT/T 809-2011 (also sent, without its encrypt byte, inside 2019 frames by some platforms); 'jt808': a JT/T 808 0x0200 body (2019). */
  readonly layout: '2011' | 'jt808';
  /** ENCRYPT: the coordinates went through the national map-obfuscation plug-in (GCJ-02), not WGS-84. */
  readonly coordinatesEncrypted: boolean;
  readonly report: LocationReport;
  /** 2019: the non-empty PLATFORM_ID / ALARM entries. */
  readonly platformAlarms: readonly PlatformAlarm[];
}

/** A fix to encode: the 2011 fields, or a JT/T 808 location for a 2019 GNSS_DATA. */
export type Jt809FixInput =
  | {
      readonly layout: '2011';
      readonly coordinatesEncrypted?: boolean;
      readonly timeMs: number;
      readonly latitude: number;
      readonly longitude: number;
      /** VEC1, whole km/h. */
      readonly speedKmh: number;
      /** VEC2 (tachograph), whole km/h. */
      readonly recorderSpeedKmh?: number;
      /** VEC3, whole km. */
      readonly mileageKm?: number;
      readonly direction: number;
      readonly altitudeM: number;
      /** 808 status DWORD; bits 2/3 (south/west) follow the coordinate signs. */
      readonly status: number;
      readonly alarm: number;
      readonly platformAlarms?: readonly PlatformAlarm[];
    }
  | { readonly layout: 'jt808'; readonly coordinatesEncrypted?: boolean; readonly location: LocationInput; readonly platformAlarms?: readonly PlatformAlarm[] };

/** The 2011 fix without its leading ENCRYPT byte. */
export const FIX_2011_BYTES = 35;
const NO_ALARMS: readonly PlatformAlarm[] = Object.freeze([]);
const NO_TLVS: readonly RawTlv[] = Object.freeze([]);
const PLATFORM_ALARMS_BYTES = 3 * (11 + 4);
const MAX_LAT_MICRO = 90_000_000;
const MAX_LON_MICRO = 180_000_000;

/** The 35 bytes at bytes[o] (DATE, TIME, LON, LAT, VEC1–3, DIRECTION, ALTITUDE, STATE, ALARM) as a report. */
function decode2011Fields(bytes: Uint8Array, o: number, backfilled: boolean): LocationReport {
  const year = u16(bytes, o + 2);
  const month = bytes[o + 1]!;
  const day = bytes[o]!;
  const hour = bytes[o + 4]!;
  const minute = bytes[o + 5]!;
  const second = bytes[o + 6]!;
  const timeMs = chinaTimeMs(year, month, day, hour, minute, second);
  const lonMicro = u32(bytes, o + 7);
  const latMicro = u32(bytes, o + 11);
  if (latMicro > MAX_LAT_MICRO) throw new Jt809DecodeError('bad-value', `latitude ${latMicro / 1e6} exceeds 90°`);
  if (lonMicro > MAX_LON_MICRO) throw new Jt809DecodeError('bad-value', `longitude ${lonMicro / 1e6} exceeds 180°`);
  const status = statusFlags(u32(bytes, o + 27));
  const report: LocationReport = {
    type: 'location',
    backfilled,
    alarm: alarmFlags(u32(bytes, o + 31)),
    status,
    // Magnitudes as in JT/T 808, signed by the status's south/west bits.
    latitude: status.south && latMicro !== 0 ? -latMicro / 1e6 : latMicro / 1e6,
    longitude: status.west && lonMicro !== 0 ? -lonMicro / 1e6 : lonMicro / 1e6,
    altitudeM: u16(bytes, o + 25),
    speedKmh: u16(bytes, o + 15),
    direction: u16(bytes, o + 23),
    time: timeMs === undefined ? undefined : chinaTimeIso(year, month, day, hour, minute, second),
    timeMs,
    extras: { mileageKm: u32(bytes, o + 19), fuelL: undefined, tachographSpeedKmh: u16(bytes, o + 17), signalStrength: undefined, satellites: undefined, other: NO_TLVS },
  };
  return timeMs === undefined ? { ...report, rawTime: toHex(bytes.subarray(o, o + 7)) } : report;
}

/** Is bytes[o, o + 35) a 2011-layout fix with a real calendar time? (Recognises the legacy form inside 2019 frames.) */
function looksLike2011(bytes: Uint8Array, o: number): boolean {
  return chinaTimeMs(u16(bytes, o + 2), bytes[o + 1]!, bytes[o]!, bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!) !== undefined;
}

/** A 2011 fix (36 bytes: ENCRYPT + the fields) at bytes[o]. */
function decodeFix2011(bytes: Uint8Array, o: number, backfilled: boolean): Jt809Fix {
  const encrypt = bytes[o]!;
  if (encrypt > 1) throw new Jt809DecodeError('bad-value', `fix encrypt flag ${encrypt} is neither 0 nor 1`);
  return { layout: '2011', coordinatesEncrypted: encrypt === 1, report: decode2011Fields(bytes, o + 1, backfilled), platformAlarms: NO_ALARMS };
}

function platformAlarms(bytes: Uint8Array, o: number): readonly PlatformAlarm[] {
  let out: PlatformAlarm[] | undefined;
  for (let i = 0; i < 3; i++) {
    const at = o + i * 15;
    const platformId = text(bytes, at, 11);
    const alarm = u32(bytes, at + 11);
    if (platformId !== '' || alarm !== 0) (out ??= []).push({ platformId, alarm });
  }
  return out ?? NO_ALARMS;
}

/**
 * A 2019 fix at bytes[o, end): ENCRYPT, GNSS_DATA length, GNSS_DATA, three platform alarms.
 * Returns the fix and where it ends (0x1203 packs several). GNSS_DATA is a JT/T 808 0x0200 body
 * (decoded by @dgt/jt808). A 35-byte GNSS_DATA whose first seven bytes are a 2011-layout
 * calendar time is the 2011 fix without its ENCRYPT byte: real 2019 platforms send that (a frame
 * published with SmallChi/JT809 does), so it is read as such rather than refused. In an 808 body
 * those bytes are the alarm DWORD and three status bytes; reading as a date in 2000–2099 would
 * take alarm bits among 24–28 (reserved, illegal ignition or displacement) together with half a
 * dozen device faults in bits 4–10, which no terminal reports. (An earlier extra condition, "no
 * BCD time at offset 22", misread about 1 in 90 real 2011 fixes whose mileage, direction and
 * altitude bytes happen to be BCD digits, e.g. heading 272°.)
 */
function decodeFix2019(bytes: Uint8Array, o: number, end: number, backfilled: boolean): { fix: Jt809Fix; next: number } {
  need(bytes, o, 5, end, '2019 fix header');
  const encrypt = bytes[o]!;
  if (encrypt > 1) throw new Jt809DecodeError('bad-value', `fix encrypt flag ${encrypt} is neither 0 nor 1`);
  const length = u32(bytes, o + 1);
  const dataAt = o + 5;
  if (length > end - dataAt) throw new Jt809DecodeError('truncated', `GNSS_DATA declares ${length} bytes, ${end - dataAt} left`);
  const alarmsAt = dataAt + length;
  need(bytes, alarmsAt, PLATFORM_ALARMS_BYTES, end, '2019 fix platform alarms');
  let fix: Jt809Fix;
  const legacy = length === FIX_2011_BYTES && looksLike2011(bytes, dataAt);
  if (legacy) {
    fix = { layout: '2011', coordinatesEncrypted: encrypt === 1, report: decode2011Fields(bytes, dataAt, backfilled), platformAlarms: platformAlarms(bytes, alarmsAt) };
  } else {
    let report: LocationReport;
    try {
      report = decodeLocationBody(bytes, dataAt, alarmsAt, backfilled);
    } catch (e) {
      // The embedded body's errors become this codec's (its kinds here are truncated and bad-value).
      if (e instanceof Jt808DecodeError) throw new Jt809DecodeError(e.kind === 'bad-value' ? 'bad-value' : 'truncated', `GNSS_DATA: ${e.detail}`);
      throw e;
    }
    fix = { layout: 'jt808', coordinatesEncrypted: encrypt === 1, report, platformAlarms: platformAlarms(bytes, alarmsAt) };
  }
  return { fix, next: alarmsAt + PLATFORM_ALARMS_BYTES };
}

/** 0x1202 body. */
export function decodeRealtimeFix(bytes: Uint8Array, start: number, end: number, edition: Edition): Jt809Fix {
  if (edition === '2011') {
    if (end - start !== FIX_2011_BYTES + 1) throw lengthError('0x1202 (2011)', FIX_2011_BYTES + 1, end - start);
    return decodeFix2011(bytes, start, false);
  }
  const { fix, next } = decodeFix2019(bytes, start, end, false);
  if (next !== end) throw new Jt809DecodeError('length-mismatch', `0x1202 (2019) has ${end - next} byte(s) after its fix`);
  return fix;
}

/** 0x1203 body: GNSS_CNT then that many fixes, all flagged as back-filled. */
export function decodeBackfillFixes(bytes: Uint8Array, start: number, end: number, edition: Edition): Jt809Fix[] {
  need(bytes, start, 1, end, '0x1203 count');
  const count = bytes[start]!;
  if (count === 0) throw new Jt809DecodeError('bad-value', '0x1203 carries no fix (GNSS_CNT 0)');
  const fixes: Jt809Fix[] = [];
  let o = start + 1;
  if (edition === '2011') {
    if (end - o !== count * (FIX_2011_BYTES + 1)) throw lengthError(`0x1203 (2011) of ${count} fixes`, count * (FIX_2011_BYTES + 1), end - o);
    for (let i = 0; i < count; i++, o += FIX_2011_BYTES + 1) fixes.push(decodeFix2011(bytes, o, true));
    return fixes;
  }
  for (let i = 0; i < count; i++) {
    const { fix, next } = decodeFix2019(bytes, o, end, true);
    fixes.push(fix);
    o = next;
  }
  if (o !== end) throw new Jt809DecodeError('length-mismatch', `0x1203 (2019) has ${end - o} byte(s) after its ${count} fixes`);
  return fixes;
}

function lengthError(what: string, expected: number, actual: number): Jt809DecodeError {
  return new Jt809DecodeError(actual < expected ? 'truncated' : 'length-mismatch', `${what} needs ${expected} bytes, has ${actual}`);
}

function scaled(name: string, v: number, scale: number, max: number): number {
  const n = Math.round(v * scale);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new Jt809EncodeError(`${name} ${v} is out of range`);
  return n;
}

/** The 35 2011-layout bytes of a fix (no ENCRYPT byte). */
function encode2011Fields(f: Extract<Jt809FixInput, { layout: '2011' }>): Uint8Array {
  const out = new Uint8Array(FIX_2011_BYTES);
  const [y, mo, d, h, mi, s] = chinaTimeFields(f.timeMs);
  out[0] = d;
  out[1] = mo;
  putU16(out, 2, y);
  out[4] = h;
  out[5] = mi;
  out[6] = s;
  putU32(out, 7, scaled('longitude', Math.abs(f.longitude), 1e6, MAX_LON_MICRO));
  putU32(out, 11, scaled('latitude', Math.abs(f.latitude), 1e6, MAX_LAT_MICRO));
  putU16(out, 15, scaled('speedKmh', f.speedKmh, 1, 0xffff));
  putU16(out, 17, scaled('recorderSpeedKmh', f.recorderSpeedKmh ?? 0, 1, 0xffff));
  putU32(out, 19, scaled('mileageKm', f.mileageKm ?? 0, 1, 0xffffffff));
  putU16(out, 23, checkInt('direction', f.direction, 0xffff));
  putU16(out, 25, checkInt('altitudeM', f.altitudeM, 0xffff));
  let status = checkInt('status', f.status, 0xffffffff) & ~0b1100;
  if (f.latitude < 0) status |= 0b0100;
  if (f.longitude < 0) status |= 0b1000;
  putU32(out, 27, status >>> 0);
  putU32(out, 31, checkInt('alarm', f.alarm, 0xffffffff));
  return out;
}

function encodePlatformAlarms(alarms: readonly PlatformAlarm[] | undefined): Uint8Array {
  const list = alarms ?? [];
  if (list.length > 3) throw new Jt809EncodeError(`a 2019 fix carries at most 3 platform alarms, got ${list.length}`);
  const out = new Uint8Array(PLATFORM_ALARMS_BYTES);
  list.forEach((a, i) => {
    putText(out, i * 15, 11, a.platformId, 'platformId');
    putU32(out, i * 15 + 11, checkInt('platform alarm', a.alarm, 0xffffffff));
  });
  return out;
}

/** The embedded JT/T 808 body; its encoder's errors become this codec's, so callers catch one class. */
function encodeJt808Location(location: LocationInput): Uint8Array {
  try {
    return encodeLocationBody(location);
  } catch (e) {
    if (e instanceof Jt808EncodeError) throw new Jt809EncodeError(`GNSS_DATA: ${e.message}`);
    throw e;
  }
}

/** One fix's bytes in the edition's layout (0x1202 body, or one item of 0x1203). */
export function encodeFix(f: Jt809FixInput, edition: Edition): Uint8Array {
  const encrypt = f.coordinatesEncrypted === true ? 1 : 0;
  if (edition === '2011') {
    if (f.layout !== '2011') throw new Jt809EncodeError('a 2011 frame carries 2011-layout fixes only');
    const out = new Uint8Array(1 + FIX_2011_BYTES);
    out[0] = encrypt;
    out.set(encode2011Fields(f), 1);
    return out;
  }
  const data = f.layout === '2011' ? encode2011Fields(f) : encodeJt808Location(f.location);
  const out = new Uint8Array(5 + data.length + PLATFORM_ALARMS_BYTES);
  out[0] = encrypt;
  putU32(out, 1, data.length);
  out.set(data, 5);
  out.set(encodePlatformAlarms(f.platformAlarms), 5 + data.length);
  return out;
}

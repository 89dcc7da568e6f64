import { putU16, putU32, toHex, u16, u32 } from '../bytes.ts';
import { Jt808DecodeError, Jt808EncodeError } from '../errors.ts';
import { decodeGmt8Time, encodeGmt8Time } from '../gmt8Time.ts';

export type LoadState = 'empty' | 'half' | 'reserved' | 'full';

/** Alarm DWORD: raw value plus the bits named in JT/T 808 table 24. */
export interface AlarmFlags {
  readonly raw: number;
  readonly sos: boolean;
  readonly overspeed: boolean;
  readonly fatigue: boolean;
  readonly dangerWarning: boolean;
  readonly gnssFault: boolean;
  readonly gnssAntennaCut: boolean;
  readonly gnssAntennaShort: boolean;
  readonly powerUndervoltage: boolean;
  readonly powerCut: boolean;
  readonly overspeedWarning: boolean;
  readonly fatigueWarning: boolean;
  readonly drivingTimeoutToday: boolean;
  readonly parkingTimeout: boolean;
  readonly areaInOut: boolean;
  readonly routeInOut: boolean;
  readonly routeDrivingTime: boolean;
  readonly routeDeviation: boolean;
  readonly fuelAbnormal: boolean;
  readonly stolen: boolean;
  readonly illegalIgnition: boolean;
  readonly illegalDisplacement: boolean;
  readonly collisionWarning: boolean;
  readonly rolloverWarning: boolean;
  readonly illegalDoorOpen: boolean;
}

/** Status DWORD: raw value plus the bits named in JT/T 808 table 25. */
export interface StatusFlags {
  readonly raw: number;
  readonly accOn: boolean;
  readonly fixed: boolean;
  readonly south: boolean;
  readonly west: boolean;
  readonly outOfService: boolean;
  readonly coordinatesEncrypted: boolean;
  readonly load: LoadState;
  readonly oilCut: boolean;
  readonly circuitCut: boolean;
  readonly doorLocked: boolean;
  readonly gps: boolean;
  readonly beidou: boolean;
  readonly glonass: boolean;
  readonly galileo: boolean;
}

export interface RawTlv {
  readonly id: number;
  /** Value bytes as lowercase hex. */
  readonly hex: string;
}

/** Additional-information TLVs; a known id with an unexpected length is kept raw in `other`. */
export interface LocationExtras {
  /** 0x01, 0.1 km resolution. */
  readonly mileageKm: number | undefined;
  /** 0x02, 0.1 L resolution. */
  readonly fuelL: number | undefined;
  /** 0x03, speed from the tachograph, 0.1 km/h resolution. */
  readonly tachographSpeedKmh: number | undefined;
  /** 0x30, wireless signal strength. */
  readonly signalStrength: number | undefined;
  /** 0x31, GNSS satellites in view. */
  readonly satellites: number | undefined;
  readonly other: readonly RawTlv[];
}

export interface LocationReport {
  readonly type: 'location';
  /** True for fixes of a 0x0704 blind-area back-fill (type 1). */
  readonly backfilled: boolean;
  readonly alarm: AlarmFlags;
  readonly status: StatusFlags;
  /** WGS-84 degrees, negative when status says south. */
  readonly latitude: number;
  /** WGS-84 degrees, negative when status says west. */
  readonly longitude: number;
  readonly altitudeM: number;
  readonly speedKmh: number;
  /** 0–359, degrees clockwise from north (passed through unchecked). */
  readonly direction: number;
  /**
   * Fix time in UTC, ISO-8601 with `Z`; `undefined` when the BCD field is not a calendar time
   * (terminals without a fix often send all zeros). The report still decodes: the gateway acks an
   * unfixed one and refuses a fixed one, instead of treating a whole frame as garbage.
   */
  readonly time: string | undefined;
  readonly timeMs: number | undefined;
  /** The six time bytes as hex, only when `time` is undefined (for logs). */
  readonly rawTime?: string;
  readonly extras: LocationExtras;
}

export const LOCATION_FIXED_LENGTH = 28;
const MAX_LAT_MICRO = 90_000_000;
const MAX_LON_MICRO = 180_000_000;
const NO_TLVS: readonly RawTlv[] = Object.freeze([]);
const LOAD: readonly LoadState[] = ['empty', 'half', 'reserved', 'full'];

const bit = (v: number, n: number): boolean => ((v >>> n) & 1) === 1;

/** The named alarm bits, in bit order: what `alarmNames` reports. */
export const namedAlarms = [
  'sos', 'overspeed', 'fatigue', 'dangerWarning', 'gnssFault', 'gnssAntennaCut', 'gnssAntennaShort', 'powerUndervoltage',
  'powerCut', 'overspeedWarning', 'fatigueWarning', 'drivingTimeoutToday', 'parkingTimeout', 'areaInOut', 'routeInOut',
  'routeDrivingTime', 'routeDeviation', 'fuelAbnormal', 'stolen', 'illegalIgnition', 'illegalDisplacement',
  'collisionWarning', 'rolloverWarning', 'illegalDoorOpen',
] as const satisfies readonly (keyof AlarmFlags)[];

/** Names of the alarm bits set (empty for no alarm): the gateways' `meta.alarms`. */
export function alarmNames(alarm: AlarmFlags): string[] {
  const out: string[] = [];
  if (alarm.raw === 0) return out;
  for (const name of namedAlarms) if (alarm[name]) out.push(name);
  return out;
}

/** The alarm DWORD with its named bits (JT/T 808 table 24; JT/T 809 fixes carry the same DWORD). */
export function alarmFlags(raw: number): AlarmFlags {
  return {
    raw,
    sos: bit(raw, 0),
    overspeed: bit(raw, 1),
    fatigue: bit(raw, 2),
    dangerWarning: bit(raw, 3),
    gnssFault: bit(raw, 4),
    gnssAntennaCut: bit(raw, 5),
    gnssAntennaShort: bit(raw, 6),
    powerUndervoltage: bit(raw, 7),
    powerCut: bit(raw, 8),
    overspeedWarning: bit(raw, 13),
    fatigueWarning: bit(raw, 14),
    drivingTimeoutToday: bit(raw, 18),
    parkingTimeout: bit(raw, 19),
    areaInOut: bit(raw, 20),
    routeInOut: bit(raw, 21),
    routeDrivingTime: bit(raw, 22),
    routeDeviation: bit(raw, 23),
    fuelAbnormal: bit(raw, 25),
    stolen: bit(raw, 26),
    illegalIgnition: bit(raw, 27),
    illegalDisplacement: bit(raw, 28),
    collisionWarning: bit(raw, 29),
    rolloverWarning: bit(raw, 30),
    illegalDoorOpen: bit(raw, 31),
  };
}

/** The status DWORD with its named bits (JT/T 808 table 25; JT/T 809 fixes carry the same DWORD). */
export function statusFlags(raw: number): StatusFlags {
  return {
    raw,
    accOn: bit(raw, 0),
    fixed: bit(raw, 1),
    south: bit(raw, 2),
    west: bit(raw, 3),
    outOfService: bit(raw, 4),
    coordinatesEncrypted: bit(raw, 5),
    load: LOAD[(raw >>> 8) & 0x03]!,
    oilCut: bit(raw, 10),
    circuitCut: bit(raw, 11),
    doorLocked: bit(raw, 12),
    gps: bit(raw, 18),
    beidou: bit(raw, 19),
    glonass: bit(raw, 20),
    galileo: bit(raw, 21),
  };
}

/**
 * A 0x0200 body located at bytes[start, end) (also the item format inside 0x0704).
 * Reads by index, allocates only the result objects.
 */
export function decodeLocationBody(bytes: Uint8Array, start: number, end: number, backfilled: boolean): LocationReport {
  if (end - start < LOCATION_FIXED_LENGTH) {
    throw new Jt808DecodeError('truncated', `location body needs ${LOCATION_FIXED_LENGTH} bytes, has ${end - start}`);
  }
  const alarm = u32(bytes, start);
  const status = u32(bytes, start + 4);
  const latMicro = u32(bytes, start + 8);
  const lonMicro = u32(bytes, start + 12);
  if (latMicro > MAX_LAT_MICRO) throw new Jt808DecodeError('bad-value', `latitude ${latMicro / 1e6} exceeds 90°`);
  if (lonMicro > MAX_LON_MICRO) throw new Jt808DecodeError('bad-value', `longitude ${lonMicro / 1e6} exceeds 180°`);
  const time = decodeGmt8Time(bytes, start + 22);

  let mileageKm: number | undefined;
  let fuelL: number | undefined;
  let tachographSpeedKmh: number | undefined;
  let signalStrength: number | undefined;
  let satellites: number | undefined;
  let other: RawTlv[] | undefined;
  let o = start + LOCATION_FIXED_LENGTH;
  while (o < end) {
    if (o + 2 > end) throw new Jt808DecodeError('truncated', `additional-information item at offset ${o - start} has no length byte`);
    const id = bytes[o]!;
    const len = bytes[o + 1]!;
    const v = o + 2;
    if (v + len > end) throw new Jt808DecodeError('truncated', `additional-information 0x${id.toString(16)} declares ${len} bytes, ${end - v} left`);
    if (id === 0x01 && len === 4) mileageKm = u32(bytes, v) / 10;
    else if (id === 0x02 && len === 2) fuelL = u16(bytes, v) / 10;
    else if (id === 0x03 && len === 2) tachographSpeedKmh = u16(bytes, v) / 10;
    else if (id === 0x30 && len === 1) signalStrength = bytes[v]!;
    else if (id === 0x31 && len === 1) satellites = bytes[v]!;
    else (other ??= []).push({ id, hex: toHex(bytes.subarray(v, v + len)) });
    o = v + len;
  }

  const s = statusFlags(status);
  const report: LocationReport = {
    type: 'location',
    backfilled,
    alarm: alarmFlags(alarm),
    status: s,
    latitude: s.south && latMicro !== 0 ? -latMicro / 1e6 : latMicro / 1e6,
    longitude: s.west && lonMicro !== 0 ? -lonMicro / 1e6 : lonMicro / 1e6,
    altitudeM: u16(bytes, start + 16),
    speedKmh: u16(bytes, start + 18) / 10,
    direction: u16(bytes, start + 20),
    time: time?.iso,
    timeMs: time?.ms,
    extras: { mileageKm, fuelL, tachographSpeedKmh, signalStrength, satellites, other: other ?? NO_TLVS },
  };
  return time === undefined ? { ...report, rawTime: toHex(bytes.subarray(start + 22, start + LOCATION_FIXED_LENGTH)) } : report;
}

/** 0x0200 location report body. */
export function decodeLocation(body: Uint8Array): LocationReport {
  return decodeLocationBody(body, 0, body.length, false);
}

export interface LocationInput {
  readonly alarm: number;
  /** Raw status DWORD; bits 2 (south) and 3 (west) are overwritten from the coordinate signs. */
  readonly status: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly altitudeM: number;
  readonly speedKmh: number;
  readonly direction: number;
  /** Epoch ms; encoded as GMT+8 whole seconds. */
  readonly timeMs: number;
  readonly extras?: {
    readonly mileageKm?: number | undefined;
    readonly fuelL?: number | undefined;
    readonly tachographSpeedKmh?: number | undefined;
    readonly signalStrength?: number | undefined;
    readonly satellites?: number | undefined;
    readonly other?: readonly RawTlv[];
  };
}

function scaled(name: string, v: number, scale: number, max: number): number {
  const n = Math.round(v * scale);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new Jt808EncodeError(`${name} ${v} is out of range`);
  return n;
}

/** 0x0200 body bytes (used by the terminal simulator and by tests). */
export function encodeLocationBody(loc: LocationInput): Uint8Array {
  const latMicro = scaled('latitude', Math.abs(loc.latitude), 1e6, MAX_LAT_MICRO);
  const lonMicro = scaled('longitude', Math.abs(loc.longitude), 1e6, MAX_LON_MICRO);
  const tlvs: { id: number; value: Uint8Array }[] = [];
  const x = loc.extras;
  const word = (v: number): Uint8Array => {
    const b = new Uint8Array(2);
    putU16(b, 0, v);
    return b;
  };
  if (x?.mileageKm !== undefined) {
    const b = new Uint8Array(4);
    putU32(b, 0, scaled('mileageKm', x.mileageKm, 10, 0xffffffff));
    tlvs.push({ id: 0x01, value: b });
  }
  if (x?.fuelL !== undefined) tlvs.push({ id: 0x02, value: word(scaled('fuelL', x.fuelL, 10, 0xffff)) });
  if (x?.tachographSpeedKmh !== undefined) tlvs.push({ id: 0x03, value: word(scaled('tachographSpeedKmh', x.tachographSpeedKmh, 10, 0xffff)) });
  if (x?.signalStrength !== undefined) tlvs.push({ id: 0x30, value: Uint8Array.of(scaled('signalStrength', x.signalStrength, 1, 0xff)) });
  if (x?.satellites !== undefined) tlvs.push({ id: 0x31, value: Uint8Array.of(scaled('satellites', x.satellites, 1, 0xff)) });
  for (const t of x?.other ?? []) {
    const hex = t.hex;
    if (!/^(?:[0-9a-f]{2}){0,255}$/i.test(hex)) throw new Jt808EncodeError(`TLV 0x${t.id.toString(16)} value is not hex of ≤ 255 bytes`);
    const value = new Uint8Array(hex.length / 2);
    for (let i = 0; i < value.length; i++) value[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    tlvs.push({ id: scaled('TLV id', t.id, 1, 0xff), value });
  }
  const out = new Uint8Array(LOCATION_FIXED_LENGTH + tlvs.reduce((n, t) => n + 2 + t.value.length, 0));
  let status = scaled('status', loc.status, 1, 0xffffffff) & ~0b1100;
  if (loc.latitude < 0) status |= 0b0100;
  if (loc.longitude < 0) status |= 0b1000;
  putU32(out, 0, scaled('alarm', loc.alarm, 1, 0xffffffff));
  putU32(out, 4, status >>> 0);
  putU32(out, 8, latMicro);
  putU32(out, 12, lonMicro);
  putU16(out, 16, scaled('altitudeM', loc.altitudeM, 1, 0xffff));
  putU16(out, 18, scaled('speedKmh', loc.speedKmh, 10, 0xffff));
  putU16(out, 20, scaled('direction', loc.direction, 1, 0xffff));
  encodeGmt8Time(loc.timeMs, out, 22);
  let o = LOCATION_FIXED_LENGTH;
  for (const t of tlvs) {
    out[o] = t.id;
    out[o + 1] = t.value.length;
    out.set(t.value, o + 2);
    o += 2 + t.value.length;
  }
  return out;
}

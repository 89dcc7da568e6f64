import { checkInt, need, putText, putU16, putU32, u16, u32 } from '../bytes.ts';
import { Jt809DecodeError, Jt809EncodeError } from '../errors.ts';
import type { Edition } from '../header.ts';
import { SubMessageId } from '../messageIds.ts';
import { plateText } from '../plateText.ts';
import type { AlarmReport } from './alarmReport.ts';
import { decodeAlarmReport, encodeAlarmReport } from './alarmReport.ts';
import type { Jt809Fix, Jt809FixInput } from './fix.ts';
import { decodeBackfillFixes, decodeRealtimeFix, encodeFix } from './fix.ts';
import type { VehicleRegistration } from './vehicleRegistration.ts';
import { decodeVehicleRegistration, encodeVehicleRegistration } from './vehicleRegistration.ts';

/** A sub-business this codec does not interpret: kept as bytes (a copy: decodeFrame reuses its buffer). */
export interface OtherData {
  readonly kind: 'other';
  readonly subType: number;
  readonly bytes: Uint8Array;
}

export type DynamicData =
  | VehicleRegistration
  | { readonly kind: 'location'; readonly fix: Jt809Fix }
  | { readonly kind: 'backfill'; readonly fixes: readonly Jt809Fix[] }
  | OtherData;

/** 0x1200: VEHICLE_NO (21, GBK), VEHICLE_COLOR, DATA_TYPE, DATA_LENGTH (DWORD), DATA — the same in both editions. */
export interface VehicleDynamic {
  readonly type: 'vehicle-dynamic';
  readonly plate: string;
  readonly plateColour: number;
  readonly subType: number;
  readonly data: DynamicData;
}

export type DynamicDataInput =
  | (Omit<VehicleRegistration, 'modelWidth'> & { readonly modelWidth?: 8 | 20 | 30 })
  | { readonly kind: 'location'; readonly fix: Jt809FixInput }
  | { readonly kind: 'backfill'; readonly fixes: readonly Jt809FixInput[] }
  | OtherData;

export interface VehicleDynamicInput {
  readonly type: 'vehicle-dynamic';
  readonly plate: string;
  readonly plateColour: number;
  readonly data: DynamicDataInput;
}

/** 0x1400: 2011 has the plate and colour before DATA_TYPE; 2019 moved them into the 0x1402 body. */
export interface AlarmExchange {
  readonly type: 'alarm';
  readonly plate: string | undefined;
  readonly plateColour: number | undefined;
  readonly subType: number;
  readonly data: AlarmReport | OtherData;
}

const ENVELOPE = 21 + 1 + 2 + 4;

/** DATA_LENGTH at b[at] and where DATA starts; `id`/`subType` only name the field in errors (text built only then). */
function subBody(b: Uint8Array, at: number, end: number, id: number, subType: number): number {
  const from = at + 4;
  if (from > end || u32(b, at) !== end - from) {
    const what = `0x${id.toString(16)}/0x${subType.toString(16)}`;
    need(b, at, 4, end, `${what} DATA_LENGTH`);
    const length = u32(b, at);
    throw new Jt809DecodeError(length > end - from ? 'truncated' : 'length-mismatch', `${what} DATA_LENGTH ${length}, ${end - from} byte(s) follow`);
  }
  return from;
}

export function decodeVehicleDynamic(b: Uint8Array, start: number, end: number, edition: Edition): VehicleDynamic {
  need(b, start, ENVELOPE, end, '0x1200');
  const plate = plateText(b, start);
  const plateColour = b[start + 21]!;
  const subType = u16(b, start + 22);
  const from = subBody(b, start + 24, end, 0x1200, subType);
  let data: DynamicData;
  switch (subType) {
    case SubMessageId.realtimeLocation:
      data = { kind: 'location', fix: decodeRealtimeFix(b, from, end, edition) };
      break;
    case SubMessageId.backfillLocations:
      data = { kind: 'backfill', fixes: decodeBackfillFixes(b, from, end, edition) };
      break;
    case SubMessageId.vehicleRegistration:
      data = decodeVehicleRegistration(b, from, end, edition);
      break;
    default:
      data = { kind: 'other', subType, bytes: b.slice(from, end) };
  }
  return { type: 'vehicle-dynamic', plate, plateColour, subType, data };
}

function dynamicSubType(d: DynamicDataInput): number {
  switch (d.kind) {
    case 'location':
      return SubMessageId.realtimeLocation;
    case 'backfill':
      return SubMessageId.backfillLocations;
    case 'registration':
      return SubMessageId.vehicleRegistration;
    case 'other':
      return d.subType;
    default: {
      const never: never = d;
      return never;
    }
  }
}

function dynamicBytes(d: DynamicDataInput, edition: Edition): Uint8Array {
  switch (d.kind) {
    case 'location':
      return encodeFix(d.fix, edition);
    case 'backfill': {
      // GNSS_CNT: 1 ≤ n ≤ 5 (JT/T 809-2011 table 21); an empty batch would be refused by every decoder, ours included.
      if (d.fixes.length < 1 || d.fixes.length > 5) throw new Jt809EncodeError(`a 0x1203 carries 1–5 fixes, got ${d.fixes.length}`);
      const parts = d.fixes.map((f) => encodeFix(f, edition));
      const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
      out[0] = parts.length;
      let o = 1;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    }
    case 'registration':
      return encodeVehicleRegistration(d, edition);
    case 'other':
      return d.bytes;
    default: {
      const never: never = d;
      return never;
    }
  }
}

function envelope(plate: string | undefined, plateColour: number | undefined, subType: number, data: Uint8Array): Uint8Array {
  const head = plate === undefined ? 0 : 22;
  const out = new Uint8Array(head + 6 + data.length);
  if (plate !== undefined) {
    putText(out, 0, 21, plate, 'plate');
    out[21] = checkInt('plateColour', plateColour ?? 0, 0xff);
  }
  putU16(out, head, checkInt('subType', subType, 0xffff));
  putU32(out, head + 2, data.length);
  out.set(data, head + 6);
  return out;
}

export function encodeVehicleDynamic(m: VehicleDynamicInput, edition: Edition): Uint8Array {
  return envelope(m.plate, m.plateColour, dynamicSubType(m.data), dynamicBytes(m.data, edition));
}

export function decodeAlarmExchange(b: Uint8Array, start: number, end: number, edition: Edition): AlarmExchange {
  let o = start;
  let plate: string | undefined;
  let plateColour: number | undefined;
  if (edition === '2011') {
    need(b, o, 22, end, '0x1400 (2011) plate');
    plate = plateText(b, o);
    plateColour = b[o + 21]!;
    o += 22;
  }
  need(b, o, 2, end, '0x1400 DATA_TYPE');
  const subType = u16(b, o);
  const from = subBody(b, o + 2, end, 0x1400, subType);
  const data = subType === SubMessageId.alarmReport ? decodeAlarmReport(b, from, end, edition) : { kind: 'other' as const, subType, bytes: b.slice(from, end) };
  return { type: 'alarm', plate, plateColour, subType, data };
}

export function encodeAlarmExchange(m: Omit<AlarmExchange, 'subType'>, edition: Edition): Uint8Array {
  if (m.data.kind === 'alarm-report' && m.data.edition !== edition) throw new Jt809EncodeError(`a ${m.data.edition} alarm report in a ${edition} frame`);
  const subType = m.data.kind === 'other' ? m.data.subType : SubMessageId.alarmReport;
  const bytes = m.data.kind === 'other' ? m.data.bytes : encodeAlarmReport(m.data);
  if (edition === '2011') return envelope(m.plate ?? '', m.plateColour ?? 0, subType, bytes);
  return envelope(undefined, undefined, subType, bytes);
}

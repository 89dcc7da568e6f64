import { checkInt, need, putText, putU16, putU32, putU64, text, u16, u32, u64 } from '../bytes.ts';
import { Jt809DecodeError, Jt809EncodeError } from '../errors.ts';
import { encodeGbk } from '@dgt/jt808';

/**
 * 0x1402 alarm report. 2011: WARN_SRC, WARN_TYPE, WARN_TIME, INFO_ID, INFO_LENGTH, INFO_CONTENT
 * (the plate is in the 0x1400 envelope). 2019: SOURCE_PLATFORM_ID, WARN_TYPE, WARN_TIME,
 * START_TIME, END_TIME, VEHICLE_NO, VEHICLE_COLOR, DESTINATION_PLATFORM_ID, DRV_LINE_ID,
 * INFO_LENGTH, INFO_CONTENT (the envelope has no plate). Times are UTC seconds (8 bytes).
 * Layouts agree in SmallChi/JT809 and zboyco/jtt809 (2019).
 */
export type AlarmReport =
  | {
      readonly kind: 'alarm-report';
      readonly edition: '2011';
      /** WARN_SRC: 1 terminal, 2 carrier platform, 3 government platform, 9 other. */
      readonly warnSource: number;
      readonly warnType: number;
      readonly warnTime: number;
      readonly infoId: number;
      readonly info: string;
    }
  | {
      readonly kind: 'alarm-report';
      readonly edition: '2019';
      readonly sourcePlatformId: string;
      readonly warnType: number;
      readonly warnTime: number;
      readonly startTime: number;
      readonly endTime: number;
      readonly plate: string;
      readonly plateColour: number;
      readonly destinationPlatformId: string;
      readonly lineId: number;
      readonly info: string;
    };

const FIXED_2011 = 1 + 2 + 8 + 4 + 4;
const FIXED_2019 = 11 + 2 + 8 + 8 + 8 + 21 + 1 + 11 + 4 + 4;

function info(b: Uint8Array, at: number, end: number): string {
  const length = u32(b, at);
  const from = at + 4;
  if (length !== end - from) throw new Jt809DecodeError(length > end - from ? 'truncated' : 'length-mismatch', `INFO_LENGTH ${length}, ${end - from} byte(s) follow`);
  return text(b, from, length);
}

export function decodeAlarmReport(b: Uint8Array, start: number, end: number, edition: '2011' | '2019'): AlarmReport {
  if (edition === '2011') {
    need(b, start, FIXED_2011, end, '0x1402 (2011)');
    return { kind: 'alarm-report', edition, warnSource: b[start]!, warnType: u16(b, start + 1), warnTime: u64(b, start + 3), infoId: u32(b, start + 11), info: info(b, start + 15, end) };
  }
  need(b, start, FIXED_2019, end, '0x1402 (2019)');
  return {
    kind: 'alarm-report',
    edition,
    sourcePlatformId: text(b, start, 11),
    warnType: u16(b, start + 11),
    warnTime: u64(b, start + 13),
    startTime: u64(b, start + 21),
    endTime: u64(b, start + 29),
    plate: text(b, start + 37, 21),
    plateColour: b[start + 58]!,
    destinationPlatformId: text(b, start + 59, 11),
    lineId: u32(b, start + 70),
    info: info(b, start + 74, end),
  };
}

export function encodeAlarmReport(m: AlarmReport): Uint8Array {
  let content: Uint8Array;
  try {
    content = encodeGbk(m.info);
  } catch (e) {
    // A character without a GBK code is the caller's mistake, reported as this codec's error.
    throw new Jt809EncodeError(`info: ${(e as Error).message}`);
  }
  if (m.edition === '2011') {
    const out = new Uint8Array(FIXED_2011 + content.length);
    out[0] = checkInt('warnSource', m.warnSource, 0xff);
    putU16(out, 1, checkInt('warnType', m.warnType, 0xffff));
    putU64(out, 3, checkInt('warnTime', m.warnTime, Number.MAX_SAFE_INTEGER));
    putU32(out, 11, checkInt('infoId', m.infoId, 0xffffffff));
    putU32(out, 15, content.length);
    out.set(content, FIXED_2011);
    return out;
  }
  const out = new Uint8Array(FIXED_2019 + content.length);
  putText(out, 0, 11, m.sourcePlatformId, 'sourcePlatformId');
  putU16(out, 11, checkInt('warnType', m.warnType, 0xffff));
  putU64(out, 13, checkInt('warnTime', m.warnTime, Number.MAX_SAFE_INTEGER));
  putU64(out, 21, checkInt('startTime', m.startTime, Number.MAX_SAFE_INTEGER));
  putU64(out, 29, checkInt('endTime', m.endTime, Number.MAX_SAFE_INTEGER));
  putText(out, 37, 21, m.plate, 'plate');
  out[58] = checkInt('plateColour', m.plateColour, 0xff);
  putText(out, 59, 11, m.destinationPlatformId, 'destinationPlatformId');
  putU32(out, 70, checkInt('lineId', m.lineId, 0xffffffff));
  putU32(out, 74, content.length);
  out.set(content, FIXED_2019);
  return out;
}

/** JT/T 809 WARN_TYPE names (both editions' tables; 0xA0xx are the 2019 platform-level alarms). */
export const warnTypeNames: Readonly<Record<number, string>> = {
  0x0001: 'overspeed',
  0x0002: 'fatigue',
  0x0003: 'emergency',
  0x0004: 'area-entry',
  0x0005: 'area-exit',
  0x0006: 'road-congestion',
  0x0007: 'dangerous-road',
  0x0008: 'out-of-bounds',
  0x0009: 'theft',
  0x000a: 'robbery',
  0x000b: 'route-deviation',
  0x000c: 'vehicle-moved',
  0x000d: 'driving-timeout',
  0x000e: 'other',
  0x0010: 'illegal-driving',
  0x0011: 'forward-collision',
  0x0012: 'lane-departure',
  0x0013: 'tyre-pressure',
  0x0014: 'dynamic-info-abnormal',
  0xa001: 'parking-timeout',
  0xa002: 'report-interval-abnormal',
  0xa003: 'report-distance-abnormal',
  0xa004: 'platform-disconnected',
  0xa005: 'platform-data-abnormal',
  0xa006: 'road-blocked',
  0xa007: 'dangerous-road-section',
  0xa008: 'rain-or-snow',
  0xa009: 'driver-identity-abnormal',
  0xa00a: 'terminal-abnormal',
  0xa00b: 'platform-access-abnormal',
  0xa00c: 'core-data-abnormal',
  0xa0ff: 'other-platform',
};

/** 2011 WARN_SRC names. */
export const warnSourceNames: Readonly<Record<number, string>> = { 1: 'terminal', 2: 'carrier-platform', 3: 'government-platform', 9: 'other' };

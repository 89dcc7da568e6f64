import { need, putU16, u16 } from '../bytes.ts';
import { Jt808DecodeError, Jt808EncodeError } from '../errors.ts';
import type { LocationInput, LocationReport } from './location.ts';
import { decodeLocationBody, encodeLocationBody } from './location.ts';

/** 0 = normal batch, 1 = blind-area back-fill (positions stored while out of coverage). */
export type BatchType = 0 | 1;

export interface BatchUploadMessage {
  readonly type: 'batch-upload';
  readonly batchType: BatchType;
  readonly reports: readonly LocationReport[];
}

/** 0x0704: count WORD, type BYTE, then `count` items of (length WORD, 0x0200 body). */
export function decodeBatchUpload(body: Uint8Array): BatchUploadMessage {
  need(body, 0, 3, 'batch header');
  const count = u16(body, 0);
  const batchType = body[2]!;
  if (batchType !== 0 && batchType !== 1) throw new Jt808DecodeError('bad-value', `batch type ${batchType} is neither 0 (normal) nor 1 (back-fill)`);
  const backfilled = batchType === 1;
  const reports: LocationReport[] = [];
  let o = 3;
  // Every item consumes at least 2 bytes or throws, so a hostile count cannot spin.
  for (let i = 0; i < count; i++) {
    need(body, o, 2, `batch item ${i} length`);
    const len = u16(body, o);
    o += 2;
    need(body, o, len, `batch item ${i}`);
    reports.push(decodeLocationBody(body, o, o + len, backfilled));
    o += len;
  }
  if (o !== body.length) throw new Jt808DecodeError('length-mismatch', `${body.length - o} byte(s) after the ${count} declared item(s)`);
  return { type: 'batch-upload', batchType, reports };
}

/** 0x0704 body bytes (terminal simulator, tests). */
export function encodeBatchUploadBody(batchType: BatchType, locations: readonly LocationInput[]): Uint8Array {
  if (locations.length > 0xffff) throw new Jt808EncodeError(`at most 65535 items per batch, got ${locations.length}`);
  const items = locations.map(encodeLocationBody);
  const out = new Uint8Array(3 + items.reduce((n, b) => n + 2 + b.length, 0));
  putU16(out, 0, items.length);
  out[2] = batchType;
  let o = 3;
  for (const item of items) {
    putU16(out, o, item.length);
    out.set(item, o + 2);
    o += 2 + item.length;
  }
  return out;
}

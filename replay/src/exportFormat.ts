import { evidenceDigest, type EvidenceDigest, stringifyWellFormed } from '@dgt/events';
import { z } from 'zod';
import { ReplayError } from './errors.ts';
import { sorted } from './reportJson.ts';
import type { ResolvedSelection } from './resolved.ts';
import type { Selection } from './selection.ts';

export const EXPORT_FORMAT = 'dgt-export/1';

/*
 * An export is NDJSON: a header line, the canonical events in feed order, a trailer line.
 *   {"dgtExport":{"format":"dgt-export/1","resolved":{…},"selection":{…}}}
 *   {"eventId":…}            ← exactly the lines the digest covers
 *   {"dgtExportEnd":{"digest":{"events":…,"firstPosition":…,"lastPosition":…,"sha256":…}}}
 * The trailer carries the store positions (an NDJSON file has none of its own) and lets a replay
 * detect a truncated or edited file.
 */

const nullableString = z.string().nullable();
const selection = z.strictObject({
  from: nullableString,
  to: nullableString,
  vehicles: z.array(z.string()),
  carrier: nullableString,
  waybill: nullableString,
  zone: nullableString,
});
const resolved = z.strictObject({
  window: z.strictObject({ from: nullableString, to: nullableString }),
  vehicles: z.array(z.string()).nullable(),
  waybills: z.array(z.string()).nullable(),
});
const header = z.strictObject({ dgtExport: z.strictObject({ format: z.literal(EXPORT_FORMAT), selection, resolved }) });
const trailer = z.strictObject({ dgtExportEnd: z.strictObject({ digest: evidenceDigest }) });

export function exportHeaderLine(s: Selection, r: ResolvedSelection): string {
  return stringifyWellFormed(sorted({ dgtExport: { format: EXPORT_FORMAT, selection: s, resolved: r } }));
}

export function exportTrailerLine(digest: EvidenceDigest): string {
  return stringifyWellFormed(sorted({ dgtExportEnd: { digest } }));
}

export function isExportHeader(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, 'dgtExport');
}

export function isExportTrailer(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, 'dgtExportEnd');
}

export function parseExportHeader(value: unknown): { selection: Selection; resolved: ResolvedSelection } {
  const r = header.safeParse(value);
  if (!r.success) throw new ReplayError('EXPORT_INVALID', `line 1: not a ${EXPORT_FORMAT} header (${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  return r.data.dgtExport;
}

export function parseExportTrailer(value: unknown, lineNo: number): EvidenceDigest {
  const r = trailer.safeParse(value);
  if (!r.success) throw new ReplayError('EXPORT_INVALID', `line ${lineNo}: not a valid export trailer`);
  return r.data.dgtExportEnd.digest;
}

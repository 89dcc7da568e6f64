import { evidenceDigest, type EvidenceDigest, stringifyWellFormed } from '@dgt/events';
import { z } from 'zod';
import { ReplayError } from './errors.ts';
import { type RegistryFacts, registryFactsSchema } from './registryFacts.ts';
import { sorted } from './reportJson.ts';
import type { ResolvedSelection } from './resolved.ts';
import type { Selection } from './selection.ts';

export const EXPORT_FORMAT = 'dgt-export/3';

/*
 * An export is NDJSON: a header line, the canonical events in feed order, a trailer line.
 *   {"dgtExport":{"format":"dgt-export/3","registry":{…},"resolved":{…},"selection":{…}}}
 *   {"eventId":…}            ← exactly the lines the digest covers
 *   {"dgtExportEnd":{"digest":{"events":…,"firstPosition":…,"lastPosition":…,"sha256":…}}}
 * The trailer carries the store positions (an NDJSON file has none of its own) and lets a replay
 * detect a truncated or edited file. Format 2 added the lead-in and lead-out (`selection.leadInHours`,
 * `leadOutHours`, `resolved.window.fedFrom`, `fedTo`); a format 1 export, made before there were
 * any, still replays: its events were fed from `from` to `to`, so it reads as leads of 0. Format 3 added
 * `registry` (plates and carrier names of the selection, see registryFacts.ts: labels, outside the
 * digest); a format 2 or 1 export replays without them (its report names vehicles by id only).
 */

const nullableString = z.string().nullable();
const selectionV1 = z.strictObject({
  from: nullableString,
  to: nullableString,
  vehicles: z.array(z.string()),
  carrier: nullableString,
  waybill: nullableString,
  zone: nullableString,
});
const resolvedV1 = z.strictObject({
  window: z.strictObject({ from: nullableString, to: nullableString }),
  vehicles: z.array(z.string()).nullable(),
  waybills: z.array(z.string()).nullable(),
});
const selection = selectionV1.extend({ leadInHours: z.number().int().min(0), leadOutHours: z.number().int().min(0) });
const resolved = resolvedV1.extend({ window: z.strictObject({ from: nullableString, to: nullableString, fedFrom: nullableString, fedTo: nullableString }) });
const v2 = z.strictObject({ format: z.literal('dgt-export/2'), selection, resolved });
const header = z.union([
  z.strictObject({ dgtExport: v2.extend({ format: z.literal(EXPORT_FORMAT), registry: registryFactsSchema }) }),
  z.strictObject({ dgtExport: v2 }).transform(({ dgtExport: d }) => ({ dgtExport: { ...d, format: EXPORT_FORMAT, registry: null } })),
  z
    .strictObject({ dgtExport: z.strictObject({ format: z.literal('dgt-export/1'), selection: selectionV1, resolved: resolvedV1 }) })
    .transform(({ dgtExport: { selection: s, resolved: r } }) => ({
      dgtExport: {
        format: EXPORT_FORMAT,
        selection: { ...s, leadInHours: 0, leadOutHours: 0 },
        resolved: { ...r, window: { ...r.window, fedFrom: r.window.from, fedTo: r.window.to } },
        registry: null,
      },
    })),
]);
const trailer = z.strictObject({ dgtExportEnd: z.strictObject({ digest: evidenceDigest }) });

export function exportHeaderLine(s: Selection, r: ResolvedSelection, registry: RegistryFacts): string {
  return stringifyWellFormed(sorted({ dgtExport: { format: EXPORT_FORMAT, selection: s, resolved: r, registry } }));
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

export function parseExportHeader(value: unknown): { selection: Selection; resolved: ResolvedSelection; registry: RegistryFacts | null } {
  const r = header.safeParse(value);
  if (!r.success) throw new ReplayError('EXPORT_INVALID', `line 1: not a ${EXPORT_FORMAT} header (${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  return r.data.dgtExport;
}

export function parseExportTrailer(value: unknown, lineNo: number): EvidenceDigest {
  const r = trailer.safeParse(value);
  if (!r.success) throw new ReplayError('EXPORT_INVALID', `line ${lineNo}: not a valid export trailer`);
  return r.data.dgtExportEnd.digest;
}

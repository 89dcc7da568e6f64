import { type CaseState, caseStatuses } from '@dgt/cases';
import { appealOutcomes, carrierResponses, dispositions } from '@dgt/events';
import { z } from 'zod';

/*
 * One case as the case list serves it: the case's folded state (`evolveCase` of `@dgt/cases`)
 * plus the revision and time of its last event. The same fields, in the same shapes, as the API's
 * `caseView`, so the list can be served from this read model without changing its responses.
 */

const at = z.string().meta({ description: 'ISO-8601, the server time the step was recorded' });

export const caseRowStatus = z.enum(caseStatuses);

export const caseRow = z.object({
  caseId: z.string().min(1),
  carrierId: z.string().min(1),
  vehicleId: z.string().min(1),
  kind: z.string().min(1),
  violationIds: z.array(z.string()),
  window: z.object({ from: z.string(), to: z.string() }),
  openedBy: z.enum(['officer', 'policy']),
  /** The auto-open policy rule that opened it; null when an officer did. */
  policy: z.string().nullable(),
  /** Where the violation took place (WGS-84), when the opening recorded it (absent in rows of cases opened before it). */
  place: z.object({ lon: z.number(), lat: z.number() }).nullable().optional(),
  /** The county-level division of `place` (行政区划), when known. */
  county: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }).nullable().optional(),
  openedAt: at,
  status: caseRowStatus,
  assignment: z.object({ unit: z.string(), officer: z.string(), at }).nullable(),
  /** The latest frozen evidence (summary: the archived report's digest). */
  evidence: z.object({ reportDigest: z.string(), frozenAt: at }).nullable(),
  checks: z.number().int().nonnegative(),
  /** The current round's notice, with the carrier's response deadline. */
  notice: z.object({ responseDeadline: z.string(), at }).nullable(),
  response: z.object({ response: z.enum(carrierResponses), at }).nullable(),
  appeal: z.object({ outcome: z.enum(appealOutcomes), at }).nullable(),
  disposition: z.object({ disposition: z.enum(dispositions), at }).nullable(),
  disposals: z.number().int().nonnegative(),
  /** The case's ledger entry that counts (the latest disposal's points), or null. */
  pointsEntry: z.object({ entryId: z.string(), points: z.number().int() }).nullable(),
  reopenings: z.number().int().nonnegative(),
  /** Revision of the case's last event folded: changes with every step. */
  revision: z.number().int().nonnegative(),
  /** occurredAt of that event: when the case last changed. */
  updatedAt: at,
});
export type CaseRow = z.infer<typeof caseRow>;

/** A county-level division as the row names it. */
export type CaseCounty = NonNullable<CaseRow['county']>;

/** The row of a folded case (copies, so later folds never share arrays with a stored row), with the county of its place. */
export function caseRowOf(state: CaseState, revision: number, updatedAt: string, county: CaseCounty | null = null): CaseRow {
  return {
    ...state,
    violationIds: [...state.violationIds],
    window: { ...state.window },
    place: state.place === null ? null : { lon: state.place.lon, lat: state.place.lat },
    county: county === null ? null : { code: county.code, name: county.name, nameEn: county.nameEn },
    revision,
    updatedAt,
  };
}

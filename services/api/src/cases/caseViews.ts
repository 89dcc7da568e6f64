import { caseStatuses, ledgerRowTypes, standings } from '@dgt/cases';
import { appealOutcomes, caseActorRoles, carrierResponses, correctiveActions, dispositions } from '@dgt/events';
import type { RecordedEvent } from '@dgt/eventstore';
import { z } from 'zod';
import type { CaseCounty, CaseRow } from '@dgt/readmodels';
import type { IndexedCase } from './caseIndex.ts';

/** The response shapes of the case and points routes (OpenAPI is generated from them). */

const at = z.string().meta({ description: 'ISO-8601, the server time the step was recorded' });

export const caseView = z.object({
  caseId: z.string(),
  carrierId: z.string(),
  vehicleId: z.string(),
  kind: z.string(),
  violationIds: z.array(z.string()),
  window: z.object({ from: z.string(), to: z.string() }),
  openedBy: z.enum(['officer', 'policy']),
  policy: z.string().nullable(),
  place: z.object({ lon: z.number(), lat: z.number() }).nullable().meta({ description: 'Where the violation took place (WGS-84), when recorded at opening' }),
  county: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }).nullable().meta({ description: 'The county-level division of place (行政区划代码 and names), when known' }),
  openedAt: at,
  status: z.enum(caseStatuses),
  assignment: z.object({ unit: z.string(), officer: z.string(), at }).nullable(),
  evidence: z.object({ reportDigest: z.string(), frozenAt: at }).nullable(),
  checks: z.number().int(),
  notice: z.object({ responseDeadline: z.string(), at }).nullable(),
  response: z.object({ response: z.enum(carrierResponses), at }).nullable(),
  appeal: z.object({ outcome: z.enum(appealOutcomes), at }).nullable(),
  disposition: z.object({ disposition: z.enum(dispositions), at }).nullable(),
  disposals: z.number().int(),
  pointsEntry: z.object({ entryId: z.string(), points: z.number().int() }).nullable(),
  reopenings: z.number().int(),
  /** Revision of the case's last event: changes with every step. */
  revision: z.number().int(),
  updatedAt: at,
});
export type CaseView = z.infer<typeof caseView>;

export function caseViewOf(c: IndexedCase, county: CaseCounty | null): CaseView {
  return { ...c.state, violationIds: [...c.state.violationIds], window: { ...c.state.window }, county, revision: c.revision, updatedAt: c.updatedAt };
}

/** A row of the case list as a view: rows stored before places and counties were kept have neither. */
export function caseViewOfRow(row: CaseRow): CaseView {
  return { ...row, place: row.place ?? null, county: row.county ?? null };
}

export const decisionMakerView = z.object({ principal: z.string(), role: z.enum(caseActorRoles), carrierId: z.string().optional() });

export const caseHistoryRow = z.object({
  revision: z.number().int(),
  eventId: z.string(),
  type: z.string(),
  occurredAt: at,
  by: decisionMakerView,
  data: z.record(z.string(), z.unknown()),
});

export function historyRowOf(r: RecordedEvent): z.infer<typeof caseHistoryRow> {
  const data = r.event.data as Record<string, unknown> & { by: z.infer<typeof decisionMakerView> };
  return { revision: r.revision, eventId: r.event.eventId, type: r.event.type, occurredAt: r.event.occurredAt, by: data.by, data };
}

export const caseDetail = z.object({ case: caseView, history: z.array(caseHistoryRow) });
export const caseResult = z.object({ case: caseView });
export const casesPage = z.object({ items: z.array(caseView), nextCursor: z.string().nullable() });

export const ledgerView = z.object({
  carrierId: z.string(),
  asOf: z.string(),
  outstanding: z.number().int(),
  standing: z.enum(standings),
  thresholds: z.object({ yellow: z.number().int(), red: z.number().int() }),
  entries: z.array(
    z.object({
      entryId: z.string(),
      caseId: z.string(),
      kind: z.string(),
      points: z.number().int(),
      defaultPoints: z.number().int(),
      overrideReason: z.string().nullable(),
      recordedAt: z.string(),
      expiresAt: z.string(),
      remaining: z.number().int(),
      supersededBy: z.string().nullable(),
    }),
  ),
  actions: z.array(
    z.object({
      actionId: z.string(),
      action: z.enum(correctiveActions),
      description: z.string(),
      attachments: z.number().int(),
      submittedAt: z.string(),
      cleared: z.object({ points: z.number().int(), at: z.string() }).nullable(),
    }),
  ),
  history: z.array(
    z.object({
      at: z.string(),
      type: z.enum(ledgerRowTypes),
      entryId: z.string().optional(),
      caseId: z.string().optional(),
      actionId: z.string().optional(),
      supersedes: z.string().optional(),
      delta: z.number().int(),
      total: z.number().int(),
    }),
  ),
});
export type LedgerView = z.infer<typeof ledgerView>;

import { type CasesConfig, type LedgerState, ledgerHistory, outstandingPoints, standingOf, standings } from '@dgt/cases';
import { carrierCompliance } from '@dgt/readmodels';
import { z } from 'zod';
import { ledgerView } from './caseViews.ts';

/** History rows a compliance answer carries; the whole history is the points route's. */
export const COMPLIANCE_HISTORY_ROWS = 20;

/** A carrier's points standing as compliance shows it: the ledger's verdict, not the ledger. */
export const pointsStandingView = z.object({
  asOf: z.string(),
  standing: z.enum(standings),
  outstanding: z.number().int(),
  thresholds: z.object({ yellow: z.number().int(), red: z.number().int() }),
  pointsValidityMonths: z.number().int(),
  /** When the earliest live, uncleared points expire (as recorded); null with none outstanding. */
  nextExpiryAt: z.string().nullable(),
  /** The last rows of the ledger's history, in time order, each with the outstanding total after it. */
  history: ledgerView.shape.history,
  /** Rows of the whole history up to `asOf`: more than `history` holds when it was cut. */
  historyTotal: z.number().int(),
  /** Where the whole ledger is (entries, actions, every history row): GET this path. */
  ledgerPath: z.string(),
});
export type PointsStandingView = z.infer<typeof pointsStandingView>;

/** `GET /v1/carriers/:id/compliance`: the read models' verdict on violations, and the points standing beside it (additive). */
export const carrierComplianceView = carrierCompliance.extend({
  points: pointsStandingView.meta({ description: 'The carrier’s points ledger (记分) at the same time: standing, outstanding points, thresholds and recent history' }),
});
export type CarrierComplianceView = z.infer<typeof carrierComplianceView>;

export function pointsPathOf(carrierId: string): string {
  return `/v1/carriers/${encodeURIComponent(carrierId)}/points`;
}

/** The standing of `ledger` as of `asOf` under `config`, with its last `rows` history rows. */
export function pointsStandingOf(ledger: LedgerState, asOf: string, config: CasesConfig, rows: number = COMPLIANCE_HISTORY_ROWS): PointsStandingView {
  const outstanding = outstandingPoints(ledger, asOf);
  const history = ledgerHistory(ledger, asOf);
  const asOfMs = Date.parse(asOf);
  const live = ledger.entries.filter((e) => e.supersededBy === null && e.remaining > 0 && Date.parse(e.recordedAt) <= asOfMs && asOfMs < Date.parse(e.expiresAt));
  const nextExpiryAt = outstanding === 0 ? null : (live.map((e) => e.expiresAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null);
  return {
    asOf,
    standing: standingOf(outstanding, config.standing),
    outstanding,
    thresholds: { ...config.standing },
    pointsValidityMonths: config.pointsValidityMonths,
    nextExpiryAt,
    history: history.slice(-rows).map((r) => ({ ...r })),
    historyTotal: history.length,
    ledgerPath: pointsPathOf(ledger.carrierId),
  };
}

import { instantMs } from './instants.ts';
import { expiryRows, type LedgerRow, type LedgerState } from './ledgerState.ts';
import { type Standing, standingOf, type StandingThresholds, defaultStandingThresholds } from './standing.ts';

/**
 * The ledger's history as of `asOf`: every recorded entry, corrective action, clearing and expiry
 * up to then, in time order, each with the outstanding total after it.
 */
export function ledgerHistory(ledger: LedgerState, asOf: string): LedgerRow[] {
  const asOfMs = instantMs(asOf);
  if (Number.isNaN(asOfMs)) throw new RangeError(`asOf: ${asOf} is not an ISO-8601 date-time with offset`);
  const past = ledger.rows.filter((r) => instantMs(r.at) <= asOfMs);
  return asOfMs > ledger.lastMs ? [...past, ...expiryRows(ledger.entries, ledger.lastMs, asOfMs)] : past;
}

/** Points outstanding at `asOf`: recorded, not cleared, not expired, not superseded. */
export function outstandingPoints(ledger: LedgerState, asOf: string): number {
  const rows = ledgerHistory(ledger, asOf);
  return rows.length === 0 ? 0 : (rows[rows.length - 1] as LedgerRow).total;
}

/** The carrier's standing at `asOf`. */
export function standing(ledger: LedgerState, asOf: string, thresholds: StandingThresholds = defaultStandingThresholds): Standing {
  return standingOf(outstandingPoints(ledger, asOf), thresholds);
}

import type { CaseStatus, CorrectiveAction, LedgerRowType, Standing } from './api/views.ts';

/*
 * Labels of the case and points views, keyed by the API's enums (libs/cases, libs/events cases.ts):
 * a stage or an action the library gains fails the dashboard's typecheck until it has a label.
 */

export const caseStatusLabel: Readonly<Record<CaseStatus, string>> = {
  opened: 'Opened',
  assigned: 'Assigned',
  'evidence-frozen': 'Evidence frozen',
  checked: 'Checked on site',
  notified: 'Carrier notified',
  responded: 'Carrier responded',
  appealed: 'Appealed',
  'appeal-decided': 'Appeal decided',
  disposed: 'Disposed',
};

/** The events of a case's stream (`case-<id>`), as its timeline names them. */
export const caseEventLabel: Readonly<Record<string, string>> = {
  CaseOpened: 'Case opened',
  CaseAssigned: 'Assigned',
  EvidenceFrozen: 'Evidence frozen',
  OnSiteCheckRecorded: 'On-site check',
  CarrierNotified: 'Carrier notified',
  CarrierResponded: 'Carrier responded',
  AppealDecided: 'Appeal decided',
  CaseDisposed: 'Disposed',
  CaseReopened: 'Reopened',
};

export const dispositionLabel: Readonly<Record<'penalised' | 'warned' | 'dismissed', string>> = {
  penalised: 'Penalised',
  warned: 'Warned',
  dismissed: 'Dismissed',
};

export const appealOutcomeLabel: Readonly<Record<'upheld' | 'rejected', string>> = {
  upheld: 'Appeal upheld',
  rejected: 'Appeal rejected',
};

export const standingLabel: Readonly<Record<Standing, string>> = {
  green: 'Green',
  yellow: 'Yellow',
  red: 'Red',
};

export const correctiveActionLabel: Readonly<Record<CorrectiveAction, string>> = {
  training: 'Training',
  'vehicle-change': 'Vehicle change',
  'driver-change': 'Driver change',
  other: 'Other',
};

export const ledgerRowLabel: Readonly<Record<LedgerRowType, string>> = {
  recorded: 'Points recorded',
  'action-submitted': 'Corrective action submitted',
  cleared: 'Points cleared',
  expired: 'Points expired',
};

/** "a1b2c3d4…" — enough of a SHA-256 to tell files apart on screen; the full hash is in the title. */
export function shortHash(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
}

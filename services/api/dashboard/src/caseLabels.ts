import type { CaseStatus, CorrectiveAction, LedgerRowType, Standing } from './api/views.ts';
import { en } from './i18n/en.ts';
import { t } from './i18n/translate.ts';

/*
 * Labels of the case and points views, keyed by the API's enums (libs/cases, libs/events cases.ts),
 * in the desk's language: the catalogue groups are typed by those enums (i18n/en.ts), so a stage or
 * an action the library gains fails the dashboard's typecheck until it has words.
 */

export const caseStatuses = Object.keys(en.caseStatus) as CaseStatus[];
export const correctiveActions = Object.keys(en.correctiveAction) as CorrectiveAction[];

export const caseStatusLabel = (status: CaseStatus): string => t(`caseStatus.${status}`);

/** The events of a case's stream (`case-<id>`), as its timeline names them; one the desk does not know is shown as sent. */
export function caseEventLabel(type: string): string {
  return Object.hasOwn(en.caseEvent, type) ? t(`caseEvent.${type as keyof typeof en.caseEvent}`) : type;
}

export const dispositionLabel = (disposition: 'penalised' | 'warned' | 'dismissed'): string => t(`disposition.${disposition}`);
export const appealOutcomeLabel = (outcome: 'upheld' | 'rejected'): string => t(`appealOutcome.${outcome}`);
export const standingLabel = (standing: Standing): string => t(`standing.${standing}`);
export const correctiveActionLabel = (action: CorrectiveAction): string => t(`correctiveAction.${action}`);
export const ledgerRowLabel = (type: LedgerRowType): string => t(`ledgerRow.${type}`);

/** A principal's role as the timeline names it (`bureau` → 交通运输局); one the desk does not know is shown as sent. */
export function roleLabel(role: string): string {
  return Object.hasOwn(en.role, role) ? t(`role.${role as keyof typeof en.role}`) : role;
}

/** "a1b2c3d4…" — enough of a SHA-256 to tell files apart on screen; the full hash is in the title. */
export function shortHash(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
}

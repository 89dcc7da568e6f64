import type { z } from 'zod';

/**
 * Why a command was refused. Codes are stable (the API maps them to HTTP answers and the
 * dashboard to messages); the message says what to do about it, in English.
 */
export const refusalCodes = [
  // Any command
  'role-not-allowed',
  'invalid-command',
  // Cases
  'case-not-found',
  'case-exists',
  'not-your-case',
  'not-a-violation',
  'invalid-window',
  'policy-required',
  'policy-not-allowed',
  'not-assigned',
  'evidence-required',
  'evidence-mismatch',
  'evidence-locked',
  'check-in-future',
  'invalid-deadline',
  'already-notified',
  'not-notified',
  'already-responded',
  'reasons-required',
  'appeal-deadline-passed',
  'no-appeal-pending',
  'appeal-pending',
  'appeal-upheld',
  'carrier-not-notified',
  'response-pending',
  'legal-basis-required',
  'amount-required',
  'reason-required',
  'override-reason-required',
  'points-not-applicable',
  'already-disposed',
  'not-disposed',
  // Points ledger
  'not-your-ledger',
  'action-exists',
  'action-not-found',
  'action-already-cleared',
  'invalid-points',
  'points-exceed-outstanding',
] as const;
export type RefusalCode = (typeof refusalCodes)[number];

export interface FieldProblem {
  /** Dotted path in the command, e.g. `place.lat`, `attachments.0.sha256`. */
  readonly path: string;
  readonly message: string;
}

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  /** With `invalid-command`: each field that failed, by path. */
  readonly issues?: readonly FieldProblem[];
}

/** What a decider answers: the events to append (in order), or why nothing happens. */
export type Decision<E> = { readonly ok: true; readonly events: readonly E[] } | { readonly ok: false; readonly refusal: Refusal };

export function refuse(code: RefusalCode, message: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { code, message } };
}

/**
 * The event data a decision is about to record, checked against its contract: the command's
 * free fields (texts, attachments, places) reach the record only as the event schema allows.
 * Paths name the command's field (`findings`, not `data.findings`).
 */
export function checkData<S extends z.ZodType>(schema: S, data: z.input<S>): { ok: true; data: z.output<S> } | { ok: false; refusal: Refusal } {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, data: r.data };
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const message = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');
  return { ok: false, refusal: { code: 'invalid-command', message, issues } };
}

import type { Actor, Refusal, RefusalCode } from '@dgt/cases';
import { AppError, type Principal } from '@dgt/http';

/** The library's actor for an API key: its id is the principal every recorded decision names. */
export function actorOf(principal: Principal): Actor {
  return principal.role === 'carrier' && principal.carrierId !== undefined
    ? { principal: principal.keyId, role: principal.role, carrierId: principal.carrierId }
    : { principal: principal.keyId, role: principal.role };
}

/** Whether a key may see a case (or ledger) of `carrierId`: a carrier's key only its own. */
export function maySee(principal: Principal, carrierId: string): boolean {
  return principal.role !== 'carrier' || principal.carrierId === carrierId;
}

/**
 * Refusals about a missing field or a bad value of the request, with the body field they name:
 * answered 400 like any invalid request. Every other refusal but the ones below is a conflict
 * with the case's state (409).
 */
const fieldRefusals: Partial<Record<RefusalCode, string>> = {
  'not-a-violation': 'kind',
  'invalid-window': 'window',
  'policy-required': 'policy',
  'policy-not-allowed': 'policy',
  'check-in-future': 'checkedAt',
  'invalid-deadline': 'responseDeadline',
  'reasons-required': 'reasons',
  'legal-basis-required': 'legalBasis',
  'amount-required': 'amountYuan',
  'reason-required': 'reason',
  'override-reason-required': 'pointsReason',
  'points-not-applicable': 'points',
  'invalid-points': 'points',
};

/**
 * A refusal of `@dgt/cases` as the API's error. A case or ledger that is not the caller's is
 * answered exactly as one that does not exist (404 `no such case`), as everywhere in the API;
 * the refusal's stable code leads the message of every 400 and 409 so clients can branch on it.
 */
export function refusalToAppError(refusal: Refusal): AppError {
  const { code, message } = refusal;
  switch (code) {
    case 'case-not-found':
    case 'not-your-case':
      return new AppError('NOT_FOUND', 'no such case');
    case 'not-your-ledger':
      return new AppError('NOT_FOUND', 'no such ledger');
    case 'role-not-allowed':
      return new AppError('FORBIDDEN', `${code}: ${message}`);
    case 'invalid-command': {
      const details = (refusal.issues ?? []).map((i) => ({ path: i.path === '' ? 'body' : `body.${i.path}`, message: i.message }));
      return new AppError('VALIDATION_FAILED', `${code}: ${message}`, details);
    }
    default: {
      const field = fieldRefusals[code];
      if (field !== undefined) return new AppError('VALIDATION_FAILED', `${code}: ${message}`, [{ path: `body.${field}`, message }]);
      return new AppError('CONFLICT', `${code}: ${message}`, [{ path: 'refusal', message: code }]);
    }
  }
}

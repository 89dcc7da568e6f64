import { describe, expect, it } from 'vitest';
import {
  type Actor,
  decidePoints,
  evolvePoints,
  initialLedger,
  type LedgerCommand,
  ledgerHistory,
  type LedgerRecorded,
  type LedgerState,
  outstandingPoints,
  standing,
  type Refusal,
} from '../src/index.ts';
import { admin, bureau, carrier, enforcement, expectValidEvents, otherCarrier } from './given.ts';

const by = { principal: 'enforcement-key', role: 'enforcement' as const };

/** Beijing date-time `YYYY-MM-DD HH:MM` as an instant. */
const bj = (s: string) => `${s.replace(' ', 'T')}:00+08:00`;

function recorded(caseId: string, points: number, on: string, expires: string, n = 1, defaultPoints = points): LedgerRecorded {
  return {
    type: 'PointsRecorded',
    occurredAt: bj(on),
    data: { carrierId: 'C1', caseId, entryId: `${caseId}:${n}`, kind: 'illegal-parking', points, defaultPoints, ...(points === defaultPoints ? {} : { overrideReason: 'r' }), expiresAt: bj(expires), by },
  };
}
const submitted = (actionId: string, on: string): LedgerRecorded => ({
  type: 'CorrectiveActionSubmitted',
  occurredAt: bj(on),
  data: { carrierId: 'C1', actionId, action: 'training', description: '培训', attachments: [], by: { principal: 'c1-key', role: 'carrier', carrierId: 'C1' } },
});
const cleared = (actionId: string, points: number, on: string): LedgerRecorded => ({
  type: 'PointsCleared',
  occurredAt: bj(on),
  data: { carrierId: 'C1', actionId, points, by: { principal: 'bureau-key', role: 'bureau' } },
});

const ledgerOf = (...events: LedgerRecorded[]): LedgerState => events.reduce(evolvePoints, initialLedger('C1'));

function decide(ledger: LedgerState, command: LedgerCommand): LedgerRecorded[] {
  const d = decidePoints(ledger, command);
  if (!d.ok) throw new Error(`${d.refusal.code}: ${d.refusal.message}`);
  expectValidEvents(d.events);
  return [...d.events];
}
function refused(ledger: LedgerState, command: LedgerCommand): Refusal {
  const d = decidePoints(ledger, command);
  if (d.ok) throw new Error(`expected a refusal, got ${d.events.map((e) => e.type).join(', ')}`);
  return d.refusal;
}
const submit = (actor: Actor, actionId = 'A1', now = bj('2026-04-01 09:00')): LedgerCommand => ({ type: 'submitCorrectiveAction', actor, now, actionId, action: 'driver-change', description: '更换驾驶员并复训。' });
const clear = (points: number, actionId = 'A1', now = bj('2026-04-02 09:00'), actor: Actor = bureau): LedgerCommand => ({ type: 'clear', actor, now, actionId, points });

describe('recording points (记分)', () => {
  it('adds each entry to the outstanding total while it is live', () => {
    const ledger = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00'), recorded('K2', 6, '2026-03-05 10:00', '2027-03-05 10:00'));
    expect(outstandingPoints(ledger, bj('2026-02-28 10:00'))).toBe(0);
    expect(outstandingPoints(ledger, bj('2026-03-02 10:00'))).toBe(3);
    expect(outstandingPoints(ledger, bj('2026-03-06 10:00'))).toBe(9);
  });

  it('lets a later entry of the same case supersede the earlier one, keeping what was cleared of it', () => {
    const ledger = ledgerOf(
      recorded('K1', 6, '2026-03-01 10:00', '2027-03-01 10:00', 1),
      submitted('A1', '2026-03-10 10:00'),
      cleared('A1', 2, '2026-03-11 10:00'),
      recorded('K1', 3, '2026-04-01 10:00', '2027-04-01 10:00', 2, 6),
    );
    expect(outstandingPoints(ledger, bj('2026-04-02 10:00'))).toBe(1);
    expect(ledger.entries.map((e) => [e.entryId, e.supersededBy, e.remaining])).toEqual([
      ['K1:1', 'K1:2', 4],
      ['K1:2', null, 1],
    ]);
    expect(ledgerHistory(ledger, bj('2026-04-02 10:00')).at(-1)).toMatchObject({ type: 'recorded', entryId: 'K1:2', supersedes: 'K1:1', delta: -3, total: 1 });
  });

  it('lets a 0-point entry (a dismissal after reopening) take the case’s points off', () => {
    const ledger = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00', 1), recorded('K1', 0, '2026-04-01 10:00', '2027-04-01 10:00', 2, 3));
    expect(outstandingPoints(ledger, bj('2026-03-31 10:00'))).toBe(3);
    expect(outstandingPoints(ledger, bj('2026-04-01 10:00'))).toBe(0);
  });

  it('changes nothing when an entry or action is folded twice (a replayed event)', () => {
    const once = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00'), submitted('A1', '2026-03-02 10:00'), cleared('A1', 1, '2026-03-03 10:00'));
    const twice = [recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00'), submitted('A1', '2026-03-02 10:00'), cleared('A1', 1, '2026-03-03 10:00')].reduce(evolvePoints, once);
    expect(twice).toEqual(once);
  });
});

describe('expiry', () => {
  const ledger = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00'), recorded('K2', 6, '2026-06-01 10:00', '2027-06-01 10:00'));

  it('drops an entry at its expiresAt, judged by the time asked about, never a clock', () => {
    expect(outstandingPoints(ledger, bj('2027-03-01 09:59'))).toBe(9);
    expect(outstandingPoints(ledger, bj('2027-03-01 10:00'))).toBe(6);
    expect(outstandingPoints(ledger, bj('2027-06-01 10:00'))).toBe(0);
  });

  it('shows expiries in the history, in time order, with running totals', () => {
    const history = ledgerHistory(ledger, bj('2027-12-31 00:00'));
    expect(history.map((r) => [r.type, r.entryId, r.delta, r.total])).toEqual([
      ['recorded', 'K1:1', 3, 3],
      ['recorded', 'K2:1', 6, 9],
      ['expired', 'K1:1', -3, 6],
      ['expired', 'K2:1', -6, 0],
    ]);
    expect(history[2]?.at).toBe(bj('2027-03-01 10:00'));
  });

  it('logs an expiry that fell between two events before the later event', () => {
    const later = evolvePoints(ledger, recorded('K3', 3, '2027-04-01 10:00', '2028-04-01 10:00'));
    expect(later.rows.map((r) => `${r.type} ${r.entryId} ${r.total}`)).toEqual(['recorded K1:1 3', 'recorded K2:1 9', 'expired K1:1 6', 'recorded K3:1 9']);
  });

  it('never clears points of an expired entry', () => {
    const l = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2026-09-01 10:00'), recorded('K2', 6, '2026-06-01 10:00', '2027-06-01 10:00'), submitted('A1', '2026-10-01 10:00'), cleared('A1', 2, '2026-10-02 10:00'));
    expect(l.entries.map((e) => e.remaining)).toEqual([3, 4]);
    expect(outstandingPoints(l, bj('2026-10-03 10:00'))).toBe(4);
  });
});

describe('corrective actions and clearing (整改/销分)', () => {
  const ledger = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00'), recorded('K2', 6, '2026-03-05 10:00', '2027-03-05 10:00'));

  it('lets the carrier submit its own corrective action', () => {
    const [event] = decide(ledger, submit(carrier));
    expect(event).toMatchObject({ type: 'CorrectiveActionSubmitted', occurredAt: bj('2026-04-01 09:00'), data: { carrierId: 'C1', actionId: 'A1', action: 'driver-change', attachments: [], by: { role: 'carrier', carrierId: 'C1' } } });
  });

  it('answers another carrier as if the ledger did not exist, and refuses bureau and enforcement submitting for the carrier', () => {
    expect(refused(ledger, submit(otherCarrier))).toEqual({ code: 'not-your-ledger', message: 'no such ledger' });
    expect(refused(ledger, clear(1, 'A1', bj('2026-04-02 09:00'), otherCarrier)).code).toBe('not-your-ledger');
    expect(refused(ledger, submit(bureau)).code).toBe('role-not-allowed');
    expect(refused(ledger, submit(enforcement)).code).toBe('role-not-allowed');
    expect(decide(ledger, submit(admin))).toHaveLength(1);
  });

  it('refuses an action id twice and a blank description naming the field', () => {
    const withAction = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00'), submitted('A1', '2026-03-02 10:00'));
    expect(refused(withAction, submit(carrier)).code).toBe('action-exists');
    const blank = refused(ledger, { ...submit(carrier), description: ' ' } as LedgerCommand);
    expect(blank).toMatchObject({ code: 'invalid-command', issues: [{ path: 'description', message: 'must not be blank' }] });
  });

  it('clears points by the bureau against a submitted action, oldest entries first', () => {
    const withAction = evolvePoints(ledger, submitted('A1', '2026-04-01 09:00'));
    const events = decide(withAction, clear(4));
    expect(events[0]).toMatchObject({ type: 'PointsCleared', data: { carrierId: 'C1', actionId: 'A1', points: 4, by: { role: 'bureau' } } });
    const after = events.reduce(evolvePoints, withAction);
    expect(after.entries.map((e) => e.remaining)).toEqual([0, 5]);
    expect(outstandingPoints(after, bj('2026-04-03 00:00'))).toBe(5);
    expect(after.actions[0]?.cleared).toEqual({ points: 4, at: bj('2026-04-02 09:00') });
  });

  it('never clears more than is outstanding, nor for an unknown or already cleared action, nor a part point', () => {
    const withAction = evolvePoints(ledger, submitted('A1', '2026-04-01 09:00'));
    expect(refused(withAction, clear(10))).toMatchObject({ code: 'points-exceed-outstanding', message: expect.stringContaining('has 9 points outstanding') });
    expect(refused(withAction, clear(1, 'A9')).code).toBe('action-not-found');
    expect(refused(withAction, clear(0)).code).toBe('invalid-points');
    expect(refused(withAction, clear(1.5)).code).toBe('invalid-points');
    const clearedOnce = decide(withAction, clear(1)).reduce(evolvePoints, withAction);
    expect(refused(clearedOnce, clear(1, 'A1', bj('2026-04-03 09:00'))).code).toBe('action-already-cleared');
  });

  it('counts only live points as outstanding when clearing (expired ones cannot be cleared)', () => {
    const withAction = evolvePoints(ledger, submitted('A1', '2027-03-02 09:00'));
    expect(refused(withAction, clear(7, 'A1', bj('2027-03-02 10:00'))).message).toContain('has 6 points outstanding');
  });

  it('is the bureau’s (or admin’s) to clear, never the carrier’s or enforcement’s', () => {
    const withAction = evolvePoints(ledger, submitted('A1', '2026-04-01 09:00'));
    expect(refused(withAction, clear(1, 'A1', bj('2026-04-02 09:00'), carrier)).code).toBe('role-not-allowed');
    expect(refused(withAction, clear(1, 'A1', bj('2026-04-02 09:00'), enforcement)).code).toBe('role-not-allowed');
    expect(decide(withAction, clear(1, 'A1', bj('2026-04-02 09:00'), admin))).toHaveLength(1);
  });

  it('shows actions and clearings in the history', () => {
    const l = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00'), submitted('A1', '2026-03-02 10:00'), cleared('A1', 2, '2026-03-03 10:00'));
    expect(ledgerHistory(l, bj('2026-03-04 00:00')).map((r) => [r.type, r.delta, r.total])).toEqual([
      ['recorded', 3, 3],
      ['action-submitted', 0, 3],
      ['cleared', -2, 1],
    ]);
  });
});

describe('standing', () => {
  const ledger = ledgerOf(recorded('K1', 3, '2026-03-01 10:00', '2027-03-01 10:00'), recorded('K2', 3, '2026-03-02 10:00', '2027-03-02 10:00'), recorded('K3', 6, '2026-03-03 10:00', '2027-03-03 10:00'));

  it('is green below 6, yellow from 6, red from 12 by default', () => {
    expect(standing(ledger, bj('2026-03-01 12:00'))).toBe('green');
    expect(standing(ledger, bj('2026-03-02 12:00'))).toBe('yellow');
    expect(standing(ledger, bj('2026-03-03 12:00'))).toBe('red');
    expect(standing(ledger, bj('2027-03-02 12:00'))).toBe('yellow');
  });

  it('follows configured thresholds', () => {
    expect(standing(ledger, bj('2026-03-03 12:00'), { yellow: 10, red: 20 })).toBe('yellow');
    expect(standing(ledger, bj('2026-03-01 12:00'), { yellow: 2, red: 3 })).toBe('red');
  });

  it('is green for a carrier with no ledger yet', () => {
    expect(standing(initialLedger('C9'), bj('2026-03-01 12:00'))).toBe('green');
  });
});

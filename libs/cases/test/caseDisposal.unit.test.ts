import { describe, expect, it } from 'vitest';
import { casesConfigSchema } from '../src/index.ts';
import { acknowledgedCase, at, bureau, cmd, enforcement, given } from './given.ts';

const deadline = 64 + 7 * 1440;

describe('disposing of a case (处置)', () => {
  it('penalises with legal basis and amount, and records the catalogue’s default points against the carrier', () => {
    const events = given(...acknowledgedCase()).when(cmd.penalise()).thenEvents();
    expect(events.map((e) => e.type)).toEqual(['CaseDisposed', 'PointsRecorded']);
    expect(events[0]).toMatchObject({ occurredAt: at(90), data: { disposition: 'penalised', legalBasis: '《危险货物道路运输安全管理办法》第六十六条', amountYuan: 2000, points: 3, by: { role: 'enforcement' } } });
    expect(events[1]).toEqual({
      type: 'PointsRecorded',
      occurredAt: at(90),
      data: { carrierId: 'C1', caseId: 'K1', entryId: 'K1:1', kind: 'illegal-parking', points: 3, defaultPoints: 3, expiresAt: '2027-03-02T09:30:00.000+08:00', by: { principal: 'enforcement-key', role: 'enforcement' } },
    });
  });

  it('moves the case to disposed and remembers its ledger entry', () => {
    expect(given(...acknowledgedCase()).when(cmd.penalise()).thenState()).toMatchObject({ status: 'disposed', disposition: { disposition: 'penalised', at: at(90) }, disposals: 1, pointsEntry: { entryId: 'K1:1', points: 3 } });
  });

  it('takes the default points of the case’s kind from the violation catalogue', () => {
    const restricted = [cmd.open({ kind: 'restricted-entry' }), ...acknowledgedCase().slice(1)];
    expect(given(...restricted).when(cmd.warn()).thenEvents()[1]?.data).toMatchObject({ kind: 'restricted-entry', points: 6, defaultPoints: 6 });
  });

  it('records points for a warning too, and none for a dismissal', () => {
    const warned = given(...acknowledgedCase()).when(cmd.warn()).thenEvents();
    expect(warned.map((e) => e.type)).toEqual(['CaseDisposed', 'PointsRecorded']);
    expect(warned[0]?.data).not.toHaveProperty('amountYuan');
    const dismissed = given(...acknowledgedCase()).when(cmd.dismiss()).thenEvents();
    expect(dismissed.map((e) => e.type)).toEqual(['CaseDisposed']);
    expect(dismissed[0]?.data).toMatchObject({ disposition: 'dismissed', reason: '停车点为临时指定停车区。' });
    expect(dismissed[0]?.data).not.toHaveProperty('points');
  });

  it('overrides the default points only with a reason', () => {
    given(...acknowledgedCase()).when(cmd.penalise(90, { points: 1 })).thenRefused('override-reason-required');
    const [, entry] = given(...acknowledgedCase()).when(cmd.penalise(90, { points: 1, pointsReason: '初次违法，主动整改。' })).thenEvents();
    expect(entry?.data).toMatchObject({ points: 1, defaultPoints: 3, overrideReason: '初次违法，主动整改。' });
    const [, same] = given(...acknowledgedCase()).when(cmd.penalise(90, { points: 3 })).thenEvents();
    expect(same?.data).not.toHaveProperty('overrideReason');
  });

  it('refuses points that are not a whole number, naming the field', () => {
    const refusal = given(...acknowledgedCase()).when(cmd.penalise(90, { points: 2.5, pointsReason: '折算' })).thenRefused('invalid-command');
    expect(refusal.message).toContain('points');
  });

  it('refuses points on a dismissal', () => {
    given(...acknowledgedCase()).when(cmd.dismiss(90, { points: 0 })).thenRefused('points-not-applicable');
  });

  it('dates the points’ expiry by the configured validity, on the Beijing calendar', () => {
    const config = casesConfigSchema.parse({ pointsValidityMonths: 6 });
    const { decision } = given(...acknowledgedCase()).when(cmd.penalise(), { config });
    expect(decision.ok && decision.events[1]?.data).toMatchObject({ expiresAt: '2026-09-02T09:30:00.000+08:00' });
  });

  it('refuses every disposition before the evidence is frozen', () => {
    for (const d of [cmd.penalise(), cmd.warn(), cmd.dismiss()]) {
      given(cmd.open(), cmd.assign(), cmd.check()).when(d).thenRefused('evidence-required');
      given(cmd.open()).when(d).thenRefused('evidence-required');
    }
  });

  it('refuses every disposition while an appeal is pending', () => {
    const appealed = [cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify(), cmd.appeal()];
    for (const d of [cmd.penalise(), cmd.warn(), cmd.dismiss()]) given(...appealed).when(d).thenRefused('appeal-pending');
  });

  it('refuses a penalty without legal basis or amount, and a dismissal without reason', () => {
    given(...acknowledgedCase()).when(cmd.penalise(90, { legalBasis: undefined })).thenRefused('legal-basis-required');
    given(...acknowledgedCase()).when(cmd.penalise(90, { legalBasis: '  ' })).thenRefused('legal-basis-required');
    given(...acknowledgedCase()).when(cmd.penalise(90, { amountYuan: undefined })).thenRefused('amount-required');
    given(...acknowledgedCase()).when(cmd.dismiss(90, { reason: undefined })).thenRefused('reason-required');
  });

  it('refuses an amount on a warning and a fine that is not in whole fen, naming the field', () => {
    expect(given(...acknowledgedCase()).when(cmd.warn(90, { amountYuan: 100 })).thenRefused('invalid-command').issues?.map((i) => i.path)).toEqual(['amountYuan']);
    expect(given(...acknowledgedCase()).when(cmd.penalise(90, { amountYuan: 100.001 })).thenRefused('invalid-command').issues?.map((i) => i.path)).toEqual(['amountYuan']);
    expect(given(...acknowledgedCase()).when(cmd.penalise(90, { amountYuan: 0 })).thenRefused('invalid-command').issues?.map((i) => i.path)).toEqual(['amountYuan']);
  });

  it('does not penalise or warn a carrier unheard: not before the notice, nor before its answer or deadline', () => {
    const frozen = [cmd.open(), cmd.assign(), cmd.freeze(), cmd.check()];
    given(...frozen).when(cmd.penalise()).thenRefused('carrier-not-notified');
    given(...frozen).when(cmd.warn()).thenRefused('carrier-not-notified');
    given(...frozen, cmd.notify()).when(cmd.penalise(deadline)).thenRefused('response-pending');
    expect(given(...frozen, cmd.notify()).when(cmd.penalise(deadline + 1)).thenState().status).toBe('disposed');
  });

  it('dismisses at any stage once the evidence is frozen, without a notice', () => {
    expect(given(cmd.open(), cmd.assign(), cmd.freeze()).when(cmd.dismiss(63)).thenState().status).toBe('disposed');
  });

  it('after an upheld appeal, only dismisses; after a rejected one, penalises', () => {
    const appealed = [cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify(), cmd.appeal()];
    given(...appealed, cmd.decideAppeal('upheld')).when(cmd.penalise()).thenRefused('appeal-upheld');
    given(...appealed, cmd.decideAppeal('upheld')).when(cmd.warn()).thenRefused('appeal-upheld');
    expect(given(...appealed, cmd.decideAppeal('upheld')).when(cmd.dismiss()).thenState().status).toBe('disposed');
    expect(given(...appealed, cmd.decideAppeal('rejected')).when(cmd.penalise()).thenEvents().map((e) => e.type)).toEqual(['CaseDisposed', 'PointsRecorded']);
  });

  it('is enforcement’s, not the bureau’s', () => {
    given(...acknowledgedCase()).when({ ...cmd.penalise(), actor: bureau }).thenRefused('role-not-allowed');
  });

  it('takes nothing but a reopening once disposed', () => {
    const disposed = [...acknowledgedCase(), cmd.penalise()];
    for (const c of [cmd.assign(91), cmd.freeze(91), cmd.check(91), cmd.notify(91), cmd.acknowledge(91), cmd.decideAppeal('upheld', 91), cmd.penalise(91), cmd.dismiss(91)]) {
      expect(given(...disposed).when(c).thenRefused('already-disposed').message).toContain('reopen it first');
    }
  });
});

describe('reopening (重新处理)', () => {
  const disposed = () => [...acknowledgedCase(), cmd.penalise()];

  it('reopens a disposed case with a reason, back at its evidence, with the round’s notice, answer and disposition cleared', () => {
    const { thenEvents, thenState } = given(...disposed()).when(cmd.reopen());
    expect(thenEvents()[0]).toMatchObject({ type: 'CaseReopened', data: { reason: '复核发现新的轨迹证据。', by: { role: 'bureau' } } });
    expect(thenState()).toMatchObject({ status: 'checked', notice: null, response: null, appeal: null, disposition: null, reopenings: 1, disposals: 1, evidence: { reportDigest: 'b'.repeat(64) } });
  });

  it('goes back to evidence-frozen when no check was recorded', () => {
    const unchecked = [cmd.open(), cmd.assign(), cmd.freeze(), cmd.dismiss(63)];
    expect(given(...unchecked).when(cmd.reopen()).thenState().status).toBe('evidence-frozen');
  });

  it('refuses to reopen a case that is not disposed, or without a reason', () => {
    given(...acknowledgedCase()).when(cmd.reopen()).thenRefused('not-disposed');
    given(...disposed()).when({ ...cmd.reopen(), reason: '' }).thenRefused('reason-required');
  });

  it('is the bureau’s, not enforcement’s', () => {
    given(...disposed()).when(cmd.reopen(100, enforcement)).thenRefused('role-not-allowed');
  });

  it('lets the evidence be frozen anew and the carrier be notified again', () => {
    const reopened = [...disposed(), cmd.reopen()];
    expect(given(...reopened).when(cmd.freeze(101, { reportDigest: '7'.repeat(64) })).thenState().evidence?.reportDigest).toBe('7'.repeat(64));
    expect(given(...reopened).when(cmd.notify(101)).thenState().status).toBe('notified');
  });

  it('numbers the next disposal’s ledger entry, which supersedes the first', () => {
    const again = [...disposed(), cmd.reopen(), cmd.notify(101), cmd.acknowledge(102)];
    const [, entry] = given(...again).when(cmd.penalise(103, { points: 2, pointsReason: '复核减轻' })).thenEvents();
    expect(entry?.data).toMatchObject({ entryId: 'K1:2', points: 2 });
  });

  it('records a 0-point entry when a case that recorded points is dismissed after reopening', () => {
    const events = given(...disposed(), cmd.reopen()).when(cmd.dismiss(101)).thenEvents();
    expect(events.map((e) => e.type)).toEqual(['CaseDisposed', 'PointsRecorded']);
    expect(events[0]?.data).toMatchObject({ disposition: 'dismissed', points: 0 });
    expect(events[1]?.data).toMatchObject({ entryId: 'K1:2', points: 0, defaultPoints: 3, overrideReason: expect.stringContaining('no longer count') });
  });

  it('records nothing on the ledger when a case that recorded no points is dismissed again', () => {
    const dismissedTwice = [cmd.open(), cmd.assign(), cmd.freeze(), cmd.dismiss(63), cmd.reopen(64)];
    expect(given(...dismissedTwice).when(cmd.dismiss(65)).thenEvents().map((e) => e.type)).toEqual(['CaseDisposed']);
  });

  it('records the disposing officer as the maker of the ledger entry', () => {
    const [, entry] = given(...acknowledgedCase()).when({ ...cmd.penalise(), actor: { principal: 'unit-7', role: 'enforcement' } }).thenEvents();
    expect(entry?.data.by).toEqual({ principal: 'unit-7', role: 'enforcement' });
  });
});


import { describe, expect, it } from 'vitest';
import { admin, at, bureau, carrier, cmd, enforcement, given } from './given.ts';

describe('assigning (指派)', () => {
  it('hands the case to a unit and officer and moves it to assigned', () => {
    const { thenEvents, thenState } = given(cmd.open()).when(cmd.assign());
    expect(thenEvents()[0]).toMatchObject({ type: 'CaseAssigned', occurredAt: at(61), data: { caseId: 'K1', unit: '临海执法中队', officer: '王警官', by: { role: 'bureau' } } });
    expect(thenState()).toMatchObject({ status: 'assigned', assignment: { unit: '临海执法中队', officer: '王警官', at: at(61) } });
  });

  it('re-assigns at a later stage without moving the stage back', () => {
    const state = given(cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify()).when(cmd.assign(65)).thenState();
    expect(state.status).toBe('notified');
    expect(state.assignment?.at).toBe(at(65));
  });

  it('is the bureau’s (or admin’s), not enforcement’s', () => {
    given(cmd.open()).when(cmd.assign(61, enforcement)).thenRefused('role-not-allowed');
    expect(given(cmd.open()).when(cmd.assign(61, admin)).thenState().status).toBe('assigned');
  });

  it('refuses a blank officer naming the field', () => {
    const refusal = given(cmd.open()).when({ type: 'assign', actor: bureau, now: at(61), unit: '中队', officer: '  ' }).thenRefused('invalid-command');
    expect(refusal.issues).toEqual([{ path: 'officer', message: 'must not be blank' }]);
  });
});

describe('freezing evidence (固定证据)', () => {
  it('records the run and its archive and moves an assigned case to evidence-frozen', () => {
    const { thenEvents, thenState } = given(cmd.open(), cmd.assign()).when(cmd.freeze());
    expect(thenEvents()[0]).toMatchObject({ type: 'EvidenceFrozen', data: { caseId: 'K1', reportDigest: 'b'.repeat(64), archive: { html: 'c'.repeat(64) }, by: { role: 'enforcement' } } });
    expect(thenState()).toMatchObject({ status: 'evidence-frozen', evidence: { reportDigest: 'b'.repeat(64), frozenAt: at(62) } });
  });

  it('refuses before the case is assigned', () => {
    given(cmd.open()).when(cmd.freeze()).thenRefused('not-assigned');
  });

  it('refuses a run that leaves out the case’s vehicle or part of its window', () => {
    const base = [cmd.open(), cmd.assign()];
    given(...base).when(cmd.freeze(62, { selection: { vehicleIds: ['V2'], from: at(-10), to: at(50) } })).thenRefused('evidence-mismatch');
    expect(given(...base).when(cmd.freeze(62, { selection: { vehicleIds: ['V1'], from: at(5), to: at(50) } })).thenRefused('evidence-mismatch').message).toContain('must cover the case window');
    given(...base).when(cmd.freeze(62, { selection: { vehicleIds: ['V1'], from: at(-10), to: at(30) } })).thenRefused('evidence-mismatch');
  });

  it('refuses a digest that is not a SHA-256, naming the field', () => {
    const refusal = given(cmd.open(), cmd.assign()).when(cmd.freeze(62, { archive: { html: 'xyz', json: 'd'.repeat(64), csv: 'e'.repeat(64) } })).thenRefused('invalid-command');
    expect(refusal.issues?.map((i) => i.path)).toEqual(['archive.html']);
  });

  it('lets a new run supersede the evidence until the carrier is notified, then locks it', () => {
    const refrozen = given(cmd.open(), cmd.assign(), cmd.freeze(), cmd.check()).when(cmd.freeze(64, { reportDigest: '9'.repeat(64) })).thenState();
    expect(refrozen).toMatchObject({ status: 'checked', evidence: { reportDigest: '9'.repeat(64) } });
    given(cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify()).when(cmd.freeze(65)).thenRefused('evidence-locked');
  });

  it('is enforcement’s, not the bureau’s or a carrier’s', () => {
    given(cmd.open(), cmd.assign()).when({ ...cmd.freeze(), actor: bureau }).thenRefused('role-not-allowed');
    given(cmd.open(), cmd.assign()).when({ ...cmd.freeze(), actor: carrier }).thenRefused('role-not-allowed');
  });
});

describe('on-site checks (现场检查)', () => {
  it('records officer, time, place, findings and attachments and moves the case to checked', () => {
    const { thenEvents, thenState } = given(cmd.open(), cmd.assign(), cmd.freeze()).when(cmd.check());
    expect(thenEvents()[0]).toMatchObject({
      type: 'OnSiteCheckRecorded',
      occurredAt: at(63),
      data: { officer: '王警官', checkedAt: at(62), place: { lon: 121.42, lat: 28.65 }, attachments: [{ name: 'photo-1.jpg', type: 'image/jpeg', size: 204_800 }] },
    });
    expect(thenState()).toMatchObject({ status: 'checked', checks: 1 });
  });

  it('may come before the evidence is frozen (a vehicle still parked), and the freeze then keeps the stage', () => {
    const checked = given(cmd.open(), cmd.assign()).when(cmd.check()).thenState();
    expect(checked).toMatchObject({ status: 'checked', evidence: null });
    expect(given(cmd.open(), cmd.assign(), cmd.check()).when(cmd.freeze(64)).thenState()).toMatchObject({ status: 'checked', evidence: { frozenAt: at(64) } });
  });

  it('may be recorded again after the notice without changing the stage', () => {
    const state = given(cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify()).when(cmd.check(66)).thenState();
    expect(state).toMatchObject({ status: 'notified', checks: 1 });
  });

  it('refuses before assignment, and a check dated after now', () => {
    given(cmd.open()).when(cmd.check()).thenRefused('not-assigned');
    given(cmd.open(), cmd.assign()).when(cmd.check(63, { checkedAt: at(64) })).thenRefused('check-in-future');
  });

  it('refuses an attachment without a valid hash or with a path for a name, naming the field', () => {
    const bad = cmd.check(63, { attachments: [{ sha256: 'f'.repeat(64), name: '../etc/passwd', type: 'image/jpeg', size: 1 }, { sha256: 'F'.repeat(64), name: 'a.jpg', type: 'image/jpeg', size: 1 }] });
    const refusal = given(cmd.open(), cmd.assign()).when(bad).thenRefused('invalid-command');
    expect(refusal.issues?.map((i) => i.path)).toEqual(['attachments.0.name', 'attachments.1.sha256']);
  });

  it('refuses a place off the globe, naming the field', () => {
    const refusal = given(cmd.open(), cmd.assign()).when(cmd.check(63, { place: { lon: 121.4, lat: 95 } })).thenRefused('invalid-command');
    expect(refusal.issues?.map((i) => i.path)).toEqual(['place.lat']);
  });
});

describe('notifying the carrier (告知)', () => {
  it('records the deadline and moves the case to notified', () => {
    const { thenEvents, thenState } = given(cmd.open(), cmd.assign(), cmd.freeze()).when(cmd.notify());
    expect(thenEvents()[0]).toMatchObject({ type: 'CarrierNotified', data: { caseId: 'K1', carrierId: 'C1', responseDeadline: at(64 + 7 * 1440) } });
    expect(thenState()).toMatchObject({ status: 'notified', notice: { at: at(64), responseDeadline: at(64 + 7 * 1440) } });
  });

  it('refuses before the evidence is frozen, even after a check', () => {
    given(cmd.open(), cmd.assign(), cmd.check()).when(cmd.notify()).thenRefused('evidence-required');
    given(cmd.open()).when(cmd.notify()).thenRefused('evidence-required');
  });

  it('refuses a deadline that is not after now, and a second notice', () => {
    given(cmd.open(), cmd.assign(), cmd.freeze()).when({ type: 'notifyCarrier', actor: enforcement, now: at(64), responseDeadline: at(64) }).thenRefused('invalid-deadline');
    given(cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify()).when(cmd.notify(65)).thenRefused('already-notified');
  });

  it('refuses a deadline that is not an instant, naming the field', () => {
    const refusal = given(cmd.open(), cmd.assign(), cmd.freeze()).when({ type: 'notifyCarrier', actor: enforcement, now: at(64), responseDeadline: 'next week' }).thenRefused('invalid-command');
    expect(refusal.message).toContain('responseDeadline');
  });
});

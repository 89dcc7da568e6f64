import { describe, expect, it } from 'vitest';
import { admin, at, carrier, cmd, enforcement, given, otherCarrier } from './given.ts';

const notified = () => [cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify(64, 7)];
const deadline = 64 + 7 * 1440;

describe('the carrier’s response (陈述申辩)', () => {
  it('records an acknowledgement by the carrier itself and moves the case to responded', () => {
    const { thenEvents, thenState } = given(...notified()).when(cmd.acknowledge());
    expect(thenEvents()[0]).toMatchObject({ type: 'CarrierResponded', occurredAt: at(70), data: { caseId: 'K1', carrierId: 'C1', response: 'acknowledge', attachments: [], by: { principal: 'c1-key', role: 'carrier', carrierId: 'C1' } } });
    expect(thenState()).toMatchObject({ status: 'responded', response: { response: 'acknowledge', at: at(70) } });
  });

  it('records an appeal with its reasons before the deadline and moves the case to appealed', () => {
    const { thenEvents, thenState } = given(...notified()).when(cmd.appeal(deadline));
    expect(thenEvents()[0]?.data).toMatchObject({ response: 'appeal', reasons: '卸货点临时封闭，停车系等待指引。' });
    expect(thenState().status).toBe('appealed');
  });

  it('refuses an appeal after the deadline, but takes an acknowledgement', () => {
    expect(given(...notified()).when(cmd.appeal(deadline + 1)).thenRefused('appeal-deadline-passed').message).toContain(at(deadline));
    expect(given(...notified()).when(cmd.acknowledge(deadline + 1)).thenState().status).toBe('responded');
  });

  it('refuses an appeal without reasons', () => {
    given(...notified()).when({ type: 'respond', actor: carrier, now: at(70), response: 'appeal', reasons: ' ' }).thenRefused('reasons-required');
    given(...notified()).when({ type: 'respond', actor: carrier, now: at(70), response: 'appeal' }).thenRefused('reasons-required');
  });

  it('answers another carrier as if the case did not exist, whatever it asks', () => {
    for (const c of [cmd.acknowledge(70, otherCarrier), cmd.appeal(70, otherCarrier)]) {
      expect(given(...notified()).when(c).thenRefused('not-your-case').message).toBe('no such case');
    }
    given(...notified()).when({ ...cmd.acknowledge(), actor: { principal: 'c-key', role: 'carrier' } }).thenRefused('not-your-case');
  });

  it('refuses a response before the notice, and a second one', () => {
    given(cmd.open(), cmd.assign(), cmd.freeze()).when(cmd.acknowledge()).thenRefused('not-notified');
    given(...notified(), cmd.acknowledge()).when(cmd.appeal(71)).thenRefused('already-responded');
    given(...notified(), cmd.appeal()).when(cmd.acknowledge(71)).thenRefused('already-responded');
  });

  it('is the carrier’s (or admin’s), not enforcement’s', () => {
    given(...notified()).when(cmd.acknowledge(70, enforcement)).thenRefused('role-not-allowed');
    expect(given(...notified()).when(cmd.acknowledge(70, admin)).thenState().status).toBe('responded');
  });
});

describe('deciding an appeal (申诉)', () => {
  it('records upheld or rejected with reasons and moves the case to appeal-decided', () => {
    for (const outcome of ['upheld', 'rejected'] as const) {
      const { thenEvents, thenState } = given(...notified(), cmd.appeal()).when(cmd.decideAppeal(outcome));
      expect(thenEvents()[0]).toMatchObject({ type: 'AppealDecided', data: { outcome, by: { role: 'enforcement' } } });
      expect(thenState()).toMatchObject({ status: 'appeal-decided', appeal: { outcome, at: at(80) } });
    }
  });

  it('refuses when no appeal is pending: none made, an acknowledgement, or one already decided', () => {
    given(...notified()).when(cmd.decideAppeal('rejected')).thenRefused('no-appeal-pending');
    given(...notified(), cmd.acknowledge()).when(cmd.decideAppeal('rejected')).thenRefused('no-appeal-pending');
    given(...notified(), cmd.appeal(), cmd.decideAppeal('rejected')).when(cmd.decideAppeal('upheld', 81)).thenRefused('no-appeal-pending');
  });

  it('refuses the carrier deciding its own appeal', () => {
    given(...notified(), cmd.appeal()).when({ ...cmd.decideAppeal('upheld'), actor: carrier }).thenRefused('role-not-allowed');
  });

  it('refuses an appeal decision without reasons, naming the field', () => {
    const refusal = given(...notified(), cmd.appeal()).when({ ...cmd.decideAppeal('upheld'), reasons: '' }).thenRefused('invalid-command');
    expect(refusal.issues?.map((i) => i.path)).toEqual(['reasons']);
  });
});

import { describe, expect, it } from 'vitest';
import { decideCase } from '../src/index.ts';
import { admin, at, bureau, cmd, enforcement, carrier, given, ingest, policyRunner, T0 } from './given.ts';

describe('opening a case (立案)', () => {
  it('records CaseOpened by a bureau officer, at the server time the command carries, naming who opened it', () => {
    const [opened] = given().when(cmd.open()).thenEvents();
    expect(opened).toEqual({
      type: 'CaseOpened',
      occurredAt: at(60),
      data: {
        caseId: 'K1',
        carrierId: 'C1',
        vehicleId: 'V1',
        kind: 'illegal-parking',
        violationIds: ['p-17/IllegalParkingStarted'],
        window: { from: T0, to: at(40) },
        openedBy: 'officer',
        by: { principal: 'bureau-key', role: 'bureau' },
      },
    });
  });

  it('starts the case at the stage opened, with nothing assigned, frozen or decided', () => {
    const state = given().when(cmd.open()).thenState();
    expect(state).toMatchObject({ caseId: 'K1', status: 'opened', openedAt: at(60), assignment: null, evidence: null, notice: null, disposition: null, disposals: 0 });
  });

  it('lets the policy runner open a case by policy, naming the rule', () => {
    const [opened] = given().when(cmd.open({ actor: policyRunner, policy: 'parking-30min' })).thenEvents();
    expect(opened?.data).toMatchObject({ openedBy: 'policy', policy: 'parking-30min', by: { principal: 'case-policy', role: 'system' } });
  });

  it('refuses the policy runner without a rule, and an officer claiming one', () => {
    given().when(cmd.open({ actor: policyRunner })).thenRefused('policy-required');
    given().when(cmd.open({ policy: 'parking-30min' })).thenRefused('policy-not-allowed');
  });

  it('lets admin open a case either way', () => {
    expect(given().when(cmd.open({ actor: admin })).thenState().openedBy).toBe('officer');
    expect(given().when(cmd.open({ actor: admin, policy: 'restricted-entry' })).thenState().openedBy).toBe('policy');
  });

  it('refuses enforcement, carriers and keys of other roles', () => {
    for (const actor of [enforcement, carrier, ingest]) {
      expect(given().when(cmd.open({ actor })).thenRefused('role-not-allowed').message).toContain(`role ${actor.role} may not open a case`);
    }
  });

  it('refuses to open a case twice', () => {
    given(cmd.open()).when(cmd.open()).thenRefused('case-exists');
  });

  it('refuses an advisory or an unknown kind: only violations become cases', () => {
    expect(given().when(cmd.open({ kind: 'segment-passage' })).thenRefused('not-a-violation').message).toContain('illegal-parking');
    given().when(cmd.open({ kind: 'speeding' })).thenRefused('not-a-violation');
  });

  it('refuses a window that ends before it starts', () => {
    given().when(cmd.open({ window: { from: at(40), to: T0 } })).thenRefused('invalid-window');
  });

  it('refuses bad fields naming their path', () => {
    expect(given().when(cmd.open({ window: { from: '2026-03-02 08:00', to: at(40) } })).thenRefused('invalid-command').issues?.map((i) => i.path)).toEqual(['window.from']);
    expect(given().when(cmd.open({ violationIds: [] })).thenRefused('invalid-command').message).toContain('violationIds');
    expect(given().when(cmd.open({ violationIds: ['a', 'a'] })).thenRefused('invalid-command').issues?.map((i) => i.path)).toEqual(['violationIds']);
    expect(given().when(cmd.open({ caseId: '' })).thenRefused('invalid-command').issues?.map((i) => i.path)).toEqual(['caseId']);
  });

  it('refuses a command whose server time is not an instant', () => {
    given().when(cmd.open({ now: 'yesterday' })).thenRefused('invalid-command');
  });

  it('answers case-not-found for every other command before the case exists', () => {
    for (const c of [cmd.assign(), cmd.freeze(), cmd.check(), cmd.notify(), cmd.acknowledge(), cmd.decideAppeal('upheld'), cmd.penalise(), cmd.reopen()]) {
      expect(decideCase(null, c)).toEqual({ ok: false, refusal: { code: 'case-not-found', message: 'no such case' } });
    }
  });

  it('keeps bureau as the opener in the record even when it opens for any carrier', () => {
    const state = given().when(cmd.open({ carrierId: 'C9', actor: bureau })).thenState();
    expect(state.carrierId).toBe('C9');
  });
});

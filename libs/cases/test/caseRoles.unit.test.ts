import { describe, expect, it } from 'vitest';
import { type Actor, type CaseCommand, caseCommandRoles, decideCase, type CaseState } from '../src/index.ts';
import { acknowledgedCase, admin, bureau, carrier, cmd, enforcement, given, ingest, otherCarrier, policyRunner } from './given.ts';

/*
 * Every command × every role: the role table decides, before any rule of the case. Each command is
 * tried on a case where it would otherwise be allowed, so "allowed" means it records events.
 */

const actors: Record<string, Actor> = { bureau, enforcement, carrier, admin, system: policyRunner, ingest, registry: { principal: 'reg', role: 'registry' }, metrics: { principal: 'm', role: 'metrics' } };

const scenarios: { command: keyof typeof caseCommandRoles; before: () => CaseCommand[]; make: (actor: Actor) => CaseCommand }[] = [
  { command: 'open', before: () => [], make: (actor) => cmd.open({ actor, ...(actor.role === 'system' ? { policy: 'parking-30min' } : {}) }) },
  { command: 'assign', before: () => [cmd.open()], make: (actor) => cmd.assign(61, actor) },
  { command: 'freezeEvidence', before: () => [cmd.open(), cmd.assign()], make: (actor) => ({ ...cmd.freeze(), actor }) },
  { command: 'recordOnSiteCheck', before: () => [cmd.open(), cmd.assign()], make: (actor) => ({ ...cmd.check(), actor }) },
  { command: 'notifyCarrier', before: () => [cmd.open(), cmd.assign(), cmd.freeze()], make: (actor) => ({ ...cmd.notify(), actor }) },
  { command: 'respond', before: () => [cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify()], make: (actor) => cmd.acknowledge(70, actor) },
  { command: 'decideAppeal', before: () => [cmd.open(), cmd.assign(), cmd.freeze(), cmd.notify(), cmd.appeal()], make: (actor) => ({ ...cmd.decideAppeal('rejected'), actor }) },
  { command: 'dispose', before: acknowledgedCase, make: (actor) => ({ ...cmd.penalise(), actor }) },
  { command: 'reopen', before: () => [...acknowledgedCase(), cmd.penalise()], make: (actor) => cmd.reopen(100, actor) },
];

describe('who may issue which case command', () => {
  for (const s of scenarios) {
    const allowed = new Set<string>([...caseCommandRoles[s.command], 'admin']);
    it(`${s.command}: only ${[...allowed].join(', ')}`, () => {
      const outcomes = Object.entries(actors).map(([name, actor]) => {
        const d = given(...s.before()).when(s.make(actor)).decision;
        return [name, d.ok ? 'allowed' : d.refusal.code] as const;
      });
      expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(Object.keys(actors).map((name) => [name, allowed.has(name) ? 'allowed' : 'role-not-allowed'])));
    });
  }

  it('answers a carrier on another carrier’s case not-your-case for every command, before its role', () => {
    for (const s of scenarios.filter((x) => x.command !== 'open')) {
      const state = given(...s.before()).state as CaseState;
      const d = decideCase(state, s.make(otherCarrier));
      expect(d.ok ? 'allowed' : d.refusal.code, s.command).toBe('not-your-case');
    }
  });
});

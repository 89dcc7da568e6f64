import { describe, expect, it } from 'vitest';
import { type CaseDecisionEvent, type CaseState, decideCase, decidePoints, evolvePoints, initialLedger, outstandingPoints, type Recorded, standing } from '../src/index.ts';
import { at, bureau, carrier, cmd, expectValidEvents, fold } from './given.ts';

describe('from a live violation to a disposed case and cleared points', () => {
  it('opens, assigns, freezes, checks, notifies, hears and rejects an appeal, penalises, and the carrier’s ledger follows', () => {
    let state: CaseState | null = null;
    const recorded: CaseDecisionEvent[] = [];
    const stages: string[] = [];
    for (const c of [cmd.open(), cmd.assign(), cmd.freeze(), cmd.check(), cmd.notify(), cmd.appeal(), cmd.decideAppeal('rejected'), cmd.penalise()]) {
      const d = decideCase(state, c);
      if (!d.ok) throw new Error(`${c.type}: ${d.refusal.code}`);
      recorded.push(...d.events);
      state = fold(d.events, state);
      stages.push(state?.status ?? 'none');
    }
    expect(stages).toEqual(['opened', 'assigned', 'evidence-frozen', 'checked', 'notified', 'appealed', 'appeal-decided', 'disposed']);
    expectValidEvents(recorded);
    expect(recorded.map((e) => e.occurredAt)).toEqual([60, 61, 62, 63, 64, 70, 80, 90, 90].map(at));
    const ledger = recorded.filter((e): e is Recorded<'PointsRecorded'> => e.type === 'PointsRecorded').reduce(evolvePoints, initialLedger('C1'));
    expect(outstandingPoints(ledger, at(91))).toBe(3);
    expect(standing(ledger, at(91))).toBe('green');

    const submitted = decidePoints(ledger, { type: 'submitCorrectiveAction', actor: carrier, now: at(200), actionId: 'A1', action: 'training', description: '全体驾驶员停车规范培训。' });
    if (!submitted.ok) throw new Error(submitted.refusal.code);
    const afterAction = submitted.events.reduce(evolvePoints, ledger);
    const cleared = decidePoints(afterAction, { type: 'clear', actor: bureau, now: at(300), actionId: 'A1', points: 3 });
    if (!cleared.ok) throw new Error(cleared.refusal.code);
    expectValidEvents([...submitted.events, ...cleared.events]);
    expect(outstandingPoints(cleared.events.reduce(evolvePoints, afterAction), at(301))).toBe(0);
  });
});

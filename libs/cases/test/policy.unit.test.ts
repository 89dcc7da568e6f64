import { describe, expect, it } from 'vitest';
import { CasePolicyError, defaultCasePolicy, policyOpens, type PolicyViolation, resolveCasePolicy } from '../src/index.ts';

const T = '2026-03-02T08:00:00+08:00';
const plus = (min: number) => new Date(Date.parse(T) + min * 60_000).toISOString();

const parking = (over: Partial<PolicyViolation> = {}): PolicyViolation => ({ kind: 'illegal-parking', category: 'violation', rule: null, since: T, endedAt: null, durationS: null, ...over });
const closedParking = (minutes: number) => parking({ endedAt: plus(minutes), durationS: minutes * 60 });

describe('the default auto-open policy', () => {
  it('opens a case for illegal parking of 30 minutes or more, closed or still going on', () => {
    expect(policyOpens(defaultCasePolicy, closedParking(30), plus(60))).toEqual({ opens: true, rule: 'parking-30min' });
    expect(policyOpens(defaultCasePolicy, closedParking(29), plus(60))).toEqual({ opens: false });
    expect(policyOpens(defaultCasePolicy, parking(), plus(31))).toEqual({ opens: true, rule: 'parking-30min' });
    expect(policyOpens(defaultCasePolicy, parking(), plus(10))).toEqual({ opens: false });
  });

  it('judges a closed violation by how long it lasted, not by the time asked', () => {
    expect(policyOpens(defaultCasePolicy, closedParking(12), plus(600))).toEqual({ opens: false });
  });

  it('opens a case for any restricted entry at once', () => {
    const entry: PolicyViolation = { kind: 'restricted-entry', category: 'violation', rule: 'banned-hours', since: T, endedAt: null, durationS: null };
    expect(policyOpens(defaultCasePolicy, entry, T)).toEqual({ opens: true, rule: 'restricted-entry' });
  });

  it('opens nothing for other kinds, and never for an advisory', () => {
    expect(policyOpens(defaultCasePolicy, { ...closedParking(60), kind: 'overspeed' }, plus(60)).opens).toBe(false);
    expect(policyOpens(defaultCasePolicy, { ...closedParking(60), category: 'advisory' }, plus(60)).opens).toBe(false);
    expect(policyOpens(defaultCasePolicy, { kind: 'segment-passage', category: 'advisory', rule: null, since: T, endedAt: null, durationS: null }, plus(60)).opens).toBe(false);
  });
});

describe('a configured policy', () => {
  it('tries its rules in order and names the first that matches', () => {
    const policy = resolveCasePolicy({
      rules: [
        { name: 'parking-2h', kind: 'illegal-parking', minDurationS: 7200 },
        { name: 'parking-any', kind: 'illegal-parking' },
      ],
    });
    expect(policyOpens(policy, closedParking(150), plus(200))).toEqual({ opens: true, rule: 'parking-2h' });
    expect(policyOpens(policy, closedParking(5), plus(200))).toEqual({ opens: true, rule: 'parking-any' });
  });

  it('can open restricted entries of one ban only', () => {
    const policy = resolveCasePolicy({ rules: [{ name: 'always-banned', kind: 'restricted-entry', restrictedRules: ['laden-banned'] }] });
    const entry = (rule: string): PolicyViolation => ({ kind: 'restricted-entry', category: 'violation', rule, since: T, endedAt: null, durationS: null });
    expect(policyOpens(policy, entry('laden-banned'), T).opens).toBe(true);
    expect(policyOpens(policy, entry('banned-hours'), T).opens).toBe(false);
  });

  it('opens nothing by itself with no rules', () => {
    expect(policyOpens(resolveCasePolicy({ rules: [] }), closedParking(600), plus(600)).opens).toBe(false);
  });

  it('refuses a bad policy naming the path', () => {
    expect(() => resolveCasePolicy({ rules: [{ name: 'a', kind: 'illegal-parking' }, { name: 'a', kind: 'overspeed' }] })).toThrow(/rules\.1\.name: "a" names two rules/);
    expect(() => resolveCasePolicy({ rules: [{ name: 'p', kind: 'illegal-parking', restrictedRules: ['laden-banned'] }] })).toThrow(/rules\.0\.restrictedRules: only a restricted-entry rule/);
    expect(() => resolveCasePolicy({ rules: [{ name: 'p', kind: 'segment-passage' }] })).toThrow(/rules\.0\.kind/);
    expect(() => resolveCasePolicy({ rules: [{ name: 'P 1', kind: 'overspeed' }] })).toThrow(/rules\.0\.name/);
    expect(() => resolveCasePolicy({ rules: [{ name: 'p', kind: 'overspeed', minDurationS: -1 }] })).toThrow(/rules\.0\.minDurationS/);
    expect(() => resolveCasePolicy({ rule: [] })).toThrow(CasePolicyError);
  });
});

import { detectionEventTypes } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { advisoryKinds, classifyDetection, detectionCatalogue, detectionKinds, violationKinds } from '../src/violations.ts';

describe('the violation catalogue', () => {
  it('classifies every detection type the contract has, each exactly once as an opener or a closer', () => {
    const seen = new Map<string, string>();
    for (const type of detectionEventTypes) {
      const c = classifyDetection({ type });
      seen.set(type, `${c.kind}:${c.opens ? 'opens' : 'closes'}`);
    }
    expect(seen.size).toBe(detectionEventTypes.length);
    for (const entry of Object.values(detectionCatalogue)) {
      expect(seen.get(entry.opens)).toBe(`${entry.kind}:opens`);
      expect(seen.get(entry.closes)).toBe(`${entry.kind}:closes`);
    }
  });

  it('makes a segment passage an advisory worth no points, and every rule breach a violation with points', () => {
    expect(classifyDetection({ type: 'AccidentSegmentEntered' }).category).toBe('advisory');
    for (const kind of advisoryKinds) if (!detectionCatalogue[kind].advisoryUnlessLaden) expect(detectionCatalogue[kind].defaultPoints).toBe(0);
    for (const kind of violationKinds) {
      expect(detectionCatalogue[kind].category).toBe('violation');
      expect(detectionCatalogue[kind].defaultPoints).toBeGreaterThan(0);
    }
  });

  it('makes an offline terminal a violation while laden and an advisory while only assigned; its closer follows the row', () => {
    const offline = (laden: boolean) => ({ type: 'TerminalOffline' as const, data: { laden } });
    expect(classifyDetection(offline(true))).toMatchObject({ kind: 'terminal-offline', category: 'violation', opens: true });
    expect(classifyDetection(offline(false))).toMatchObject({ kind: 'terminal-offline', category: 'advisory', opens: true });
    expect(classifyDetection({ type: 'TerminalOnline' })).toMatchObject({ kind: 'terminal-offline', opens: false });
    expect(violationKinds).toContain('terminal-offline');
    expect([...detectionKinds].sort()).toEqual([...new Set([...violationKinds, ...advisoryKinds])].sort());
    expect(Object.keys(detectionCatalogue).sort()).toEqual([...detectionKinds].sort());
    expect(advisoryKinds).toContain('terminal-offline');
    // Fatigue applies laden or empty; a route only exists for a laden trip.
    expect(classifyDetection({ type: 'FatigueDrivingStarted', data: { laden: false } }).category).toBe('violation');
    expect(detectionCatalogue['fatigue-driving'].ladenOnly).toBe(false);
    expect(detectionCatalogue['route-deviation'].ladenOnly).toBe(true);
  });
});

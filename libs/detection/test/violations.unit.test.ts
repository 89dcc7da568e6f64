import { detectionEventTypes } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { advisoryKinds, classifyDetection, detectionCatalogue, violationKinds } from '../src/violations.ts';

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
    for (const kind of advisoryKinds) expect(detectionCatalogue[kind].defaultPoints).toBe(0);
    for (const kind of violationKinds) {
      expect(detectionCatalogue[kind].category).toBe('violation');
      expect(detectionCatalogue[kind].defaultPoints).toBeGreaterThan(0);
    }
  });
});

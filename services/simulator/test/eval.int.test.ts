import { describe, it } from 'vitest';
import { ACCURACY_TARGET } from '../src/evaluate.ts';
import { expectAccurate } from './evalChecks.ts';

describe('detection accuracy against the simulator ground truth (seed ci)', () => {
  it(`reaches precision and recall ≥ ${ACCURACY_TARGET} for every kind of detection over 100 vehicle-days at the default noise`, () => {
    expectAccurate('ci');
  }, 120_000);
});

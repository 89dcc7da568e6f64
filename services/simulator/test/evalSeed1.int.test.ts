import { describe, it } from 'vitest';
import { ACCURACY_TARGET } from '../src/evaluate.ts';
import { expectAccurate } from './evalChecks.ts';

// A file of its own so it runs beside seed ci rather than after it.
describe('detection accuracy against the simulator ground truth (seed 1, the npm run eval default)', () => {
  it(`reaches precision and recall ≥ ${ACCURACY_TARGET} for every kind of detection over 100 vehicle-days at the default noise`, () => {
    expectAccurate('1');
  }, 120_000);
});

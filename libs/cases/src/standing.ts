import { z } from 'zod';

/** A carrier's standing from its outstanding points: green, yellow (watch), red (act). */
export const standings = ['green', 'yellow', 'red'] as const;
export type Standing = (typeof standings)[number];

/**
 * Outstanding points at which a carrier turns yellow and red. Defaults: yellow from 6 (one
 * restricted entry, or two illegal parkings, not yet cleared), red from 12 (twice that).
 */
export const standingThresholdsSchema = z
  .strictObject({
    yellow: z.number().int('must be a whole number of points').min(1).max(1000).default(6),
    red: z.number().int('must be a whole number of points').min(1).max(1000).default(12),
  })
  .refine((t) => t.yellow < t.red, { message: 'yellow must be below red', path: ['red'] });

export type StandingThresholds = z.output<typeof standingThresholdsSchema>;

export const defaultStandingThresholds: StandingThresholds = Object.freeze(standingThresholdsSchema.parse({}));

/** The standing of `outstanding` points. */
export function standingOf(outstanding: number, thresholds: StandingThresholds = defaultStandingThresholds): Standing {
  if (outstanding >= thresholds.red) return 'red';
  if (outstanding >= thresholds.yellow) return 'yellow';
  return 'green';
}

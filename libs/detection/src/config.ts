import { z } from 'zod';

/**
 * Every detection threshold, with its default, in one place. Replays record the values they ran
 * with, so a report can be re-checked with the same numbers.
 */
export const detectionConfigSchema = z.strictObject({
  /** A fix at or below this speed starts a stop. Parked drift reports a few km/h, so it only starts one. */
  stopSpeedKmh: z.number().min(0).max(30).default(5),
  /**
   * A stop starting at a slow fix begins at the fix before it when that one was this slow and
   * within `stopRadiusM`: the last report before a terminal's parked interval often shows drift
   * above `stopSpeedKmh`.
   */
  stopLeadInSpeedKmh: z.number().min(0).max(60).default(10),
  /** A stop lasts while fixes stay within this distance of its first fix, whatever their speed. */
  stopRadiusM: z.number().positive().max(1_000).default(100),
  /** A laden stop this long outside every dedicated lot is illegal parking. */
  illegalParkingAfterS: z.number().positive().max(86_400).default(600),
  /** Stops this close to the waybill's origin or destination are loading/unloading, not parking. */
  siteRadiusM: z.number().min(0).max(10_000).default(300),
  /** Consecutive fixes outside a segment needed to leave it, so one stray fix does not split a passage. */
  segmentExitFixes: z.number().int().min(1).max(20).default(2),
  /**
   * The general speed limit for hazmat vehicles (《危险货物道路运输安全管理办法》§46: 80 km/h on
   * expressways). A zone's `rules.speedLimitKmh` lowers it inside the zone, never raises it.
   */
  overspeedKmh: z.number().positive().max(200).default(80),
  /**
   * An overspeed is a run of consecutive fixes above the limit lasting at least this long: a single
   * fast fix (an overtaking manoeuvre, a GNSS speed spike) is never one.
   */
  overspeedMinS: z.number().positive().max(3_600).default(60),
  /**
   * A zone passed between two fixes is only inferred from fixes at most this far apart: over longer
   * gaps the straight line between them no longer stands for the road actually driven.
   */
  crossMaxGapS: z.number().positive().max(600).default(120),
  /**
   * ... and only when the straight line implies at most this speed: faster means a GNSS jump
   * (multipath, a cold start), not a drive through a tunnel.
   */
  crossMaxSpeedKmh: z.number().positive().max(300).default(150),
  /**
   * Driving longer than this without a rest is fatigue driving (疲劳驾驶: 4 h, the road traffic
   * safety regulations' rule for commercial drivers).
   */
  fatigueAfterS: z.number().positive().max(86_400).default(14_400),
  /**
   * A rest: a stop lasting at least this long, or a report gap this long whose fixes either side
   * lie within `stopRadiusM` of each other (20 min, the same rule).
   */
  restMinS: z.number().positive().max(86_400).default(1_200),
  /**
   * A vehicle with an active consignment whose terminal has not reported for this long of the
   * record's clock (ClockTicked) is offline (不在线). Fix times never advance that clock.
   */
  offlineAfterS: z.number().positive().max(86_400).default(1_200),
  /** Consecutive fixes off a laden vehicle's declared route (beyond its tolerance) that make a route deviation. */
  routeDeviationFixes: z.number().int().min(1).max(100).default(3),
  /** Recent event ids remembered per vehicle to tell a duplicate from a merely late fix. */
  duplicateWindow: z.number().int().min(0).max(1_024).default(16),
});

export type DetectionConfig = z.output<typeof detectionConfigSchema>;
export type DetectionConfigInput = z.input<typeof detectionConfigSchema>;

export const defaultDetectionConfig: DetectionConfig = Object.freeze(detectionConfigSchema.parse({}));

export class DetectionConfigError extends Error {
  readonly code = 'DETECTION_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'DetectionConfigError';
  }
}

/** Validates a partial configuration (e.g. from `--config file.json`) and fills in defaults. */
export function resolveDetectionConfig(input: unknown = {}): DetectionConfig {
  const result = detectionConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new DetectionConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  return Object.freeze(result.data);
}

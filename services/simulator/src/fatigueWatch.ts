import { isoCstMs } from './localTime.ts';
import type { FatigueTruth, NegativeCounts } from './truth.ts';

/** A fix this close to where the vehicle stood is still part of that stop for the detector's stop tracker (stopRadiusM). */
const STOP_RADIUS_M = 100;

/** Stops this close to `restMinS` (s) could go either way in the detector (first and last fixes are up to a report interval off). */
const NEAR_REST_S = 150;

/**
 * The fatigue-driving truth of one vehicle, from what the run intends: when its wheels stand still
 * and roll again, and which moving fixes its terminal sends live. A standstill of at least
 * `restMinS` is a rest (terminal on or off: the fixes either side are in the same place); the
 * driving period starts at the first live moving fix after it; fatigue is due at the first live
 * moving fix more than `fatigueAfterS` later. A fix withheld by a silent terminal cannot raise it.
 */
export class FatigueWatch {
  private stillSinceMs: number | null = null;
  /** Where the vehicle last stood, until a fix lies farther than STOP_RADIUS_M from it (planar metres). */
  private stoodAt: { x: number; y: number } | null = null;
  private drivingSinceMs: number | null = null;
  private open: FatigueTruth | null = null;
  /** Standstills whose length was within NEAR_REST_S of restMinS during a period that could matter. */
  nearRests = 0;

  constructor(
    private readonly vehicleId: string,
    private readonly fatigueAfterS: number,
    private readonly restMinS: number,
    private readonly out: FatigueTruth[],
    private readonly negatives: NegativeCounts,
  ) {}

  /** The wheels stop at `ms` at (x, y) (a stay begins); nothing if they already stand. */
  halted(ms: number, x: number, y: number): void {
    if (this.stillSinceMs !== null) return;
    this.stillSinceMs = ms;
    this.stoodAt = { x, y };
  }

  /** The wheels roll at `ms`: a standstill of `restMinS` or more was a rest. */
  rolling(ms: number): void {
    const since = this.stillSinceMs;
    if (since === null) return;
    this.stillSinceMs = null;
    const stillS = (ms - since) / 1000;
    if (this.drivingSinceMs !== null && Math.abs(stillS - this.restMinS) < NEAR_REST_S) this.nearRests++;
    if (stillS < this.restMinS) {
      if (this.drivingSinceMs !== null && stillS >= 300) this.negatives.shortBreaks++;
      return;
    }
    if (this.open !== null) {
      const endMs = since + this.restMinS * 1000;
      this.open.endMs = endMs;
      this.open.end = isoCstMs(endMs);
      this.open = null;
    }
    this.drivingSinceMs = null;
  }

  /**
   * A moving fix the terminal sends live (not withheld, not late) at (x, y). Until one lies beyond
   * STOP_RADIUS_M of where the vehicle stood, the detector counts its fixes as the stop's.
   */
  movingFix(ms: number, laden: boolean, x: number, y: number): void {
    if (this.stoodAt !== null) {
      if (Math.hypot(x - this.stoodAt.x, y - this.stoodAt.y) <= STOP_RADIUS_M) return;
      this.stoodAt = null;
    }
    if (this.drivingSinceMs === null) {
      this.drivingSinceMs = ms;
      this.declared = false;
      return;
    }
    if (this.declared || ms - this.drivingSinceMs <= this.fatigueAfterS * 1000) return;
    this.declared = true;
    this.open = {
      vehicleId: this.vehicleId,
      drivingSinceMs: this.drivingSinceMs,
      drivingSince: isoCstMs(this.drivingSinceMs),
      startMs: ms,
      start: isoCstMs(ms),
      endMs: null,
      end: null,
      laden,
    };
    this.out.push(this.open);
  }

  private declared = false;
}

import { pieceAt, type Route } from './roadNetwork.ts';

/** Planned braking (m/s²) towards a lower speed ahead, and how far ahead a driver looks (m). */
export const BRAKE = 0.8;
const LOOK_AHEAD_M = 400;

/** A stretch where a zone's lower limit holds (a bridge or a tunnel), margins included. */
export interface SpeedCap {
  fromM: number;
  toM: number;
  kmh: number;
}

/** A stretch a driver takes at `kmh` whatever the limits: an injected overspeed. */
export interface Burst {
  fromM: number;
  toM: number;
  kmh: number;
}

/**
 * How fast a driver wants to go along one leg, piece by piece: the road's hazmat limit or a zone's
 * lower one, times the driver's habit (`factor` < 1), except where an injected burst says
 * otherwise. `allowKmh` bounds the reported speed, so noise alone never makes an overspeed.
 */
export class SpeedProfile {
  /** Start (m along the route) of each piece; pieces are constant in speed. */
  readonly startM: Float64Array;
  /** Cruising speed (m/s) of each piece. */
  readonly cruise: Float64Array;
  /** Highest speed (km/h) a fix may report on each piece. */
  readonly allowKmh: Float64Array;

  constructor(route: Route, caps: readonly SpeedCap[], bursts: readonly Burst[], factor: number) {
    const cuts = new Set<number>();
    for (const c of route.cum) cuts.add(c);
    for (const x of [...caps, ...bursts]) {
      cuts.add(Math.max(0, Math.min(route.lengthM, x.fromM)));
      cuts.add(Math.max(0, Math.min(route.lengthM, x.toM)));
    }
    const starts = [...cuts].sort((a, b) => a - b).filter((c) => c < route.lengthM);
    this.startM = new Float64Array(starts);
    this.cruise = new Float64Array(starts.length);
    this.allowKmh = new Float64Array(starts.length);
    starts.forEach((a, i) => {
      const b = i + 1 < starts.length ? starts[i + 1]! : route.lengthM;
      const mid = (a + b) / 2;
      const burst = bursts.find((x) => mid >= x.fromM && mid < x.toM);
      if (burst !== undefined) {
        this.cruise[i] = burst.kmh / 3.6;
        this.allowKmh[i] = burst.kmh + 2;
        return;
      }
      let limit = route.limitKmh[pieceAt(route, mid)]!;
      for (const c of caps) if (mid >= c.fromM && mid < c.toM) limit = Math.min(limit, c.kmh);
      this.cruise[i] = (limit / 3.6) * factor;
      this.allowKmh[i] = limit;
    });
  }

  /** The piece containing `s`, searching forward from `hint` (the vehicle only moves forward). */
  pieceAt(s: number, hint: number): number {
    let i = hint;
    while (i + 1 < this.startM.length && this.startM[i + 1]! <= s) i++;
    return i;
  }

  /** Target speed (m/s) at `s`: the piece's cruise, or less where a slower piece ahead needs braking for. */
  target(s: number, piece: number): number {
    let target = this.cruise[piece]!;
    for (let j = piece + 1; j < this.startM.length && this.startM[j]! - s < LOOK_AHEAD_M; j++) {
      const lim = this.cruise[j]!;
      if (lim < target) target = Math.min(target, Math.sqrt(lim * lim + 2 * BRAKE * (this.startM[j]! - s)));
    }
    return target;
  }
}

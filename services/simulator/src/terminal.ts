import type { DgtEvent } from '@dgt/events';
import { isoCst } from './localTime.ts';
import { corrupt } from './malformed.ts';
import { malformedDefects, type SimMessage } from './messages.ts';
import { MinHeap } from './minHeap.ts';
import type { NoiseProfile } from './profile.ts';
import type { Prng } from './prng.ts';
import { toLonLat } from './planar.ts';
import type { FaultCounts } from './truth.ts';

interface ActiveGap {
  untilMs: number;
  buffered: boolean;
  held: DgtEvent[];
}

/**
 * A vehicle's BeiDou terminal and the systems that report its waybill: what they send and when it
 * arrives, with the faults real terminals have (jitter, parked drift and phantom speeds, late and
 * duplicate reports, malformed messages, signal-loss gaps uploaded late as a batch). Messages wait
 * in arrival order until the run has simulated past their arrival.
 */
export class Terminal {
  readonly intervalMs: number;
  readonly parkedIntervalMs: number;
  /** When the next report is due. */
  nextReportMs: number;
  headingDeg = 0;
  private readonly pending = new MinHeap<SimMessage>();
  private lastReportS = -1;
  private gap: ActiveGap | null = null;
  private offSinceMs = Infinity;

  constructor(
    private readonly rng: Prng,
    private readonly noise: NoiseProfile,
    private readonly faults: FaultCounts,
    private readonly runTag: string,
    private readonly vehicleId: string,
    startMs: number,
  ) {
    this.intervalMs = rng.pick([10, 15, 20, 30]) * 1000;
    this.parkedIntervalMs = rng.pick([300, 600, 900]) * 1000;
    this.nextReportMs = startMs + rng.int(0, this.parkedIntervalMs / 1000) * 1000;
  }

  jitteredInterval(): number {
    return this.intervalMs + (this.rng.chance(0.2) ? this.rng.pick([-1000, 1000]) : 0);
  }

  /** Signal lost from `t` for `durationS`; buffered fixes are uploaded late, after the first live one. */
  loseSignal(t: number, durationS: number, buffered: boolean): void {
    this.gap = { untilMs: t + durationS * 1000, buffered, held: [] };
    this.faults.movingGaps++;
  }

  /**
   * The driver switches the terminal off at `t` (issue #16: hiding a stop or a route): nothing is
   * recorded until `switchOn`, and nothing is uploaded afterwards either.
   */
  switchOff(t: number): void {
    this.gap = { untilMs: Infinity, buffered: false, held: [] };
    this.offSinceMs = t;
    this.faults.switchOffs++;
  }

  /** Back on: the first fix at or after `t` is sent live. */
  switchOn(t: number): void {
    if (this.gap !== null && this.gap.untilMs === Infinity) this.gap.untilMs = t;
  }

  /** Whether the terminal is switched off (not merely out of signal) at `t`. */
  isSwitchedOff(t: number): boolean {
    return this.gap !== null && this.gap.untilMs === Infinity && t >= this.offSinceMs;
  }

  /** A moving fix: σ-jittered position; the speed never above `maxKmh` (the driver's limit there). True if sent live. */
  reportMoving(t: number, x: number, y: number, speedKmh: number, maxKmh: number): boolean {
    const j = this.noise.movingJitterM;
    const speed = Math.min(maxKmh, Math.max(0, speedKmh + this.rng.normal() * 0.5));
    return this.report(t, x + this.rng.normal() * j, y + this.rng.normal() * j, speed);
  }

  /** A parked fix: drift within `parkedDriftM`, sometimes a phantom speed. */
  reportStationary(t: number, x: number, y: number): void {
    const n = this.noise;
    const r = n.parkedDriftM * Math.sqrt(this.rng.next());
    const a = this.rng.range(0, 2 * Math.PI);
    const speed = this.rng.chance(n.phantomSpeedShare) ? this.rng.range(0.5, n.phantomSpeedMaxKmh) : 0;
    this.report(t, x + r * Math.cos(a), y + r * Math.sin(a), speed);
  }

  /** A waybill system's event, dated (and delivered) at the whole second. */
  schedule(atMs: number, type: DgtEvent['type'], eventId: string, data: Record<string, unknown>): void {
    const at = Math.floor(atMs / 1000) * 1000;
    this.send({ eventId, type, occurredAt: isoCst(at), data } as DgtEvent, at);
  }

  /** Arrival time of the next message waiting (Infinity if none). */
  nextArrivalMs(): number {
    return this.pending.peekKey();
  }

  /** Every message that has arrived by `t` (all of them for Infinity), in arrival order. */
  *drain(t: number): Generator<SimMessage> {
    while (this.pending.size > 0 && this.pending.peekKey() <= t) yield this.pending.pop()!;
  }

  /** True when the fix goes out live (not withheld by a gap, not a second report in one second). */
  private report(t: number, x: number, y: number, speedKmh: number): boolean {
    const sec = Math.floor(t / 1000);
    if (sec <= this.lastReportS) return false;
    this.lastReportS = sec;
    const [lon, lat] = toLonLat(x, y);
    const event = {
      eventId: `${this.runTag}-${this.vehicleId}-${sec}`,
      type: 'VehiclePositionReported',
      occurredAt: isoCst(t),
      data: { vehicleId: this.vehicleId, lon: round6(lon), lat: round6(lat), speedKmh: Math.round(speedKmh * 10) / 10, headingDeg: Math.round(this.headingDeg) % 360 },
    } as DgtEvent;
    const n = this.noise;
    this.faults.fixes++;
    const gap = this.gap;
    if (gap !== null) {
      if (t < gap.untilMs) {
        this.faults.droppedInGaps++;
        if (gap.buffered) gap.held.push(event);
        return false;
      }
      // First fix after the gap goes live; the buffered ones follow as a late batch (JT/T 808 0x0704).
      this.gap = null;
      this.send(event, t);
      gap.held.forEach((e, i) => this.send(e, t + 1000 + i));
      this.faults.outOfOrder += gap.held.length;
      return true;
    }
    let arrival = t;
    if (this.rng.chance(n.outOfOrderRate)) {
      arrival += Math.round(this.rng.range(1.2, 3) * this.intervalMs);
      this.faults.outOfOrder++;
    }
    this.send(event, arrival);
    if (this.rng.chance(n.duplicateRate)) {
      this.send(event, arrival + this.rng.int(1, 90) * 1000);
      this.faults.duplicates++;
    }
    if (this.rng.chance(n.malformedRate)) {
      const defect = this.rng.pick(malformedDefects);
      this.pending.push(arrival + 500, { kind: 'malformed', raw: corrupt(event, defect), defect, arrivalMs: arrival + 500 });
      this.faults.malformed++;
    }
    return true;
  }

  private send(event: DgtEvent, arrivalMs: number): void {
    this.pending.push(arrivalMs, { kind: 'event', event, arrivalMs });
  }
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

import { type DgtEvent, epochMs } from '@dgt/events';
import { firstTickAtOrAfter } from './clockTicks.ts';
import type { LonLat } from './geography.ts';
import { isoCstMs } from './localTime.ts';
import type { SimMessage } from './messages.ts';
import { SphericalPath } from './routeDistance.ts';
import type { RuleThresholds } from './ruleTruth.ts';
import type { DeviationTruth, NegativeCounts, OfflineTruth } from './truth.ts';

/** How a silence of the terminal came about, as the vehicle run tells it (for the truth's breakdown). */
export type SilenceCause = OfflineTruth['cause'];

interface Routed {
  path: SphericalPath;
  toleranceM: number;
}

interface Run {
  waybillNo: string;
  sinceMs: number;
  fixes: number;
  maxDistanceM: number;
  open: DeviationTruth | null;
}

/**
 * The truth of offline terminals and route deviations for one vehicle, derived from the messages
 * it sends in the order the engine receives them, with the clock ticking every whole minute of
 * the simulated window (clockTicks.ts: a tick goes before any message arriving at or after it).
 * Fixes no later than the last applied one are dropped, as the engine drops them. The rules are
 * issue #16's; distances to a declared route are great-circle (routeDistance.ts), not @dgt/geo.
 */
export class TimeRuleObserver {
  private lastMs = -Infinity;
  /** Ticks before this instant have been accounted for. */
  private tickedTo = -Infinity;
  private offline: OfflineTruth | null = null;
  /** Waybills assigned to this vehicle and not yet unloaded (what makes a silence offline). */
  private readonly active = new Set<string>();
  private ladenWith: string | null = null;
  private readonly routes = new Map<string, Routed>();
  private run: Run | null = null;
  /** Silences the vehicle run caused, by when they began (for the truth's breakdown only). */
  private readonly silences: { fromMs: number; cause: SilenceCause }[] = [];

  constructor(
    private readonly vehicleId: string,
    private readonly rules: RuleThresholds,
    private readonly startMs: number,
    private readonly endMs: number,
    private readonly offlines: OfflineTruth[],
    private readonly deviations: DeviationTruth[],
    private readonly negatives: NegativeCounts,
  ) {}

  observe(message: SimMessage): void {
    this.ticksBefore(message.arrivalMs);
    if (message.kind === 'event') this.apply(message.event);
  }

  /** After the last message: the ticks left to the end of the window. */
  finish(): void {
    this.ticksBefore(Infinity);
  }

  /**
   * Every tick at or before `arrivalMs` (and within the window) comes before the message. Only the
   * first tick past the deadline matters, and nothing changes between two messages, so it is
   * computed rather than stepped through.
   */
  private ticksBefore(arrivalMs: number): void {
    const upTo = Math.min(arrivalMs, this.endMs);
    if (this.offline === null && this.lastMs > -Infinity && this.active.size > 0) {
      const deadline = this.lastMs + this.rules.offlineAfterS * 1000;
      const tick = Math.max(firstTickAtOrAfter(deadline), firstTickAtOrAfter(Math.max(this.tickedTo, this.startMs)));
      if (tick <= upTo) {
        this.offline = {
          vehicleId: this.vehicleId,
          lastFixMs: this.lastMs,
          startMs: deadline,
          start: isoCstMs(deadline),
          endMs: null,
          end: null,
          laden: this.ladenWith !== null,
          cause: this.causeOf(this.lastMs, deadline),
        };
        this.offlines.push(this.offline);
      }
    }
    // Ticks up to and including `upTo` are done; the next one to look at is after it.
    if (upTo + 1 > this.tickedTo) this.tickedTo = upTo + 1;
  }

  private apply(event: DgtEvent): void {
    switch (event.type) {
      case 'ConsignmentDeclared': {
        const r = event.data.route;
        // A route declared in GCJ-02 is measured against the WGS-84 plan it was converted from.
        if (r !== undefined && !this.routes.has(event.data.waybillNo)) {
          this.routes.set(event.data.waybillNo, { path: new SphericalPath(r.path as LonLat[]), toleranceM: r.toleranceM ?? 500 });
        }
        return;
      }
      case 'CarriageAssigned':
        if (event.data.vehicleId === this.vehicleId) this.active.add(event.data.waybillNo);
        return;
      case 'LoadingCompleted':
        if (event.data.vehicleId === this.vehicleId) this.ladenWith = event.data.waybillNo;
        return;
      case 'UnloadingCompleted':
        if (event.data.vehicleId !== this.vehicleId) return;
        this.active.delete(event.data.waybillNo);
        if (this.ladenWith === event.data.waybillNo) this.ladenWith = null;
        return;
      case 'ConsignmentCancelled':
        this.active.delete(event.data.waybillNo);
        return;
      case 'VehiclePositionReported': {
        if (event.data.vehicleId !== this.vehicleId) return;
        const ms = epochMs(event.occurredAt);
        if (ms <= this.lastMs) return;
        this.lastMs = ms;
        if (this.offline !== null) {
          this.offline.endMs = ms;
          this.offline.end = isoCstMs(ms);
          this.offline = null;
        }
        this.deviation(ms, event.data.lon, event.data.lat);
        return;
      }
      default:
        return;
    }
  }

  private deviation(ms: number, lon: number, lat: number): void {
    const waybillNo = this.ladenWith;
    const routed = waybillNo === null ? undefined : this.routes.get(waybillNo);
    let beyondM: number | null = null;
    if (routed !== undefined) {
      const d = routed.path.distanceM(lon, lat);
      if (d > routed.toleranceM) beyondM = d;
    }
    const run = this.run;
    if (run !== null && (routed === undefined || run.waybillNo !== waybillNo || beyondM === null)) {
      if (run.open !== null) {
        run.open.endMs = ms;
        run.open.end = isoCstMs(ms);
        run.open.maxDistanceM = round1(run.maxDistanceM);
      } else this.negatives.shortDeviationRuns++;
      this.run = null;
    }
    if (routed === undefined || beyondM === null) return;
    const current = (this.run ??= { waybillNo: waybillNo!, sinceMs: ms, fixes: 0, maxDistanceM: 0, open: null });
    current.fixes++;
    current.maxDistanceM = Math.max(current.maxDistanceM, beyondM);
    if (current.open === null && current.fixes >= this.rules.routeDeviationFixes) {
      current.open = {
        vehicleId: this.vehicleId,
        waybillNo: current.waybillNo,
        startMs: current.sinceMs,
        start: isoCstMs(current.sinceMs),
        endMs: null,
        end: null,
        maxDistanceM: round1(current.maxDistanceM),
      };
      this.deviations.push(current.open);
    } else if (current.open !== null) current.open.maxDistanceM = round1(current.maxDistanceM);
  }

  /** The run silences the terminal from `fromMs` (switched off, or asleep). */
  silence(fromMs: number, cause: SilenceCause): void {
    this.silences.push({ fromMs, cause });
  }

  private causeOf(lastFixMs: number, deadlineMs: number): SilenceCause {
    for (let i = this.silences.length - 1; i >= 0; i--) {
      const s = this.silences[i]!;
      if (s.fromMs <= deadlineMs && s.fromMs >= lastFixMs - 60_000) return s.cause;
      if (s.fromMs < lastFixMs - 60_000) break;
    }
    return 'other';
  }

  /** The route of a waybill as planned (WGS-84), before its declaration (which may carry it in GCJ-02). */
  plannedRoute(waybillNo: string, path: readonly LonLat[], toleranceM: number): void {
    this.routes.set(waybillNo, { path: new SphericalPath(path), toleranceM });
  }
}

function round1(m: number): number {
  return Math.round(m * 10) / 10;
}

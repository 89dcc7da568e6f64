import { type DgtEvent, epochMs } from '@dgt/events';
import { isoCstMs } from './localTime.ts';
import type { SimMessage } from './messages.ts';
import { toXY } from './planar.ts';
import { brokenRule, chordCrossing, classesMatch, limitAt, type PlanarZone, ruledZones } from './ruleZones.ts';
import type { NegativeCounts, OverspeedTruth, RestrictedEntryTruth } from './truth.ts';

/** The thresholds of the rules' definitions (the engine's config names; issue #15 defaults). */
export interface RuleThresholds {
  /** General hazmat limit (km/h). */
  overspeedKmh: number;
  /** A run of fast fixes becomes an overspeed once it has lasted this long (s). */
  overspeedMinS: number;
  /** Consecutive outside fixes that end a presence in a zone. */
  segmentExitFixes: number;
  /** Longest gap (s) between two fixes across which a zone passed between them is interpolated. */
  crossMaxGapS: number;
  /** Fastest implied speed (km/h) between two fixes for that interpolation. */
  crossMaxSpeedKmh: number;
  /** Issue #16: continuous driving (s) that is fatigue, and the rest (s) that ends a driving period. */
  fatigueAfterS: number;
  restMinS: number;
  /** Silence (s) of an active consignment's terminal, by the record's clock, that is offline. */
  offlineAfterS: number;
  /** Consecutive fixes off a laden vehicle's declared route that make a deviation. */
  routeDeviationFixes: number;
}

export const defaultRuleThresholds: Readonly<RuleThresholds> = Object.freeze({
  overspeedKmh: 80,
  overspeedMinS: 60,
  segmentExitFixes: 2,
  crossMaxGapS: 120,
  crossMaxSpeedKmh: 150,
  fatigueAfterS: 14_400,
  restMinS: 1_200,
  offlineAfterS: 1_200,
  routeDeviationFixes: 3,
});

/** Zones with a ban (always or in hours): the ones a restricted entry can happen in. */
const banZones: readonly PlanarZone[] = ruledZones.filter((z) => z.rules!.ladenBanned === true || z.rules!.bannedHours !== undefined);

interface Run {
  sinceMs: number;
  maxSpeedKmh: number;
  reported: OverspeedTruth | null;
}

interface Presence {
  outside: number;
  firstOutsideMs: number;
  open: RestrictedEntryTruth | null;
  /** Over the whole visit: broke the ban at some fix, or why not (for the negative counts). */
  broke: boolean;
  sawLaden: boolean;
  sawListedClass: boolean;
}

/**
 * The ground truth of overspeeds and restricted entries for one vehicle, derived from what its
 * terminal and waybill systems send, in the order the engine receives it: a fix no later than the
 * last applied one is dropped (late or duplicate), exactly as the engine drops it. Positions are
 * the reported ones, tested with planar geometry against the zones as designed (WGS-84), so the
 * answer depends only on the definitions in issue #15, not on @dgt/geo or @dgt/detection.
 */
export class RuleTruthObserver {
  private lastMs = -Infinity;
  private prev: { ms: number; x: number; y: number } | null = null;
  private ladenWith: string | null = null;
  private readonly classesOf = new Map<string, string[]>();
  private run: Run | null = null;
  private readonly presences = new Map<string, Presence>();

  constructor(
    private readonly vehicleId: string,
    private readonly rules: RuleThresholds,
    private readonly overspeeds: OverspeedTruth[],
    private readonly entries: RestrictedEntryTruth[],
    private readonly negatives: NegativeCounts,
  ) {}

  observe(message: SimMessage): void {
    if (message.kind === 'event') this.apply(message.event);
  }

  apply(event: DgtEvent): void {
    switch (event.type) {
      case 'ConsignmentDeclared':
        this.classesOf.set(event.data.waybillNo, event.data.goods.map((g) => g.hazardClass));
        return;
      case 'LoadingCompleted':
        if (event.data.vehicleId === this.vehicleId) this.ladenWith = event.data.waybillNo;
        return;
      case 'UnloadingCompleted':
        if (event.data.vehicleId === this.vehicleId && this.ladenWith === event.data.waybillNo) this.ladenWith = null;
        return;
      case 'VehiclePositionReported': {
        if (event.data.vehicleId !== this.vehicleId) return;
        const ms = epochMs(event.occurredAt);
        if (ms <= this.lastMs) return;
        this.lastMs = ms;
        const [x, y] = toXY([event.data.lon, event.data.lat]);
        this.overspeed(ms, x, y, event.data.speedKmh);
        this.restricted(ms, x, y);
        this.prev = { ms, x, y };
        return;
      }
      default:
        return;
    }
  }

  private overspeed(ms: number, x: number, y: number, speedKmh: number): void {
    const { limitKmh, zoneId } = limitAt(x, y, this.rules.overspeedKmh);
    if (speedKmh <= limitKmh) {
      if (this.run?.reported) {
        this.run.reported.endMs = ms;
        this.run.reported.end = isoCstMs(ms);
        this.run.reported.maxSpeedKmh = this.run.maxSpeedKmh;
      }
      this.run = null;
      return;
    }
    const run = (this.run ??= { sinceMs: ms, maxSpeedKmh: speedKmh, reported: null });
    run.maxSpeedKmh = Math.max(run.maxSpeedKmh, speedKmh);
    if (run.reported === null && ms >= run.sinceMs + this.rules.overspeedMinS * 1000) {
      run.reported = {
        vehicleId: this.vehicleId,
        sinceMs: run.sinceMs,
        since: isoCstMs(run.sinceMs),
        startMs: ms,
        start: isoCstMs(ms),
        endMs: null,
        end: null,
        limitKmh,
        zoneId,
        laden: this.ladenWith !== null,
        maxSpeedKmh: run.maxSpeedKmh,
      };
      this.overspeeds.push(run.reported);
    } else if (run.reported !== null) run.reported.maxSpeedKmh = run.maxSpeedKmh;
  }

  private restricted(ms: number, x: number, y: number): void {
    const waybillNo = this.ladenWith;
    const classes = waybillNo === null ? null : (this.classesOf.get(waybillNo) ?? []);
    for (const zone of banZones) {
      const inside = zone.contains(x, y);
      const p = this.presences.get(zone.zoneId);
      if (p === undefined) {
        if (inside) {
          const visit: Presence = { outside: 0, firstOutsideMs: 0, open: null, broke: false, sawLaden: false, sawListedClass: false };
          this.presences.set(zone.zoneId, visit);
          this.checkInside(zone, visit, ms, classes, waybillNo);
        } else this.crossing(zone, ms, x, y, classes, waybillNo);
        continue;
      }
      if (inside) {
        p.outside = 0;
        this.checkInside(zone, p, ms, classes, waybillNo);
        continue;
      }
      if (p.outside++ === 0) p.firstOutsideMs = ms;
      if (p.outside < this.rules.segmentExitFixes) continue;
      if (p.open) this.close(p.open, p.firstOutsideMs);
      this.presences.delete(zone.zoneId);
      this.countVisit(p);
    }
  }

  /** An inside fix: opens an entry where the ban is broken now, closes one where it no longer is. */
  private checkInside(zone: PlanarZone, p: Presence, ms: number, classes: readonly string[] | null, waybillNo: string | null): void {
    const rule = brokenRule(zone.rules, classes, ms);
    this.note(zone, p, classes);
    if (p.open !== null) {
      if (rule === null) {
        this.close(p.open, ms);
        p.open = null;
      }
      return;
    }
    if (rule === null) return;
    p.broke = true;
    p.open = { vehicleId: this.vehicleId, zoneId: zone.zoneId, rule, waybillNo: waybillNo!, startMs: ms, start: isoCstMs(ms), endMs: null, end: null, interpolated: false };
    this.entries.push(p.open);
  }

  /** No fix inside: did the straight line from the previous fix run through the zone? */
  private crossing(zone: PlanarZone, ms: number, x: number, y: number, classes: readonly string[] | null, waybillNo: string | null): void {
    const prev = this.prev;
    if (prev === null) return;
    const gapMs = ms - prev.ms;
    if (gapMs > this.rules.crossMaxGapS * 1000) return;
    if ((Math.hypot(x - prev.x, y - prev.y) / gapMs) * 3600 > this.rules.crossMaxSpeedKmh) return;
    const cut = chordCrossing(zone, prev.x, prev.y, x, y);
    if (cut === null) return;
    const enterMs = prev.ms + cut.enter * gapMs;
    const leaveMs = prev.ms + cut.leave * gapMs;
    const visit: Presence = { outside: 0, firstOutsideMs: 0, open: null, broke: false, sawLaden: false, sawListedClass: false };
    this.note(zone, visit, classes);
    const rule = brokenRule(zone.rules, classes, enterMs);
    if (rule !== null) {
      visit.broke = true;
      this.entries.push({
        vehicleId: this.vehicleId,
        zoneId: zone.zoneId,
        rule,
        waybillNo: waybillNo!,
        startMs: enterMs,
        start: isoCstMs(enterMs),
        endMs: leaveMs,
        end: isoCstMs(leaveMs),
        interpolated: true,
      });
    }
    this.countVisit(visit);
  }

  private note(zone: PlanarZone, p: Presence, classes: readonly string[] | null): void {
    if (classes === null) return;
    p.sawLaden = true;
    if (classesMatch(zone.rules?.hazardClasses, classes)) p.sawListedClass = true;
  }

  private close(entry: RestrictedEntryTruth, ms: number): void {
    entry.endMs = ms;
    entry.end = isoCstMs(ms);
  }

  private countVisit(p: Presence): void {
    if (p.broke) return;
    if (!p.sawLaden) this.negatives.bannedZoneVisitsEmpty++;
    else if (!p.sawListedClass) this.negatives.bannedZoneVisitsOtherClass++;
    else this.negatives.bannedZoneVisitsOutsideHours++;
  }
}

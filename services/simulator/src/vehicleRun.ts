import type { Fleet, Vehicle } from './fleet.ts';
import { productOf } from './fleet.ts';
import { customers, lots, type NodeId, nodes, parks } from './geography.ts';
import { wgs84ToGcj02 } from '@dgt/geo';
import { type Detour, detourPosition, planDetour, planSwitchOff, type SwitchOff } from './detours.ts';
import { FatigueWatch } from './fatigueWatch.ts';
import { type LadenPlan, longRunPlan, ordinaryLadenPlan } from './ladenRoute.ts';
import { type Gap, type LegOptions, type PlannedBurst, type PlannedStop, planBursts, planGap, planStops, speedCaps } from './legPlan.ts';
import { isoCst, isoCstMs } from './localTime.ts';
import type { SimMessage } from './messages.ts';
import type { NoiseProfile, ScenarioProfile } from './profile.ts';
import { Prng } from './prng.ts';
import { toLonLat, toXY } from './planar.ts';
import { positionAt, type RoadNetwork, type Route } from './roadNetwork.ts';
import { type ZoneInterval, zoneIntervals } from './routeZones.ts';
import { type RuleThresholds, RuleTruthObserver } from './ruleTruth.ts';
import { BRAKE, SpeedProfile } from './speedProfile.ts';
import { round6, Terminal } from './terminal.ts';
import { TimeRuleObserver } from './timeRuleTruth.ts';
import { type Planner, planNightTrip, planTrip, restLot, type TripPlan } from './tripPlanning.ts';
import type { GroundTruth } from './truth.ts';

const DAY_MS = 86_400_000;
const HOUR_S = 3_600;
const MIN = 60_000;
/** Truck kinematics (m/s²): gentle acceleration, and the most braking allowed (planned braking: speedProfile.ts). */
const ACCEL = 0.6;
const BRAKE_MAX = 2.5;

/** Everything a vehicle run shares with the others of one simulation. */
export interface RunContext {
  network: RoadNetwork;
  fleet: Fleet;
  noise: NoiseProfile;
  scenario: ScenarioProfile;
  seed: string;
  /** Short tag in every generated id, so runs with different seeds never collide in one store. */
  runTag: string;
  startMs: number;
  endMs: number;
  truth: GroundTruth;
  /** The thresholds the overspeed and restricted-entry truth is derived with. */
  rules: RuleThresholds;
}

interface StayOptions {
  x: number;
  y: number;
  accOff: boolean;
  sleep?: { fromMs: number; toMs: number } | undefined;
}

const sites = [...parks, ...lots, ...customers];

/**
 * One vehicle's days, as the messages its terminal and its waybill systems send, in arrival
 * order. A pure function of (seed, vehicle, window): other vehicles do not change it. The
 * overspeed and restricted-entry truth is derived from exactly these messages, in this order.
 */
export function* runVehicle(ctx: RunContext, vehicle: Vehicle): Generator<SimMessage> {
  const t = ctx.truth;
  const observer = new RuleTruthObserver(vehicle.vehicleId, ctx.rules, t.overspeeds, t.restrictedEntries, t.negatives);
  const timeRules = new TimeRuleObserver(vehicle.vehicleId, ctx.rules, ctx.startMs, ctx.endMs, t.offline, t.deviations, t.negatives);
  for (const message of new VehicleRun(ctx, vehicle, timeRules).run()) {
    observer.observe(message);
    timeRules.observe(message);
    yield message;
  }
  timeRules.finish();
}

/** The day plan and the driving; the terminal (terminal.ts) decides what is reported and when it arrives. */
class VehicleRun implements Planner {
  readonly rng: Prng;
  readonly network: RoadNetwork;
  readonly fleet: Fleet;
  readonly scenario: ScenarioProfile;
  readonly noise: NoiseProfile;
  private readonly terminal: Terminal;
  private t: number;
  private node: NodeId;
  private readonly fatigue: FatigueWatch;

  constructor(
    private readonly ctx: RunContext,
    readonly vehicle: Vehicle,
    private readonly timeRules: TimeRuleObserver,
  ) {
    this.rng = new Prng(`${ctx.seed}/${vehicle.vehicleId}`);
    this.network = ctx.network;
    this.fleet = ctx.fleet;
    this.scenario = ctx.scenario;
    this.noise = ctx.noise;
    this.terminal = new Terminal(this.rng, ctx.noise, ctx.truth.faults, ctx.runTag, vehicle.vehicleId, ctx.startMs);
    this.t = ctx.startMs;
    this.node = vehicle.homeLotId;
    this.fatigue = new FatigueWatch(vehicle.vehicleId, ctx.rules.fatigueAfterS, ctx.rules.restMinS, ctx.truth.fatigue, ctx.truth.negatives);
  }

  *run(): Generator<SimMessage> {
    const { startMs, endMs, runTag } = this.ctx;
    const waybill = (date: string, trip: number | string) => `WB-${runTag}-${date}-${this.vehicle.vehicleId}-${trip}`;
    let spot = this.lotSpot(this.node);
    for (let day = 0; startMs + day * DAY_MS < endMs; day++) {
      const dayStart = startMs + day * DAY_MS;
      const date = isoCst(dayStart).slice(0, 10).replaceAll('-', '');
      let slept = false;
      if (this.rng.chance(this.scenario.nightTripShare)) {
        const nightDepart = dayStart + this.rng.int(HOUR_S / 2, 3.5 * HOUR_S) * 1000;
        const plan = nightDepart > this.t + 60 * MIN ? planNightTrip(this, this.node, waybill(date, 'N')) : null;
        if (plan !== null) {
          this.ctx.truth.injected.nightTrips++;
          this.scheduleDeclaration(plan, nightDepart - this.rng.int(20, 60) * MIN);
          yield* this.stay(nightDepart, { ...spot, accOff: true, sleep: this.sleepWindow(nightDepart) });
          slept = true;
          yield* this.trip(plan);
          spot = this.siteSpot(this.node);
        }
      }
      const depart = Math.max(dayStart + this.rng.int(6 * HOUR_S, 9 * HOUR_S) * 1000, this.t + this.rng.int(20, 60) * MIN);
      if (depart >= endMs) break;
      let trip = 1;
      let plan = planTrip(this, this.node, waybill(date, trip));
      // A long run only when the day leaves time for it (the day trip departs 06:00–09:00).
      if (this.rng.chance(this.scenario.longRunShare)) plan.laden = this.longRun(plan) ?? undefined;
      // …or the drive to the loading site is one, empty (the driver is tired either way).
      else if (this.rng.chance(this.scenario.emptyLongRunShare)) plan.emptyRun = this.emptyLongRun(plan) ?? undefined;
      // Declared and assigned while the truck still rests.
      this.scheduleDeclaration(plan, depart - this.rng.int(60, 180) * MIN);
      yield* this.stay(depart, { ...spot, accOff: true, sleep: slept ? undefined : this.sleepWindow(depart) });
      for (;;) {
        yield* this.trip(plan);
        const localHour = (this.t - dayStart) / 3_600_000;
        if (trip >= 2 || localHour > 13 || !this.rng.chance(this.scenario.secondTripShare)) break;
        trip++;
        plan = planTrip(this, this.node, waybill(date, trip));
        this.scheduleDeclaration(plan, this.t + 1000);
        yield* this.stay(this.t + this.rng.int(15, 45) * MIN, { ...this.siteSpot(this.node), accOff: true });
      }
      const lot = restLot(this.network, this.vehicle, this.node);
      yield* this.leg(this.network.route(this.node, lot), { laden: false, waybillNo: null, inject: false });
      this.node = lot;
      spot = this.lotSpot(lot);
    }
    yield* this.stay(endMs, { ...spot, accOff: true });
    yield* this.terminal.drain(Infinity);
  }

  intervalsOf(route: Route): readonly ZoneInterval[] {
    return zoneIntervals(route);
  }

  // ---- A trip: to the origin, load, deliver, unload ---------------------------------------

  /** A long laden run for this trip, rested halfway or not; null when the network offers none from here. */
  private longRun(plan: TripPlan): LadenPlan | null {
    const rested = this.rng.chance(this.scenario.longRunRestedShare);
    const laden = longRunPlan(this, this.scenario, plan, rested);
    if (laden === null) return null;
    const injected = this.ctx.truth.injected;
    injected.longRuns++;
    if (rested) this.ctx.truth.negatives.restedLongRuns++;
    if (laden.hops.some((h) => h.pause?.terminalOff === true)) injected.gapRests++;
    return laden;
  }

  /** A long empty run from here to the loading site, unrested; null when the network offers none. */
  private emptyLongRun(plan: TripPlan): LadenPlan | null {
    const run = longRunPlan(this, this.scenario, { ...plan, origin: this.node, destination: plan.origin }, false);
    if (run === null) return null;
    this.ctx.truth.injected.emptyLongRuns++;
    return run;
  }

  /**
   * The waybill's route, as its system declares it: the planned laden path, in WGS-84 or GCJ-02
   * (as Chinese map services give it), with a stated tolerance or the default. Some waybills
   * name no route (the rule then has nothing to check).
   */
  private declaredRoute(plan: TripPlan, laden: LadenPlan): Record<string, unknown> | null {
    const sc = this.scenario;
    if (!this.rng.chance(sc.routeDeclaredShare)) {
      plan.declared = null;
      return null;
    }
    const tolerance = this.rng.pick(sc.routeToleranceM);
    const toleranceM = tolerance ?? 500;
    plan.declared = { toleranceM };
    this.timeRules.plannedRoute(plan.waybillNo, laden.path, toleranceM);
    const injected = this.ctx.truth.injected;
    injected.routedWaybills++;
    const gcj = this.rng.chance(sc.gcj02RouteShare);
    if (gcj) injected.gcj02Routes++;
    const path = laden.path.map(([lon, lat]) => {
      if (!gcj) return [lon, lat];
      const [glon, glat] = wgs84ToGcj02(lon, lat);
      return [round6(glon), round6(glat)];
    });
    return { path, ...(tolerance === null ? {} : { toleranceM: tolerance }), ...(gcj ? { datum: 'GCJ02' } : {}) };
  }

  private scheduleDeclaration(plan: TripPlan, declaredAt: number): void {
    const at = Math.max(declaredAt, this.t + 1000);
    const laden = (plan.laden ??= ordinaryLadenPlan(this, this.scenario, plan));
    const route = this.declaredRoute(plan, laden);
    const product = productOf(plan.unNumber);
    const place = (id: NodeId) => {
      const site = sites.find((s) => s.id === id)!;
      return { name: site.name, lon: nodes[id][0], lat: nodes[id][1] };
    };
    this.terminal.schedule(at, 'ConsignmentDeclared', `${plan.waybillNo}:declared`, {
      waybillNo: plan.waybillNo,
      consignorId: plan.consignor.consignorId,
      goods: [{ unNumber: product.unNumber, name: product.name, hazardClass: product.hazardClass, quantityKg: plan.quantityKg }],
      origin: place(plan.origin),
      destination: place(plan.destination),
      ...(route === null ? {} : { route }),
    });
    const v = this.vehicle;
    this.terminal.schedule(at + this.rng.int(5, 40) * MIN, 'CarriageAssigned', `${plan.waybillNo}:assigned`, {
      waybillNo: plan.waybillNo,
      carrierId: v.carrierId,
      vehicleId: v.vehicleId,
      driverId: v.driverId,
      escortId: v.escortId,
    });
  }

  private *trip(plan: TripPlan): Generator<SimMessage> {
    const net = this.network;
    const negatives = this.ctx.truth.negatives;
    if (plan.emptyRun !== undefined) {
      // A long empty run keeps to its plan: no roadside stops, no switch-off.
      for (const hop of plan.emptyRun.hops) {
        yield* this.leg(hop.route, { laden: false, waybillNo: null, inject: false });
        this.node = hop.route.to;
        if (hop.pause !== null) yield* this.stay(this.t + hop.pause.minutes * MIN, { ...this.lotSpot(this.node), accOff: true });
      }
    } else yield* this.leg(net.route(this.node, plan.origin), { laden: false, waybillNo: null, inject: true, maySwitchOff: true });
    this.node = plan.origin;
    // Queue at the gate, then load; the loader's system reports completion.
    const loadedAt = this.t + (this.rng.int(10, 40) + this.rng.int(30, 60)) * MIN;
    this.terminal.schedule(loadedAt, 'LoadingCompleted', `${plan.waybillNo}:loaded`, { waybillNo: plan.waybillNo, vehicleId: this.vehicle.vehicleId });
    negatives.loadingStops++;
    yield* this.stay(loadedAt + this.rng.int(2, 10) * MIN, { ...this.siteSpot(plan.origin), accOff: true });

    const ladenPlan = plan.laden!;
    if (ladenPlan.shortcut) this.ctx.truth.injected.restrictedShortcuts++;
    const routed = plan.declared ?? null;
    for (const hop of ladenPlan.hops) {
      // Detours and switch-offs on ordinary laden legs; a long run's hops keep to its plan.
      const ordinary = ladenPlan.longRun === 'none' && hop.inject;
      yield* this.leg(hop.route, { laden: true, waybillNo: plan.waybillNo, inject: hop.inject, routeToleranceM: ordinary && routed !== null ? routed.toleranceM : null, maySwitchOff: ordinary });
      this.node = hop.route.to;
      if (hop.pause === null) continue;
      if (ladenPlan.longRun === 'none') negatives.ladenLotRests++;
      const until = this.t + hop.pause.minutes * MIN;
      // Off in place: after the fix of the engine going off, back on a few minutes before leaving.
      const sleep = hop.pause.terminalOff ? { fromMs: this.t + 90_000, toMs: until - this.rng.int(3, 6) * MIN } : undefined;
      if (sleep !== undefined) this.timeRules.silence(sleep.fromMs, 'switched-off-parked');
      yield* this.stay(until, { ...this.lotSpot(this.node), accOff: true, sleep });
    }
    this.node = plan.destination;
    const unloadedAt = this.t + this.rng.int(30, 60) * MIN;
    this.terminal.schedule(unloadedAt, 'UnloadingCompleted', `${plan.waybillNo}:unloaded`, { waybillNo: plan.waybillNo, vehicleId: this.vehicle.vehicleId });
    this.terminal.schedule(unloadedAt + this.rng.int(5, 30) * MIN, 'ConsignmentClosed', `${plan.waybillNo}:closed`, { waybillNo: plan.waybillNo });
    negatives.unloadingStops++;
    yield* this.stay(unloadedAt + this.rng.int(3, 10) * MIN, { ...this.siteSpot(plan.destination), accOff: true });
  }

  private sleepWindow(wakeBy: number): { fromMs: number; toMs: number } | undefined {
    const n = this.noise;
    if (!this.rng.chance(n.sleepShare)) return undefined;
    const fromMs = this.t + this.rng.int(30, 90) * MIN;
    const toMs = Math.min(fromMs + this.rng.int(n.sleepS[0], n.sleepS[1]) * 1000, wakeBy - 10 * MIN);
    if (toMs <= fromMs) return undefined;
    this.ctx.truth.faults.sleepGaps++;
    this.timeRules.silence(fromMs, 'asleep-parked');
    return { fromMs, toMs };
  }

  private lotSpot(lot: NodeId): { x: number; y: number } {
    return this.around(lot, 50);
  }

  private siteSpot(site: NodeId): { x: number; y: number } {
    return this.around(site, 15);
  }

  private around(id: NodeId, radiusM: number): { x: number; y: number } {
    const [x, y] = toXY(nodes[id]);
    const r = radiusM * Math.sqrt(this.rng.next());
    const a = this.rng.range(0, 2 * Math.PI);
    return { x: x + r * Math.cos(a), y: y + r * Math.sin(a) };
  }

  // ---- Driving a leg, second by second --------------------------------------------------

  private *leg(route: Route, opts: LegOptions): Generator<SimMessage> {
    if (route.lengthM === 0) return;
    const intervals = this.intervalsOf(route);
    const stops = planStops(this, route, opts, intervals);
    const bursts = planBursts(this, route, stops, intervals);
    const gap = planGap(this, route, stops, intervals, bursts);
    const { negatives, injected } = this.ctx.truth;
    const detour = this.planDetour(route, stops, intervals, bursts, gap, opts);
    if (detour !== null) {
      // No red light on a detour: a vehicle halted there would report from the road it left.
      for (let i = stops.length - 1; i >= 0; i--) if (stops[i]!.kind === 'light' && stops[i]!.s > detour.fromM - 300 && stops[i]!.s < detour.toM + 300) stops.splice(i, 1);
    }
    const switchOff = this.planSwitchOff(route, stops, intervals, bursts, gap, detour, opts);
    let switchedOff = false;
    for (const b of bursts) {
      if (b.short) negatives.shortOverspeeds++;
      else if (b.zoneId === null) injected.overspeedGeneral++;
      else injected.overspeedInZone++;
    }
    const profile = new SpeedProfile(route, speedCaps(intervals), bursts, this.rng.range(0.86, 0.98));
    const segmentIntervals = intervals.filter((iv) => iv.kind === 'accident-segment');
    const entered = new Map<ZoneInterval, number>();
    const fixesInside = new Map<ZoneInterval, number>();
    let s = 0;
    let v = 0;
    let piece = 0;
    let stopIdx = 0;
    let gapStarted = false;
    for (;;) {
      const stop = stops[stopIdx]!;
      piece = profile.pieceAt(s, piece);
      // A gentle wave around the cruising speed, as real drivers hold it.
      let target = profile.target(s, piece) * (0.97 + 0.03 * Math.sin(this.t / 97_000));
      target = Math.min(target, Math.sqrt(2 * BRAKE * Math.max(0, stop.s - s)));
      const vNew = target > v ? Math.min(target, v + ACCEL) : Math.max(target, v - BRAKE_MAX);
      const ds = (v + vNew) / 2;
      const sPrev = s;
      const tPrev = this.t;
      const halts = s + ds >= stop.s - 0.3;
      s = halts ? stop.s : s + ds;
      v = halts ? 0 : vNew;
      this.t += 1000;
      this.crossings(segmentIntervals, entered, fixesInside, sPrev, s, tPrev, opts);
      if (v > 0) this.fatigue.rolling(this.t);
      if (gap !== null && !gapStarted && s >= gap.startS) {
        gapStarted = true;
        this.terminal.loseSignal(this.t, gap.durationS, gap.buffered);
      }
      if (switchOff !== null && !switchedOff && s >= switchOff.startS) {
        switchedOff = true;
        this.terminal.switchOff(this.t);
        this.timeRules.silence(this.t, 'switched-off-moving');
        if (switchOff.durationS !== null) this.terminal.switchOn(this.t + switchOff.durationS * 1000);
      }
      if (this.t >= this.terminal.nextReportMs) {
        let p = positionAt(route, s);
        if (detour !== null && s > detour.fromM && s < detour.toM) p = { ...detourPosition(route, detour, s, p.x, p.y, p.headingDeg), headingDeg: p.headingDeg };
        this.terminal.headingDeg = p.headingDeg;
        const live = this.terminal.reportMoving(this.t, p.x, p.y, v * 3.6, profile.allowKmh[profile.pieceAt(s, piece)]!);
        // What the stop tracker counts as moving: faster than a parked drift (stopSpeedKmh 5).
        if (live && v * 3.6 > 6) this.fatigue.movingFix(this.t, opts.laden, p.x, p.y);
        for (const iv of segmentIntervals) if (s >= iv.fromM && s <= iv.toM) fixesInside.set(iv, (fixesInside.get(iv) ?? 0) + 1);
        this.terminal.nextReportMs = this.t + this.terminal.jitteredInterval();
      }
      if (this.terminal.nextArrivalMs() <= this.t) yield* this.terminal.drain(this.t);
      if (!halts) continue;
      if (stop.kind === 'end' && switchOff?.onAfterArrivalS != null && switchedOff) this.terminal.switchOn(this.t + switchOff.onAfterArrivalS * 1000);
      yield* this.halt(route, stop, opts);
      if (stop.kind === 'end') return;
      stopIdx++;
    }
  }

  /** A detour off the declared route on a laden leg (long or short), or none. */
  private planDetour(route: Route, stops: readonly PlannedStop[], intervals: readonly ZoneInterval[], bursts: readonly PlannedBurst[], gap: Gap | null, opts: LegOptions): Detour | null {
    const toleranceM = opts.routeToleranceM ?? null;
    if (toleranceM === null) return null;
    const sc = this.scenario;
    const long = this.rng.chance(sc.detourPerLadenLeg);
    const short = !long && this.rng.chance(sc.shortDetourPerLadenLeg);
    if (!long && !short) return null;
    const detour = planDetour(this, route, stops, intervals, bursts, gap, this.terminal.intervalMs / 1000, toleranceM, short);
    if (detour !== null) {
      if (short) this.ctx.truth.injected.shortDetours++;
      else this.ctx.truth.injected.detours++;
    }
    return detour;
  }

  /** The terminal switched off on this leg: to the end of it and a little after (offline), or briefly, or not at all. */
  private planSwitchOff(route: Route, stops: readonly PlannedStop[], intervals: readonly ZoneInterval[], bursts: readonly PlannedBurst[], gap: Gap | null, detour: Detour | null, opts: LegOptions): SwitchOff | null {
    if (opts.maySwitchOff !== true) return null;
    const sc = this.scenario;
    const long = this.rng.chance(opts.laden ? sc.switchOffPerLadenLeg : sc.switchOffPerAssignedLeg);
    const short = !long && this.rng.chance(sc.shortSwitchOffPerLeg);
    if (!long && !short) return null;
    const off = planSwitchOff(this, route, stops, intervals, bursts, gap, detour, long);
    if (off !== null && long) {
      if (opts.laden) this.ctx.truth.injected.switchOffsLaden++;
      else this.ctx.truth.injected.switchOffsAssigned++;
    } else if (off !== null) this.ctx.truth.negatives.shortSwitchOffs++;
    return off;
  }

  private *halt(route: Route, stop: PlannedStop, opts: LegOptions): Generator<SimMessage> {
    switch (stop.kind) {
      case 'end':
        return;
      case 'light': {
        this.ctx.truth.negatives.redLightStops++;
        const p = positionAt(route, stop.s);
        yield* this.stay(this.t + stop.durationS * 1000, { x: p.x, y: p.y, accOff: false });
        return;
      }
      case 'violation':
      case 'short':
      case 'empty': {
        const p = positionAt(route, stop.s);
        // Pulled over onto the shoulder, 5 m right of the centre line.
        const h = (p.headingDeg * Math.PI) / 180;
        const x = p.x + 5 * Math.cos(h);
        const y = p.y - 5 * Math.sin(h);
        const startMs = this.t;
        const endMs = startMs + stop.durationS * 1000;
        const negatives = this.ctx.truth.negatives;
        if (stop.kind === 'violation') {
          const [lon, lat] = toLonLat(x, y);
          this.ctx.truth.parking.push({
            vehicleId: this.vehicle.vehicleId,
            waybillNo: opts.waybillNo ?? '',
            startMs,
            endMs,
            start: isoCst(startMs),
            end: isoCst(endMs),
            durationS: stop.durationS,
            lon: round6(lon),
            lat: round6(lat),
          });
        } else if (stop.kind === 'short') negatives.shortLadenStops++;
        else negatives.emptyRoadsideStops++;
        yield* this.stay(endMs, { x, y, accOff: true });
        return;
      }
      default: {
        const unreachable: never = stop.kind;
        throw new Error(`unknown stop ${String(unreachable)}`);
      }
    }
  }

  /** Segment passages of the noise-free trajectory (the advisory's truth), timed within the second. */
  private crossings(intervals: readonly ZoneInterval[], entered: Map<ZoneInterval, number>, fixesInside: Map<ZoneInterval, number>, s0: number, s1: number, t0: number, opts: LegOptions): void {
    if (s1 <= s0) return;
    const msPerM = 1000 / (s1 - s0);
    for (const iv of intervals) {
      if (iv.fromM > s1) break;
      if (!entered.has(iv) && (iv.fromM > s0 || (s0 === 0 && iv.fromM === 0)) && iv.fromM <= s1) entered.set(iv, t0 + (iv.fromM - s0) * msPerM);
      const startMs = entered.get(iv);
      if (startMs !== undefined && iv.toM > s0 && iv.toM <= s1) {
        const endMs = t0 + (iv.toM - s0) * msPerM;
        this.ctx.truth.segments.push({
          vehicleId: this.vehicle.vehicleId,
          zoneId: iv.zoneId,
          startMs,
          endMs,
          start: isoCstMs(startMs),
          end: isoCstMs(endMs),
          laden: opts.laden,
          waybillNo: opts.waybillNo,
          fixesInside: fixesInside.get(iv) ?? 0,
        });
      }
    }
  }

  // ---- Standing still -------------------------------------------------------------------

  /** Stationary until `untilMs`; with `accOff`, the engine goes off after a while and on again before leaving. */
  private *stay(untilMs: number, o: StayOptions): Generator<SimMessage> {
    if (untilMs <= this.t) return;
    this.fatigue.halted(this.t, o.x, o.y);
    const terminal = this.terminal;
    let accOffAt = Infinity;
    let accOnAt = Infinity;
    if (o.accOff) {
      const off = this.t + this.rng.int(10, 60) * 1000;
      const on = untilMs - this.rng.int(20, 90) * 1000;
      if (on > off + 60_000) [accOffAt, accOnAt] = [off, on];
    }
    let accOn = true;
    for (;;) {
      const next = Math.min(terminal.nextReportMs, accOffAt, accOnAt);
      if (next >= untilMs) break;
      this.t = Math.max(this.t, next);
      if (next === accOffAt) {
        accOn = false;
        accOffAt = Infinity;
      } else if (next === accOnAt) {
        accOn = true;
        accOnAt = Infinity;
      }
      const asleep = o.sleep !== undefined && this.t >= o.sleep.fromMs && this.t < o.sleep.toMs;
      if (!asleep) terminal.reportStationary(this.t, o.x, o.y);
      // JT/T 808 terminals report on every ACC change, then at the interval of the new state.
      terminal.nextReportMs = this.t + (accOn ? terminal.jitteredInterval() : terminal.parkedIntervalMs);
      if (terminal.nextArrivalMs() <= this.t) yield* terminal.drain(this.t);
    }
    this.t = untilMs;
    yield* terminal.drain(this.t);
  }
}

import type { DgtEvent } from '@dgt/events';
import type { Consignor, Fleet, Vehicle } from './fleet.ts';
import { productOf } from './fleet.ts';
import { customers, lotNearPark, lots, type NodeId, nodes, parks } from './geography.ts';
import { isoCst, isoCstMs } from './localTime.ts';
import { malformedDefects, type SimMessage } from './messages.ts';
import { corrupt } from './malformed.ts';
import { MinHeap } from './minHeap.ts';
import type { NoiseProfile, ScenarioProfile } from './profile.ts';
import { Prng } from './prng.ts';
import { toLonLat, toXY } from './planar.ts';
import { positionAt, type Route, type RoadNetwork } from './roadNetwork.ts';
import { distanceToSegmentsM, type SegmentInterval, segmentIntervals } from './routeSegments.ts';
import type { FaultCounts, GroundTruth, NegativeCounts } from './truth.ts';

const DAY_MS = 86_400_000;
const MIN = 60_000;
/** Truck kinematics (m/s²): gentle acceleration, planned braking, and the most braking allowed. */
const ACCEL = 0.6;
const BRAKE = 0.8;
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
  routeIntervals: Map<Route, SegmentInterval[]>;
}

type StopKind = 'light' | 'violation' | 'short' | 'empty' | 'end';

interface PlannedStop {
  s: number;
  kind: StopKind;
  durationS: number;
}

interface Gap {
  startS: number;
  durationS: number;
  buffered: boolean;
}

interface ActiveGap {
  untilMs: number;
  buffered: boolean;
  held: DgtEvent[];
}

interface LegOptions {
  laden: boolean;
  waybillNo: string | null;
  /** Which roadside stops may be injected on this leg. */
  inject: boolean;
}

interface StayOptions {
  x: number;
  y: number;
  accOff: boolean;
  sleep?: { fromMs: number; toMs: number };
}

const sites = [...parks, ...lots, ...customers];
const sitePoints = sites.map((s) => toXY(nodes[s.id]));

/**
 * One vehicle's days, as the messages its terminal and its waybill systems send, in arrival
 * order. A pure function of (seed, vehicle, window): other vehicles do not change it.
 */
export function* runVehicle(ctx: RunContext, vehicle: Vehicle): Generator<SimMessage> {
  yield* new VehicleRun(ctx, vehicle).run();
}

class VehicleRun {
  private readonly rng: Prng;
  private readonly pending = new MinHeap<SimMessage>();
  private readonly intervalMs: number;
  private readonly parkedIntervalMs: number;
  private t: number;
  private node: NodeId;
  private nextReportMs: number;
  private lastReportS = -1;
  private headingDeg = 0;
  private gap: ActiveGap | null = null;
  private readonly faults: FaultCounts;
  private readonly negatives: NegativeCounts;

  constructor(
    private readonly ctx: RunContext,
    private readonly vehicle: Vehicle,
  ) {
    this.rng = new Prng(`${ctx.seed}/${vehicle.vehicleId}`);
    this.intervalMs = this.rng.pick([10, 15, 20, 30]) * 1000;
    this.parkedIntervalMs = this.rng.pick([300, 600, 900]) * 1000;
    this.t = ctx.startMs;
    this.node = vehicle.homeLotId;
    this.nextReportMs = ctx.startMs + this.rng.int(0, this.parkedIntervalMs / 1000) * 1000;
    this.faults = ctx.truth.faults;
    this.negatives = ctx.truth.negatives;
  }

  *run(): Generator<SimMessage> {
    const { startMs, endMs } = this.ctx;
    let spot = this.lotSpot(this.node);
    for (let day = 0; startMs + day * DAY_MS < endMs; day++) {
      const dayStart = startMs + day * DAY_MS;
      const depart = dayStart + this.rng.int(6 * 3600, 9 * 3600) * 1000;
      if (depart >= endMs) break;
      const date = isoCst(dayStart).slice(0, 10).replaceAll('-', '');
      let trip = 1;
      let plan = this.planTrip(this.node, `WB-${this.ctx.runTag}-${date}-${this.vehicle.vehicleId}-${trip}`);
      // Declared and assigned while the truck still rests in its lot.
      this.scheduleDeclaration(plan, depart - this.rng.int(60, 180) * MIN);
      yield* this.stay(depart, { ...spot, accOff: true, sleep: this.sleepWindow(depart) });
      for (;;) {
        yield* this.trip(plan);
        const localHour = (this.t - dayStart) / 3_600_000;
        if (trip >= 2 || localHour > 13 || !this.rng.chance(this.ctx.scenario.secondTripShare)) break;
        trip++;
        plan = this.planTrip(this.node, `WB-${this.ctx.runTag}-${date}-${this.vehicle.vehicleId}-${trip}`);
        this.scheduleDeclaration(plan, this.t + 1000);
        yield* this.stay(this.t + this.rng.int(15, 45) * MIN, { ...this.siteSpot(this.node), accOff: true });
      }
      const lot = this.restLot();
      yield* this.leg(this.ctx.network.route(this.node, lot), { laden: false, waybillNo: null, inject: false });
      this.node = lot;
      spot = this.lotSpot(lot);
    }
    yield* this.stay(endMs, { ...spot, accOff: true });
    while (this.pending.size > 0) yield this.pending.pop()!;
  }

  // ---- Planning -------------------------------------------------------------------------

  private planTrip(from: NodeId, waybillNo: string): TripPlan {
    const body = this.vehicle.body;
    const pairedPark = Object.entries(lotNearPark).find(([, lot]) => lot === from)?.[0] as NodeId | undefined;
    const origin: NodeId = pairedPark !== undefined && this.rng.chance(0.6) ? pairedPark : this.rng.pick(parks).id;
    const candidates = this.ctx.fleet.consignors.filter((c) => c.parkId === origin && c.unNumbers.some((u) => productOf(u).body === body));
    const consignor = this.rng.pick(candidates);
    const product = productOf(this.rng.pick(consignor.unNumbers.filter((u) => productOf(u).body === body)));
    const destinations = [...parks, ...customers].filter((s) => s.id !== origin && this.ctx.network.route(origin, s.id).lengthM >= 8_000);
    const destination = this.rng.pick(destinations).id;
    const quantityKg = Math.round((this.vehicle.capacityKg * this.rng.range(0.7, 1)) / 100) * 100;
    return { waybillNo, origin, destination, consignor, unNumber: product.unNumber, quantityKg };
  }

  private scheduleDeclaration(plan: TripPlan, declaredAt: number): void {
    const at = Math.max(declaredAt, this.t + 1000);
    const product = productOf(plan.unNumber);
    const place = (id: NodeId) => {
      const site = sites.find((s) => s.id === id)!;
      return { name: site.name, lon: nodes[id][0], lat: nodes[id][1] };
    };
    this.schedule(at, 'ConsignmentDeclared', `${plan.waybillNo}:declared`, {
      waybillNo: plan.waybillNo,
      consignorId: plan.consignor.consignorId,
      goods: [{ unNumber: product.unNumber, name: product.name, hazardClass: product.hazardClass, quantityKg: plan.quantityKg }],
      origin: place(plan.origin),
      destination: place(plan.destination),
    });
    const v = this.vehicle;
    this.schedule(at + this.rng.int(5, 40) * MIN, 'CarriageAssigned', `${plan.waybillNo}:assigned`, {
      waybillNo: plan.waybillNo,
      carrierId: v.carrierId,
      vehicleId: v.vehicleId,
      driverId: v.driverId,
      escortId: v.escortId,
    });
  }

  private *trip(plan: TripPlan): Generator<SimMessage> {
    const net = this.ctx.network;
    yield* this.leg(net.route(this.node, plan.origin), { laden: false, waybillNo: null, inject: true });
    this.node = plan.origin;
    // Queue at the gate, then load; the loader's system reports completion.
    const loadedAt = this.t + (this.rng.int(10, 40) + this.rng.int(30, 60)) * MIN;
    this.schedule(loadedAt, 'LoadingCompleted', `${plan.waybillNo}:loaded`, { waybillNo: plan.waybillNo, vehicleId: this.vehicle.vehicleId });
    this.negatives.loadingStops++;
    yield* this.stay(loadedAt + this.rng.int(2, 10) * MIN, { ...this.siteSpot(plan.origin), accOff: true });

    const laden: LegOptions = { laden: true, waybillNo: plan.waybillNo, inject: true };
    const direct = net.route(plan.origin, plan.destination);
    const restLot = this.rng.chance(this.ctx.scenario.ladenLotRestPerLadenLeg) ? this.lotOnTheWay(plan.origin, plan.destination, direct.lengthM) : null;
    if (restLot !== null) {
      yield* this.leg(net.route(plan.origin, restLot), { ...laden, inject: false });
      this.node = restLot;
      this.negatives.ladenLotRests++;
      yield* this.stay(this.t + this.rng.int(20, 45) * MIN, { ...this.lotSpot(restLot), accOff: true });
      yield* this.leg(net.route(restLot, plan.destination), laden);
    } else {
      yield* this.leg(direct, laden);
    }
    this.node = plan.destination;
    const unloadedAt = this.t + this.rng.int(30, 60) * MIN;
    this.schedule(unloadedAt, 'UnloadingCompleted', `${plan.waybillNo}:unloaded`, { waybillNo: plan.waybillNo, vehicleId: this.vehicle.vehicleId });
    this.schedule(unloadedAt + this.rng.int(5, 30) * MIN, 'ConsignmentClosed', `${plan.waybillNo}:closed`, { waybillNo: plan.waybillNo });
    this.negatives.unloadingStops++;
    yield* this.stay(unloadedAt + this.rng.int(3, 10) * MIN, { ...this.siteSpot(plan.destination), accOff: true });
  }

  private lotOnTheWay(from: NodeId, to: NodeId, directM: number): NodeId | null {
    let best: NodeId | null = null;
    let bestM = Infinity;
    for (const lot of lots) {
      const m = this.ctx.network.route(from, lot.id).lengthM + this.ctx.network.route(lot.id, to).lengthM;
      if (m < bestM) [best, bestM] = [lot.id, m];
    }
    return bestM <= directM * 1.6 ? best : null;
  }

  /** The home lot when it is near, else the nearest lot. */
  private restLot(): NodeId {
    const home = this.vehicle.homeLotId;
    if (this.node === home || this.ctx.network.route(this.node, home).lengthM <= 50_000) return home;
    let best: NodeId = home;
    let bestM = Infinity;
    for (const lot of lots) {
      const m = this.ctx.network.route(this.node, lot.id).lengthM;
      if (m < bestM) [best, bestM] = [lot.id, m];
    }
    return best;
  }

  private sleepWindow(wakeBy: number): { fromMs: number; toMs: number } | undefined {
    const n = this.ctx.noise;
    if (!this.rng.chance(n.sleepShare)) return undefined;
    const fromMs = this.t + this.rng.int(30, 90) * MIN;
    const toMs = Math.min(fromMs + this.rng.int(n.sleepS[0], n.sleepS[1]) * 1000, wakeBy - 10 * MIN);
    if (toMs <= fromMs) return undefined;
    this.faults.sleepGaps++;
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

  // ---- Driving --------------------------------------------------------------------------

  private intervalsOf(route: Route): SegmentInterval[] {
    let hit = this.ctx.routeIntervals.get(route);
    if (!hit) {
      hit = segmentIntervals(route);
      this.ctx.routeIntervals.set(route, hit);
    }
    return hit;
  }

  private planStops(route: Route, opts: LegOptions, intervals: readonly SegmentInterval[]): PlannedStop[] {
    const sc = this.ctx.scenario;
    const stops: PlannedStop[] = [];
    const minutes = (r: readonly [number, number]) => this.rng.int(r[0] * 60, r[1] * 60);
    if (opts.inject) {
      if (opts.laden && this.rng.chance(sc.violationPerLadenLeg)) this.addRoadside(route, stops, 'violation', minutes(sc.violationMinutes), intervals);
      if (opts.laden && this.rng.chance(sc.shortLadenStopPerLadenLeg)) this.addRoadside(route, stops, 'short', minutes(sc.shortStopMinutes), intervals);
      if (!opts.laden && this.rng.chance(sc.emptyStopPerEmptyLeg)) this.addRoadside(route, stops, 'empty', minutes(sc.emptyStopMinutes), intervals);
    }
    const lights: number[] = [...route.signalledJunctionsM];
    // Towns along ordinary roads: a signalled crossing every few kilometres.
    let next = this.rng.range(1_500, 4_000);
    for (let i = 0; i + 1 < route.cum.length; i++) {
      if (route.roadClass[i] !== 'road') continue;
      while (next < route.cum[i + 1]! - route.cum[i]!) {
        lights.push(route.cum[i]! + next);
        next += this.rng.range(2_000, 5_000);
      }
      next -= route.cum[i + 1]! - route.cum[i]!;
    }
    for (const s of lights.sort((a, b) => a - b)) {
      if (s < 150 || s > route.lengthM - 150 || stops.some((x) => Math.abs(x.s - s) < 300)) continue;
      if (this.rng.chance(sc.redLightShare)) stops.push({ s, kind: 'light', durationS: this.rng.int(sc.redLightS[0], sc.redLightS[1]) });
    }
    stops.sort((a, b) => a.s - b.s);
    stops.push({ s: route.lengthM, kind: 'end', durationS: 0 });
    return stops;
  }

  /** A roadside stop away from sites, lots and segments (so its truth is unambiguous). */
  private addRoadside(route: Route, stops: PlannedStop[], kind: StopKind, durationS: number, intervals: readonly SegmentInterval[]): void {
    if (route.lengthM < 4_000) return;
    for (let attempt = 0; attempt < 30; attempt++) {
      const s = this.rng.range(1_500, route.lengthM - 1_500);
      const p = positionAt(route, s);
      if (distanceToSegmentsM(p.x, p.y) < 500) continue;
      if (intervals.some((iv) => s > iv.fromM - 1_000 && s < iv.toM + 1_000)) continue;
      if (sitePoints.some(([x, y]) => Math.hypot(p.x - x, p.y - y) < 1_000)) continue;
      if (stops.some((x) => Math.abs(x.s - s) < 2_000)) continue;
      stops.push({ s, kind, durationS });
      return;
    }
  }

  private planGap(route: Route, stops: readonly PlannedStop[], intervals: readonly SegmentInterval[]): Gap | null {
    const n = this.ctx.noise;
    if (!this.rng.chance(n.movingGapsPerLeg) || route.lengthM < 5_000) return null;
    const durationS = this.rng.int(n.movingGapS[0], n.movingGapS[1]);
    // Far enough ahead of and behind anything a detector must see: 80 km/h for the whole gap.
    const span = (durationS * 80) / 3.6 + 1_000;
    for (let attempt = 0; attempt < 20; attempt++) {
      const startS = this.rng.range(500, Math.max(600, route.lengthM - 1_000));
      const clear = (a: number) => a < startS - 1_000 || a > startS + span;
      if (!intervals.every((iv) => clear(iv.fromM) && clear(iv.toM) && !(iv.fromM < startS && iv.toM > startS))) continue;
      if (!stops.every((x) => x.kind === 'light' || x.kind === 'end' || clear(x.s))) continue;
      return { startS, durationS, buffered: this.rng.chance(0.5) };
    }
    return null;
  }

  private *leg(route: Route, opts: LegOptions): Generator<SimMessage> {
    if (route.lengthM === 0) return;
    const intervals = this.intervalsOf(route);
    const stops = this.planStops(route, opts, intervals);
    const gap = this.planGap(route, stops, intervals);
    const factor = this.rng.range(0.86, 0.98);
    const entered = new Map<SegmentInterval, number>();
    let s = 0;
    let v = 0;
    let piece = 0;
    let stopIdx = 0;
    let gapStarted = false;
    const n = route.cum.length;
    for (;;) {
      const stop = stops[stopIdx]!;
      while (piece < n - 2 && route.cum[piece + 1]! <= s) piece++;
      let target = (route.limitKmh[piece]! / 3.6) * factor;
      for (let j = piece + 1; j < n - 1 && route.cum[j]! - s < 400; j++) {
        const lim = (route.limitKmh[j]! / 3.6) * factor;
        if (lim < target) target = Math.min(target, Math.sqrt(lim * lim + 2 * BRAKE * (route.cum[j]! - s)));
      }
      // A gentle wave around the cruising speed, as real drivers hold it.
      target *= 0.97 + 0.03 * Math.sin(this.t / 97_000);
      target = Math.min(target, Math.sqrt(2 * BRAKE * Math.max(0, stop.s - s)));
      const vNew = target > v ? Math.min(target, v + ACCEL) : Math.max(target, v - BRAKE_MAX);
      const ds = (v + vNew) / 2;
      const sPrev = s;
      const tPrev = this.t;
      const halts = s + ds >= stop.s - 0.3;
      s = halts ? stop.s : s + ds;
      v = halts ? 0 : vNew;
      this.t += 1000;
      this.crossings(intervals, entered, sPrev, s, tPrev, opts);
      if (gap !== null && !gapStarted && s >= gap.startS) {
        gapStarted = true;
        this.gap = { untilMs: this.t + gap.durationS * 1000, buffered: gap.buffered, held: [] };
        this.faults.movingGaps++;
      }
      if (this.t >= this.nextReportMs) {
        const p = positionAt(route, s);
        this.headingDeg = p.headingDeg;
        this.reportMoving(p.x, p.y, v * 3.6, route.limitKmh[Math.min(piece, n - 2)]!);
        this.nextReportMs = this.t + this.jitteredInterval();
      }
      if (this.pending.peekKey() <= this.t) yield* this.drain();
      if (!halts) continue;
      yield* this.halt(route, stop, opts);
      if (stop.kind === 'end') return;
      stopIdx++;
    }
  }

  private *halt(route: Route, stop: PlannedStop, opts: LegOptions): Generator<SimMessage> {
    switch (stop.kind) {
      case 'end':
        return;
      case 'light': {
        this.negatives.redLightStops++;
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
        } else if (stop.kind === 'short') this.negatives.shortLadenStops++;
        else this.negatives.emptyRoadsideStops++;
        yield* this.stay(endMs, { x, y, accOff: true });
        return;
      }
      default: {
        const unreachable: never = stop.kind;
        throw new Error(`unknown stop ${String(unreachable)}`);
      }
    }
  }

  private crossings(intervals: readonly SegmentInterval[], entered: Map<SegmentInterval, number>, s0: number, s1: number, t0: number, opts: LegOptions): void {
    if (s1 <= s0) return;
    const at = (m: number) => t0 + ((m - s0) / (s1 - s0)) * 1000;
    for (const iv of intervals) {
      if (iv.fromM > s1) break;
      if (!entered.has(iv) && (iv.fromM > s0 || (s0 === 0 && iv.fromM === 0)) && iv.fromM <= s1) entered.set(iv, at(iv.fromM));
      const startMs = entered.get(iv);
      if (startMs !== undefined && iv.toM > s0 && iv.toM <= s1) {
        const endMs = at(iv.toM);
        this.ctx.truth.segments.push({
          vehicleId: this.vehicle.vehicleId,
          zoneId: iv.zoneId,
          startMs,
          endMs,
          start: isoCstMs(startMs),
          end: isoCstMs(endMs),
          laden: opts.laden,
          waybillNo: opts.waybillNo,
        });
      }
    }
  }

  // ---- Standing still -------------------------------------------------------------------

  /** Stationary until `untilMs`; with `accOff`, the engine goes off after a while and on again before leaving. */
  private *stay(untilMs: number, o: StayOptions): Generator<SimMessage> {
    if (untilMs <= this.t) return;
    let accOffAt = Infinity;
    let accOnAt = Infinity;
    if (o.accOff) {
      const off = this.t + this.rng.int(10, 60) * 1000;
      const on = untilMs - this.rng.int(20, 90) * 1000;
      if (on > off + 60_000) [accOffAt, accOnAt] = [off, on];
    }
    let accOn = true;
    for (;;) {
      const next = Math.min(this.nextReportMs, accOffAt, accOnAt);
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
      if (!asleep) this.reportStationary(o.x, o.y);
      // JT/T 808 terminals report on every ACC change, then at the interval of the new state.
      this.nextReportMs = this.t + (accOn ? this.jitteredInterval() : this.parkedIntervalMs);
      if (this.pending.peekKey() <= this.t) yield* this.drain();
    }
    this.t = untilMs;
    yield* this.drain();
  }

  private jitteredInterval(): number {
    return this.intervalMs + (this.rng.chance(0.2) ? this.rng.pick([-1000, 1000]) : 0);
  }

  // ---- Reporting ------------------------------------------------------------------------

  private reportMoving(x: number, y: number, speedKmh: number, limitKmh: number): void {
    const j = this.ctx.noise.movingJitterM;
    const speed = Math.min(limitKmh, Math.max(0, speedKmh + this.rng.normal() * 0.5));
    this.report(x + this.rng.normal() * j, y + this.rng.normal() * j, speed);
  }

  private reportStationary(x: number, y: number): void {
    const n = this.ctx.noise;
    const r = n.parkedDriftM * Math.sqrt(this.rng.next());
    const a = this.rng.range(0, 2 * Math.PI);
    const speed = this.rng.chance(n.phantomSpeedShare) ? this.rng.range(0.5, n.phantomSpeedMaxKmh) : 0;
    this.report(x + r * Math.cos(a), y + r * Math.sin(a), speed);
  }

  private report(x: number, y: number, speedKmh: number): void {
    const sec = Math.floor(this.t / 1000);
    if (sec <= this.lastReportS) return;
    this.lastReportS = sec;
    const [lon, lat] = toLonLat(x, y);
    const event = {
      eventId: `${this.ctx.runTag}-${this.vehicle.vehicleId}-${sec}`,
      type: 'VehiclePositionReported',
      occurredAt: isoCst(this.t),
      data: { vehicleId: this.vehicle.vehicleId, lon: round6(lon), lat: round6(lat), speedKmh: Math.round(speedKmh * 10) / 10, headingDeg: Math.round(this.headingDeg) % 360 },
    } as DgtEvent;
    const n = this.ctx.noise;
    this.faults.fixes++;
    const gap = this.gap;
    if (gap !== null) {
      if (this.t < gap.untilMs) {
        this.faults.droppedInGaps++;
        if (gap.buffered) gap.held.push(event);
        return;
      }
      // First fix after the gap goes live; the buffered ones follow as a late batch (JT/T 808 0x0704).
      this.gap = null;
      this.send(event, this.t);
      gap.held.forEach((e, i) => this.send(e, this.t + 1000 + i));
      this.faults.outOfOrder += gap.held.length;
      return;
    }
    let arrival = this.t;
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
  }

  private send(event: DgtEvent, arrivalMs: number): void {
    this.pending.push(arrivalMs, { kind: 'event', event, arrivalMs });
  }

  private schedule(atMs: number, type: DgtEvent['type'], eventId: string, data: Record<string, unknown>): void {
    const at = Math.floor(atMs / 1000) * 1000;
    this.send({ eventId, type, occurredAt: isoCst(at), data } as DgtEvent, at);
  }

  private *drain(): Generator<SimMessage> {
    while (this.pending.peekKey() <= this.t) yield this.pending.pop()!;
  }
}

interface TripPlan {
  waybillNo: string;
  origin: NodeId;
  destination: NodeId;
  consignor: Consignor;
  unNumber: string;
  quantityKg: number;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

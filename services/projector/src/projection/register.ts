import { epochMs, type EventOf, plateKey } from '@dgt/events';
import type { OwnershipPeriod, VehicleRegistration } from '@dgt/readmodels';

/*
 * The register of vehicles: who owned each one when, and its plate. The projection is the
 * arbiter of ownership, so this is a function of the set of registry events, not of the order
 * they were recorded in: registrations of different vehicles travel on different partitions (and
 * old records keyed them by carrier), so "first come" would give a rebuild a different owner.
 *
 * The events are folded in one canonical order — VehicleRegistered by occurredAt, a transfer by
 * its effectiveAt, a registration before a transfer at the same instant, then by eventId — with
 * the rules ingest applies at the boundary:
 * - the first registration of a vehicle makes its carrier the owner from the beginning of the record;
 * - a plate (as `plateKey`) held by another registered vehicle: the registration is ignored (`plate_in_use`);
 * - a later registration naming the current owner updates the plate; naming another carrier it is
 *   ignored (`owner_change_needs_transfer`): only a transfer moves a vehicle;
 * - a transfer moves the vehicle from `effectiveAt` on, if `fromCarrierId` owns it then
 *   (`not_owner`, `not_registered` and `same_carrier` otherwise).
 * An event arriving in canonical order is one step; one arriving earlier than others already
 * folded marks the register stale and the next read re-folds everything (rare: out-of-order
 * partitions, back-dated records), so the answer never depends on arrival order.
 */

export const ignoredRegistryCodes = ['plate_in_use', 'owner_change_needs_transfer', 'not_registered', 'not_owner', 'same_carrier'] as const;
export type IgnoredRegistryCode = (typeof ignoredRegistryCodes)[number];

export type RegisterEvent = EventOf<'VehicleRegistered'> | EventOf<'VehicleTransferred'>;

/** A registry event the fold ignored: reported when it first ignores it (on arrival, or in a re-fold). */
export interface IgnoredRegistryEvent {
  readonly eventId: string;
  readonly type: RegisterEvent['type'];
  readonly vehicleId: string;
  readonly code: IgnoredRegistryCode;
}

/** A registry event as the fold needs it; also what is saved with the projector's state. */
export type RegisterEntry =
  | { readonly k: 'r'; readonly id: string; readonly v: string; readonly at: string; readonly c: string; readonly p: string }
  | { readonly k: 't'; readonly id: string; readonly v: string; readonly at: string; readonly f: string; readonly c: string };

interface Owned {
  readonly vehicleId: string;
  plateNo: string;
  plateKey: string;
  readonly periods: OwnershipPeriod[];
}

interface Fold {
  readonly vehicles: Map<string, Owned>;
  /** plateKey → vehicleId */
  readonly plates: Map<string, string>;
}

export function entryOf(event: RegisterEvent): RegisterEntry {
  if (event.type === 'VehicleRegistered') return { k: 'r', id: event.eventId, v: event.data.vehicleId, at: event.occurredAt, c: event.data.carrierId, p: event.data.plateNo };
  return { k: 't', id: event.eventId, v: event.data.vehicleId, at: event.data.effectiveAt, f: event.data.fromCarrierId, c: event.data.toCarrierId };
}

/** An unreadable time sorts last (it cannot come from the recorder, which validated it). */
function msOf(e: RegisterEntry): number {
  const ms = epochMs(e.at);
  return Number.isNaN(ms) ? Infinity : ms;
}

function canonical(a: RegisterEntry, b: RegisterEntry): number {
  return msOf(a) - msOf(b) || (a.k === b.k ? 0 : a.k === 'r' ? -1 : 1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function ownerOf(v: Owned): string {
  return v.periods[v.periods.length - 1]!.carrierId;
}

/** One step of the fold: the verdict, and the vehicle it changed (if any). */
function step(fold: Fold, e: RegisterEntry): IgnoredRegistryCode | null {
  const v = fold.vehicles.get(e.v);
  if (e.k === 'r') {
    // A plate the recorder let through but plateKey cannot read (an old record) is compared as written.
    const key = plateKey(e.p) ?? e.p.trim();
    const holder = fold.plates.get(key);
    if (holder !== undefined && holder !== e.v) return 'plate_in_use';
    if (v === undefined) {
      fold.vehicles.set(e.v, { vehicleId: e.v, plateNo: e.p, plateKey: key, periods: [{ carrierId: e.c, from: null, to: null }] });
      fold.plates.set(key, e.v);
      return null;
    }
    if (ownerOf(v) !== e.c) return 'owner_change_needs_transfer';
    if (v.plateKey !== key) {
      fold.plates.delete(v.plateKey);
      fold.plates.set(key, e.v);
    }
    v.plateNo = e.p;
    v.plateKey = key;
    return null;
  }
  if (v === undefined) return 'not_registered';
  if (e.f === e.c) return 'same_carrier';
  if (ownerOf(v) !== e.f) return 'not_owner';
  v.periods[v.periods.length - 1] = { ...v.periods[v.periods.length - 1]!, to: e.at };
  v.periods.push({ carrierId: e.c, from: e.at, to: null });
  return null;
}

function registrationOf(v: Owned): VehicleRegistration {
  // Two transfers at one instant leave an empty period: nobody owned the vehicle for no time.
  const periods = v.periods.filter((p, i) => i === 0 || p.to === null || epochMs(p.to) > epochMs(p.from!));
  return { vehicleId: v.vehicleId, plateNo: v.plateNo, plateKey: v.plateKey, periods: periods.map((p) => ({ ...p })) };
}

function sameRegistration(a: VehicleRegistration | undefined, b: VehicleRegistration | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class Register {
  #entries: RegisterEntry[] = [];
  /** The same entries by vehicle, in arrival order (what is saved per vehicle). */
  readonly #byVehicle = new Map<string, RegisterEntry[]>();
  readonly #ids = new Set<string>();
  #fold: Fold = { vehicles: new Map(), plates: new Map() };
  /** Something arrived out of canonical order: the next read re-folds. */
  #stale = false;
  /** Arrived out of canonical order since the last fold: their vehicles may change with it. */
  #arrived: RegisterEntry[] = [];
  #ignored: IgnoredRegistryEvent[] = [];
  /** What each event was last reported as: a re-fold reports an event only when it newly ignores it. */
  readonly #verdicts = new Map<string, IgnoredRegistryCode | null>();
  /** Vehicles whose register entry may have changed, with the entry they had before. */
  readonly #before = new Map<string, VehicleRegistration | undefined>();
  /** Vehicles with entries added since the last `takeChanges` (their saved state is due). */
  readonly #added = new Set<string>();

  /** Continues from saved entries (`savedEntries`); reports nothing for them. */
  static restore(entries: Iterable<RegisterEntry>): Register {
    const r = new Register();
    for (const e of entries) {
      if (r.#ids.has(e.id)) continue;
      r.#keep(e);
    }
    r.#entries.sort(canonical);
    for (const e of r.#entries) r.#verdicts.set(e.id, step(r.#fold, e));
    return r;
  }

  add(event: RegisterEvent): void {
    const e = entryOf(event);
    // The store holds each eventId once; a projector restarted mid-batch may see one again.
    if (this.#ids.has(e.id)) return;
    this.#added.add(e.v);
    const last = this.#entries[this.#entries.length - 1];
    this.#keep(e);
    if (this.#stale || (last !== undefined && canonical(last, e) > 0)) {
      this.#stale = true;
      this.#arrived.push(e);
      return;
    }
    this.#remember(e.v);
    this.#report(e, step(this.#fold, e));
  }

  /** The register entry now (undefined: not registered). */
  registration(vehicleId: string): VehicleRegistration | undefined {
    this.#settle();
    const v = this.#fold.vehicles.get(vehicleId);
    return v === undefined ? undefined : registrationOf(v);
  }

  /** Who owned the vehicle at `ms`; undefined when it is not registered. */
  ownerAt(vehicleId: string, ms: number): string | undefined {
    this.#settle();
    const v = this.#fold.vehicles.get(vehicleId);
    if (v === undefined) return undefined;
    for (let i = v.periods.length - 1; i > 0; i--) if (ms >= epochMs(v.periods[i]!.from!)) return v.periods[i]!.carrierId;
    return v.periods[0]!.carrierId;
  }

  /** The current owner; undefined when not registered. */
  owner(vehicleId: string): string | undefined {
    this.#settle();
    const v = this.#fold.vehicles.get(vehicleId);
    return v === undefined ? undefined : ownerOf(v);
  }

  /** The registered plate as written; undefined when not registered. */
  plate(vehicleId: string): string | undefined {
    this.#settle();
    return this.#fold.vehicles.get(vehicleId)?.plateNo;
  }

  /** Start of the current owner's period (null: since the beginning of the record). */
  ownerSince(vehicleId: string): string | null {
    this.#settle();
    const v = this.#fold.vehicles.get(vehicleId);
    return v === undefined ? null : v.periods[v.periods.length - 1]!.from;
  }

  /** What changed since the last call: entries before and after, ignored arrivals, vehicles whose saved entries are due. */
  takeChanges(): { changed: { vehicleId: string; before: VehicleRegistration | undefined; after: VehicleRegistration | undefined }[]; ignored: IgnoredRegistryEvent[]; saved: string[] } {
    this.#settle();
    const changed = [];
    for (const [vehicleId, before] of this.#before) {
      const v = this.#fold.vehicles.get(vehicleId);
      const after = v === undefined ? undefined : registrationOf(v);
      if (!sameRegistration(before, after)) changed.push({ vehicleId, before, after });
    }
    const out = { changed, ignored: this.#ignored, saved: [...this.#added] };
    this.#before.clear();
    this.#added.clear();
    this.#ignored = [];
    return out;
  }

  /** A vehicle's entries as saved with the projector's state (`Register.restore` reads them back). */
  savedEntries(vehicleId: string): RegisterEntry[] {
    return [...(this.#byVehicle.get(vehicleId) ?? [])];
  }

  #keep(e: RegisterEntry): void {
    this.#ids.add(e.id);
    this.#entries.push(e);
    const mine = this.#byVehicle.get(e.v);
    if (mine === undefined) this.#byVehicle.set(e.v, [e]);
    else mine.push(e);
  }

  #settle(): void {
    if (!this.#stale) return;
    this.#stale = false;
    // Every vehicle may change in a re-fold; remember them all as they were.
    for (const id of this.#fold.vehicles.keys()) this.#remember(id);
    for (const e of this.#arrived) this.#remember(e.v);
    this.#entries.sort(canonical);
    const fold: Fold = { vehicles: new Map(), plates: new Map() };
    for (const e of this.#entries) this.#report(e, step(fold, e));
    this.#fold = fold;
    this.#arrived = [];
  }

  #remember(vehicleId: string): void {
    if (this.#before.has(vehicleId)) return;
    const v = this.#fold.vehicles.get(vehicleId);
    this.#before.set(vehicleId, v === undefined ? undefined : registrationOf(v));
  }

  #report(e: RegisterEntry, verdict: IgnoredRegistryCode | null): void {
    const before = this.#verdicts.get(e.id);
    this.#verdicts.set(e.id, verdict);
    if (verdict === null || verdict === before) return;
    this.#ignored.push({ eventId: e.id, type: e.k === 'r' ? 'VehicleRegistered' : 'VehicleTransferred', vehicleId: e.v, code: verdict });
  }
}

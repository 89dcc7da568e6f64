import { clockEventTypes, consignmentEventTypes, epochMs, safeParseEvent } from '@dgt/events';
import { clockStream, consignmentStream, detectionsStream, type EventStore, EventStoreError, type Position, type ReadFilter, type RecordedEvent, streamPrefixes, vehicleStream, zonesStream } from '@dgt/eventstore';
import { ZoneIndex, type ZoneKind } from '@dgt/geo';
import { consignmentFact, resolveFromConsignments, waybillsOf } from './resolveSelection.ts';
import type { FeedItem, ResolvedSelection } from './resolved.ts';
import type { Selection } from './selection.ts';
import type { PreparedFeed, ReplaySource, SourceKind } from './source.ts';
import { ReplayError } from './errors.ts';
import { concatFeed } from './feedIterables.ts';
import { registryFromEvents } from './registryFacts.ts';

async function collect(records: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const r of records) out.push(r);
  return out;
}

type Span = { readonly from: string | null; readonly to: string | null };

function windowFilter(window: Span): ReadFilter {
  return { ...(window.from !== null && { occurredFrom: window.from }), ...(window.to !== null && { occurredTo: window.to }) };
}

/** What is fed: the window with its lead-in in front and its lead-out behind. */
function fedSpan(window: ResolvedSelection['window']): Span {
  return { from: window.fedFrom, to: window.fedTo };
}

/** Every read of a run stops at the selection's `recordedUpTo`, when it has one. */
type Pin = { readonly toPosition?: Position };

function pinOf(selection: Selection): Pin {
  return selection.recordedUpTo === undefined ? {} : { toPosition: selection.recordedUpTo as Position };
}

function earlier(at: string, bound: string | null): boolean {
  return bound === null || epochMs(at) < epochMs(bound);
}

/**
 * Named streams over a window, in store order. The SQLite adapter reads them stream by stream
 * through its stream index and merges them by position, the time filter checked on the way.
 */
function byStreams(store: EventStore, streams: string[], window: Span, pin: Pin): AsyncIterable<RecordedEvent> {
  return store.readAll({ ...pin, filter: { streams, ...windowFilter(window) }, includeJson: true });
}

/** What the engine is fed besides zones (which go first). */
// The clock too: time rules (an offline terminal) read it, so a vehicle's replay must see the ticks the live projector saw.
const fedTypes: readonly string[] = ['VehiclePositionReported', ...consignmentEventTypes, ...clockEventTypes];

const registerTypes: readonly string[] = ['CarrierRegistered', 'VehicleRegistered', 'VehicleTransferred'];

/** Zones as recorded, applied in store order, to find who had a fix inside `zoneId`. */
function zoneIndexOf(zones: readonly RecordedEvent[], zoneId: string): { index: ZoneIndex; kind: ZoneKind | null } {
  const index = new ZoneIndex();
  let kind: ZoneKind | null = null;
  for (const r of zones) {
    const parsed = safeParseEvent(r.event);
    if (!parsed.ok) continue;
    const e = parsed.event;
    try {
      if (e.type === 'ZoneDesignated') {
        index.designate(e.data, epochMs(e.occurredAt));
        if (e.data.zoneId === zoneId) kind = e.data.kind;
      } else if (e.type === 'ZoneWithdrawn') index.withdraw(e.data.zoneId, epochMs(e.occurredAt));
    } catch {
      // An unusable geometry is reported by the replay itself (the engine refuses it too).
    }
  }
  return { index, kind };
}

async function vehiclesInZone(store: EventStore, zones: readonly RecordedEvent[], zoneId: string, window: Span, among: ReadonlySet<string> | null, pin: Pin): Promise<Set<string>> {
  const { index, kind } = zoneIndexOf(zones, zoneId);
  const found = new Set<string>();
  if (kind === null || (among !== null && among.size === 0)) return found;
  const who: ReadFilter = among === null ? { streamPrefixes: [streamPrefixes.vehicle] } : { streams: [...among].map(vehicleStream) };
  for await (const r of store.readAll({ ...pin, filter: { ...who, types: ['VehiclePositionReported'], ...windowFilter(window) } })) {
    const d = r.event.data as Record<string, unknown>;
    const { vehicleId, lon, lat } = d;
    if (typeof vehicleId !== 'string' || typeof lon !== 'number' || typeof lat !== 'number' || found.has(vehicleId)) continue;
    if (index.zonesAt(lon, lat, epochMs(r.event.occurredAt), kind).includes(zoneId)) found.add(vehicleId);
  }
  return found;
}

/**
 * Reads a selection out of an event store (SQLite, EventStoreDB or memory), in store order:
 * every zone event recorded with occurredAt before the fed span's end; then the consignment
 * history of the selected vehicles' waybills from before the fed span; then, for the fed span
 * (the window with its lead-in and lead-out), the vehicles' fixes interleaved with their waybills'
 * consignment events as the store committed them. A `--zone` selection and `--verify` look at the
 * window only.
 */
export function storeSource(store: EventStore, kind: Extract<SourceKind, 'store' | 'eventstoredb'> = 'store'): ReplaySource {
  return {
    kind,
    async prepare(selection: Selection): Promise<PreparedFeed> {
      try {
        return await prepareFrom(store, selection);
      } catch (error) {
        if (error instanceof EventStoreError && error.code === 'INVALID_POSITION') throw new ReplayError('BAD_SELECTION', `recordedUpTo: ${error.message}`);
        throw error;
      }
    },
  };
}

async function prepareFrom(store: EventStore, selection: Selection): Promise<PreparedFeed> {
  const pin = pinOf(selection);
  const zones = await collect(store.readAll({ ...pin, filter: { streams: [zonesStream] }, includeJson: true }));
  // Every vehicle from the beginning needs no consignment look-up: the main read has them all.
  const needHistory = selection.vehicles.length > 0 || selection.carrier !== null || selection.waybill !== null || selection.zone !== null || selection.from !== null;
  const consignments = needHistory ? await collect(store.readAll({ ...pin, filter: { streamPrefixes: [streamPrefixes.consignment] }, includeJson: true })) : [];
  const facts = consignments.flatMap((r) => consignmentFact(r.event as Record<string, unknown>) ?? []);
  const { window, vehicles: byConsignment } = resolveFromConsignments(selection, facts);
  let vehicles = byConsignment;
  if (selection.zone !== null) vehicles = await vehiclesInZone(store, zones, selection.zone, window, vehicles, pin);
  // Waybills assigned in the lead-out too: the load decides how what was open at `to` goes on.
  const waybills = waybillsOf(vehicles, facts, window.fedTo);
  const resolved: ResolvedSelection = {
    window,
    vehicles: vehicles === null ? null : [...vehicles].sort(),
    waybills: waybills === null ? null : [...waybills].sort(),
  };
  const inFeed = (r: RecordedEvent): boolean => {
    const w = (r.event.data as Record<string, unknown>).waybillNo;
    return waybills === null || (typeof w === 'string' && waybills.has(w));
  };
  const head: RecordedEvent[] = zones.filter((r) => earlier(r.event.occurredAt, window.fedTo));
  if (window.fedFrom !== null) for (const r of consignments) if (inFeed(r) && earlier(r.event.occurredAt, window.fedFrom)) head.push(r);
  const fed = fedSpan(window);
  const timeFilter = windowFilter(fed);
  let tail: AsyncIterable<FeedItem> | null;
  let pagedTail: AsyncIterable<FeedItem> | null = null;
  if (vehicles === null) {
    // Every vehicle: the global read (the fastest path of every adapter), typed by the store.
    tail = store.readAll({ ...pin, filter: { ...timeFilter, types: fedTypes }, includeJson: true });
    // Read by pages (runReplay), its stored JSON as page NDJSON where the store can: digested as they are.
    pagedTail = store.readAll({ ...pin, filter: { ...timeFilter, types: fedTypes }, includeJson: true, ndjsonPages: true });
  } else if (vehicles.size === 0) tail = null;
  else tail = byStreams(store, [...[...vehicles].map(vehicleStream), ...[...(waybills ?? [])].map(consignmentStream), clockStream], fed, pin);
  return {
    selection,
    resolved,
    statedDigest: () => null,
    async registry() {
      // Carrier streams hold the register (carriers, their vehicles, transfers): few events, read whole.
      const register: unknown[] = [];
      for await (const r of store.readAll({ ...pin, filter: { streamPrefixes: [streamPrefixes.carrier], types: registerTypes } })) register.push(r.event);
      return registryFromEvents(register, window.to, vehicles);
    },
    items: () => concatFeed<FeedItem>(head, tail, pagedTail ?? tail),
    async *liveDetections() {
      if (vehicles !== null && vehicles.size === 0) return;
      // Live detections of the window only: those of the lead-in are not reported, so not compared.
      const live = vehicles === null ? store.readAll({ ...pin, filter: { streamPrefixes: [streamPrefixes.detections], ...windowFilter(window) } }) : byStreams(store, [...vehicles].map(detectionsStream), window, pin);
      for await (const r of live) yield r.event as Record<string, unknown>;
    },
  };
}

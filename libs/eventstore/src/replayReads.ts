import type { EventStore, Position, ReadFilter, RecordedEvent } from './port.ts';
import { consignmentStream, detectionsStream, vehicleStream } from './streams.ts';

/** `occurredAt` window: `from` inclusive, `to` exclusive, both ISO-8601 with offset; either may be open. */
export interface TimeWindow {
  from?: string;
  to?: string;
}

export interface ReplayReadOptions {
  window?: TimeWindow;
  /** Resume strictly after this position. */
  fromPosition?: Position;
  maxCount?: number;
}

function windowFilter(window: TimeWindow | undefined): ReadFilter {
  return { ...(window?.from !== undefined && { occurredFrom: window.from }), ...(window?.to !== undefined && { occurredTo: window.to }) };
}

function read(store: EventStore, filter: ReadFilter, options: ReplayReadOptions): AsyncIterable<RecordedEvent> {
  return store.readAll({
    filter: { ...filter, ...windowFilter(options.window) },
    ...(options.fromPosition !== undefined && { fromPosition: options.fromPosition }),
    ...(options.maxCount !== undefined && { maxCount: options.maxCount }),
  });
}

/**
 * Every event whose `occurredAt` falls in the window, in global commit order (the order the
 * projector saw them), not in `occurredAt` order.
 */
export function readTimeWindow(store: EventStore, window: TimeWindow, options: Omit<ReplayReadOptions, 'window'> & { filter?: ReadFilter } = {}): AsyncIterable<RecordedEvent> {
  return read(store, options.filter ?? {}, { ...options, window });
}

/** A vehicle's fixes and its detections, in global order. */
export function readForVehicle(store: EventStore, vehicleId: string, options: ReplayReadOptions = {}): AsyncIterable<RecordedEvent> {
  return read(store, { streams: [vehicleStream(vehicleId), detectionsStream(vehicleId)] }, options);
}

/**
 * A waybill's consignment events. Fixes and detections of the vehicle carrying it are read
 * with `readForVehicle` over the window of the trip (the vehicle comes from `CarriageAssigned`).
 */
export function readForWaybill(store: EventStore, waybillNo: string, options: ReplayReadOptions = {}): AsyncIterable<RecordedEvent> {
  return read(store, { streams: [consignmentStream(waybillNo)] }, options);
}

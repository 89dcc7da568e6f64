import { numberJson } from '@dgt/events';
import type { PositionEvent } from './positionEvent.ts';

interface PositionMeta {
  readonly acc: boolean;
  readonly alarm: number;
  readonly alarms: readonly string[];
  readonly altitudeM: number;
  readonly backfilled?: boolean;
  readonly convertedFrom?: string;
  readonly edition: string;
  readonly fixed: boolean;
  readonly fuelL?: number;
  readonly layout: string;
  readonly loadState: string;
  readonly mileageKm?: number;
  readonly plateColour: number;
  readonly plateNo: string;
  readonly platformAlarms?: readonly { readonly platformId: string; readonly alarm: number }[];
  readonly platformId: string;
  readonly satellites?: number;
  readonly source: string;
  readonly status: number;
}

const s = (text: string): string => JSON.stringify(text);
const alarmsJson = (names: readonly string[]): string => (names.length === 0 ? '[]' : `["${names.join('","')}"]`);

/**
 * `canonicalJson(event)` for the events positionEventFromFix builds, written directly (as the
 * JT/T 808 gateway does): the generic form copies and sorts every object, the largest cost of a
 * fix after decoding. Keys in canonical order (envelope order; `data` and `meta` sorted); numbers
 * come from the decoder and are finite, where `${n}` equals JSON (the decimals — coordinates in
 * millionths, speed, fuel and mileage in tenths — through `numberJson`, which writes the same
 * sooner); texts (plate, ids) come from GBK decoding or the configuration and are well-formed.
 * positionJson.unit.test.ts checks byte equality with canonicalJson; any other shape of event
 * must use canonicalJson.
 */
export function positionJson(e: PositionEvent): string {
  const d = e.data;
  const m = e.meta as unknown as PositionMeta;
  let data = d.headingDeg === undefined ? '{' : `{"headingDeg":${numberJson(d.headingDeg)},`;
  data += `"lat":${numberJson(d.lat)},"lon":${numberJson(d.lon)},"speedKmh":${numberJson(d.speedKmh)},"vehicleId":${s(d.vehicleId)}}`;
  let meta = `{"acc":${m.acc},"alarm":${m.alarm},"alarms":${alarmsJson(m.alarms)},"altitudeM":${m.altitudeM}`;
  if (m.backfilled !== undefined) meta += `,"backfilled":${m.backfilled}`;
  if (m.convertedFrom !== undefined) meta += `,"convertedFrom":${s(m.convertedFrom)}`;
  meta += `,"edition":${s(m.edition)},"fixed":${m.fixed}`;
  if (m.fuelL !== undefined) meta += `,"fuelL":${numberJson(m.fuelL)}`;
  meta += `,"layout":${s(m.layout)},"loadState":${s(m.loadState)}`;
  if (m.mileageKm !== undefined) meta += `,"mileageKm":${numberJson(m.mileageKm)}`;
  meta += `,"plateColour":${m.plateColour},"plateNo":${s(m.plateNo)}`;
  if (m.platformAlarms !== undefined) meta += `,"platformAlarms":[${m.platformAlarms.map((a) => `{"alarm":${a.alarm},"platformId":${s(a.platformId)}}`).join(',')}]`;
  meta += `,"platformId":${s(m.platformId)}`;
  if (m.satellites !== undefined) meta += `,"satellites":${m.satellites}`;
  meta += `,"source":${s(m.source)},"status":${m.status}}`;
  return `{"eventId":${s(e.eventId)},"type":"VehiclePositionReported","occurredAt":${s(e.occurredAt)},"data":${data},"meta":${meta}}`;
}

import { numberJson } from '@dgt/events';
import type { PositionEvent } from './positionEvent.ts';

interface PositionMeta {
  readonly acc: boolean;
  readonly alarm: number;
  readonly alarms: readonly string[];
  readonly altitudeM: number;
  readonly backfilled?: boolean;
  readonly fixed: boolean;
  readonly flavour: string;
  readonly fuelL?: number;
  readonly loadState: string;
  readonly mileageKm?: number;
  readonly phone: string;
  readonly satellites?: number;
  readonly serial: number;
  readonly signalStrength?: number;
  readonly source: string;
  readonly status: number;
}

// Only the plate can hold characters JSON must escape; every other text field is digits, ASCII
// names or an ISO time written by the gateway itself.
const q = (s: string): string => `"${s}"`;
const alarmsJson = (names: readonly string[]): string => (names.length === 0 ? '[]' : `["${names.join('","')}"]`);

/**
 * `canonicalJson(event)` for the events positionEventFromReport builds, written directly: the
 * generic form copies every object to sort its keys, which cost a fifth of the gateway's CPU at
 * full load. Keys appear in canonical order (envelope order; `data` and `meta` sorted). Numbers
 * come from the decoder and are finite, where `${n}` equals JSON; the decimals (coordinates in
 * millionths, speed, fuel and mileage in tenths) go through `numberJson`, which writes the same
 * sooner. positionJson.unit.test.ts checks byte equality with canonicalJson; any other shape of
 * event must use canonicalJson.
 */
export function positionJson(e: PositionEvent): string {
  const d = e.data;
  const m = e.meta as unknown as PositionMeta;
  let data = d.headingDeg === undefined ? '{' : `{"headingDeg":${numberJson(d.headingDeg)},`;
  data += `"lat":${numberJson(d.lat)},"lon":${numberJson(d.lon)},"speedKmh":${numberJson(d.speedKmh)},"vehicleId":${JSON.stringify(d.vehicleId)}}`;
  let meta = `{"acc":${m.acc},"alarm":${m.alarm},"alarms":${alarmsJson(m.alarms)},"altitudeM":${m.altitudeM}`;
  if (m.backfilled !== undefined) meta += `,"backfilled":${m.backfilled}`;
  meta += `,"fixed":${m.fixed},"flavour":${q(m.flavour)}`;
  if (m.fuelL !== undefined) meta += `,"fuelL":${numberJson(m.fuelL)}`;
  meta += `,"loadState":${q(m.loadState)}`;
  if (m.mileageKm !== undefined) meta += `,"mileageKm":${numberJson(m.mileageKm)}`;
  meta += `,"phone":${q(m.phone)}`;
  if (m.satellites !== undefined) meta += `,"satellites":${m.satellites}`;
  meta += `,"serial":${m.serial}`;
  if (m.signalStrength !== undefined) meta += `,"signalStrength":${m.signalStrength}`;
  meta += `,"source":${q(m.source)},"status":${m.status}}`;
  return `{"eventId":${q(e.eventId)},"type":${q(e.type)},"occurredAt":${q(e.occurredAt)},"data":${data},"meta":${meta}}`;
}

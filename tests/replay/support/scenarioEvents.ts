import { readFileSync } from 'node:fs';
import { type DgtEvent, parseNdjsonLine } from '@dgt/events';

const scenarios = new URL('../../scenarios/', import.meta.url);

/** The events of a hand-written scenario (tests/scenarios/<name>/input.ndjson), parsed. */
export function scenarioEvents(name: string): DgtEvent[] {
  return readFileSync(new URL(`${name}/input.ndjson`, scenarios), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const r = parseNdjsonLine(line);
      if (!r.ok) throw r.error;
      return r.event;
    });
}

/**
 * The same scenario for another vehicle and waybill (ids suffixed), so several scenarios can share
 * one store. Zone events keep their ids: the store records a zone once.
 */
export function asVehicle(events: readonly DgtEvent[], suffix: string): DgtEvent[] {
  const rename = (v: unknown) => (typeof v === 'string' ? `${v}${suffix}` : v);
  return events.map((e) => {
    if (e.type === 'ZoneDesignated' || e.type === 'ZoneWithdrawn') return e;
    const data: Record<string, unknown> = { ...e.data };
    for (const k of ['vehicleId', 'waybillNo']) if (k in data) data[k] = rename(data[k]);
    return { ...e, eventId: `${e.eventId}${suffix}`, data } as DgtEvent;
  });
}

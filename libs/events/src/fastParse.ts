import { util } from 'zod/v4/core';
import { consignmentEventTypes, type DgtEvent, eventCatalog, type EventType, positionEventTypes } from './catalog.ts';
import { type Checker, compileChecker, DEFER } from './compiledChecker.ts';
import { envelope } from './envelope.ts';

/**
 * The types nearly every event is (a fleet's fixes) and those next in volume (waybills'
 * lifecycle): each is proven equal to zod by a property test (test/fastParse.unit.test.ts).
 * Other types are parsed by zod alone.
 */
export const fastParsedTypes: readonly EventType[] = [...positionEventTypes, ...consignmentEventTypes];

type Field = Exclude<keyof typeof envelope.shape, 'data' | 'meta'>;

/** The envelope's scalar fields, compiled from the envelope schema; none means no fast path. */
function envelopeField(name: Field): Checker | undefined {
  return compileChecker(envelope.shape[name]);
}

const fields = { eventId: envelopeField('eventId'), type: envelopeField('type'), occurredAt: envelopeField('occurredAt'), schemaVersion: envelopeField('schemaVersion') };

/** Per type, its `data` checker: compiled on first use (a few hundred µs), null if it does not compile. */
const dataCheckers = new Map<string, Checker | null>();

function dataChecker(type: string): Checker | null {
  let checker = dataCheckers.get(type);
  if (checker === undefined) {
    const hot = (fastParsedTypes as readonly string[]).includes(type);
    checker = (hot && compileChecker(eventCatalog[type as EventType].data)) || null;
    dataCheckers.set(type, checker);
  }
  return checker;
}

const OBJECT = Object.prototype;

/**
 * A `z.record(z.string(), z.unknown())` as the envelope reads `data` and `meta`: a plain object
 * (zod's own test) with no symbol keys (zod refuses them); its keys are then exactly what `for…in`
 * yields, since the prototype is Object.prototype.
 */
function plainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== OBJECT) return false;
  // zod's test reads `constructor`: Object (inherited) passes it, an own one is zod's to judge.
  if ((value as { constructor?: unknown }).constructor !== Object && !util.isPlainObject(value)) return false;
  return Object.getOwnPropertySymbols(value).length === 0;
}

/** `meta` as the record schema outputs it: a fresh object of its keys, `__proto__` left out. */
function copyRecord(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) if (key !== '__proto__') out[key] = value[key];
  return out;
}

/**
 * `safeParseEvent`'s answer for a valid event of a hot type, built without zod: the same envelope
 * rules (strict keys, eventId, timestamp, schemaVersion of the current version — older ones take
 * zod's path, which upcasts them), `data` through the type's compiled checker, the same object
 * with the same key order. Undefined when it cannot vouch for the input: zod then decides.
 */
export function fastParseEvent(input: unknown): DgtEvent | undefined {
  if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== OBJECT) return undefined;
  const { eventId: checkId, type: checkType, occurredAt: checkTime, schemaVersion: checkVersion } = fields;
  if (checkId === undefined || checkType === undefined || checkTime === undefined || checkVersion === undefined) return undefined;
  const e = input as Record<string, unknown>;
  const type = e.type;
  if (typeof type !== 'string') return undefined;
  const checkData = dataChecker(type);
  if (checkData === null || checkType(type) === DEFER) return undefined;
  const eventId = e.eventId;
  const occurredAt = e.occurredAt;
  if (checkId(eventId) === DEFER || checkTime(occurredAt) === DEFER) return undefined;
  // The envelope is strict: its own keys, each an own enumerable property, and nothing else.
  let present = 3;
  const schemaVersion = e.schemaVersion;
  const hasVersion = schemaVersion !== undefined || 'schemaVersion' in e;
  if (hasVersion) {
    present++;
    if (checkVersion(schemaVersion) === DEFER || (schemaVersion ?? 1) !== eventCatalog[type as EventType].version) return undefined;
  }
  const rawData = e.data;
  present++;
  if (!plainRecord(rawData)) return undefined;
  const data = checkData(rawData);
  if (data === DEFER) return undefined;
  const rawMeta = e.meta;
  const hasMeta = rawMeta !== undefined || 'meta' in e;
  let meta: Record<string, unknown> | undefined;
  if (hasMeta) {
    present++;
    if (rawMeta !== undefined) {
      if (!plainRecord(rawMeta)) return undefined;
      meta = copyRecord(rawMeta);
    }
  }
  let seen = 0;
  for (const key in e) {
    switch (key) {
      case 'eventId':
      case 'type':
      case 'occurredAt':
      case 'schemaVersion':
      case 'data':
      case 'meta':
        seen++;
        continue;
    }
    return undefined;
  }
  if (seen !== present) return undefined;
  // zod's output: envelope keys in schema order, the present optional ones included.
  if (!hasVersion && !hasMeta) return { eventId, type, occurredAt, data } as DgtEvent;
  const event: Record<string, unknown> = { eventId, type, occurredAt };
  if (hasVersion) event.schemaVersion = schemaVersion;
  event.data = data;
  if (hasMeta) event.meta = meta;
  return event as DgtEvent;
}

/**
 * `fastParseEvent` of `{ eventId, type, occurredAt, data }` built as an object literal of a fix
 * (as `scanPositionLine` builds it): such an object, and a `data` object literal, pass every test
 * of the envelope's shape (plain, own keys exactly these, no version, no meta), so only the
 * values are checked — the same checkers, the same event. Undefined: zod decides.
 */
export function fastParsePositionFields(eventId: string, occurredAt: string, data: Record<string, unknown>): DgtEvent | undefined {
  const { eventId: checkId, type: checkType, occurredAt: checkTime } = fields;
  if (checkId === undefined || checkType === undefined || checkTime === undefined || fields.schemaVersion === undefined) return undefined;
  const type = 'VehiclePositionReported';
  const checkData = dataChecker(type);
  if (checkData === null || checkType(type) === DEFER) return undefined;
  if (checkId(eventId) === DEFER || checkTime(occurredAt) === DEFER) return undefined;
  const checked = checkData(data);
  if (checked === DEFER) return undefined;
  return { eventId, type, occurredAt, data: checked } as DgtEvent;
}

/**
 * Whether `fastParsePositionFields` would vouch for a fix's `occurredAt` and `data` — the same
 * compiled checkers — for a caller that keeps the event as it came and needs none built (the
 * HTTP gateway's lane for fixes parsed from JSON). The eventId is the caller's to check: every
 * gateway applies the client id rule, which admits no id the envelope's rule refuses.
 */
export function positionValuesPass(occurredAt: unknown, data: unknown): boolean {
  const checkTime = fields.occurredAt;
  const checkData = dataChecker('VehiclePositionReported');
  if (checkTime === undefined || checkData === null) return false;
  return checkTime(occurredAt) !== DEFER && checkData(data) !== DEFER;
}

/**
 * Whether the envelope's compiled checker vouches for `occurredAt` — zod's datetime rule — for a
 * caller that checked a fix's `data` itself (the HTTP gateway's WebAssembly lane, whose bounds are
 * read from the same schema). False when nothing compiled: the caller then defers to zod.
 */
export function occurredAtPasses(occurredAt: string): boolean {
  const checkTime = fields.occurredAt;
  return checkTime !== undefined && checkTime(occurredAt) !== DEFER;
}

import { canonicalJson, parseEvent, registryEventTypes, type DgtEvent } from '@dgt/events';
import { generateApiKey, hashApiKey, type ApiKeyEntry } from '@dgt/http';

/*
 * A small Taizhou scene posted through the ingest API, as a gateway would: two carriers, three
 * registered vehicles, a dedicated lot, a chemical park and an accident-prone segment, one
 * consignment loaded on V-ACME-1. Times are relative to `baseMs` (the wall clock of the test),
 * so the dashboard's "last hours" track and the compliance window see them as recent.
 */

export const ids = {
  acme: 'ACME',
  beta: 'BETA',
  laden: 'V-ACME-1',
  empty: 'V-ACME-2',
  other: 'V-BETA-1',
  lot: 'lot-jiaojiang-test',
  park: 'park-waisha-test',
  segment: 'seg-g104-test',
  waybill: 'WB-ACME-1',
} as const;

export const plates: Readonly<Record<string, string>> = { [ids.laden]: '浙J·A1001', [ids.empty]: '浙J·A1002', [ids.other]: '浙J·B2001' };

/** G104 Toutuo–Yuanqiao stand-in: a 50 m corridor along these points. */
export const segmentPath: [number, number][] = [
  [121.3, 28.6],
  [121.34, 28.62],
  [121.38, 28.63],
];

/** `registry` posts the register (an ingest key may not), `ingest` everything else. */
export interface TestKeys {
  readonly bureau: string;
  readonly acme: string;
  readonly ingest: string;
  readonly registry: string;
}

export interface DemoKeySet {
  readonly keys: TestKeys;
  readonly entries: ApiKeyEntry[];
}

export function testKeys(): DemoKeySet {
  const keys = { bureau: generateApiKey(), acme: generateApiKey(), ingest: generateApiKey(), registry: generateApiKey() };
  return {
    keys,
    entries: [
      { id: 'bureau', role: 'bureau', sha256: hashApiKey(keys.bureau) },
      { id: 'acme', role: `carrier:${ids.acme}`, sha256: hashApiKey(keys.acme) },
      { id: 'gateway', role: 'ingest', sha256: hashApiKey(keys.ingest) },
      { id: 'register', role: 'registry', sha256: hashApiKey(keys.registry) },
    ],
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

function event(eventId: string, type: string, ms: number, data: Record<string, unknown>): DgtEvent {
  return parseEvent({ eventId, type, occurredAt: iso(ms), data });
}

export function fix(vehicleId: string, ms: number, lon: number, lat: number, speedKmh: number, headingDeg = 90): DgtEvent {
  return event(`fix-${vehicleId}-${ms}`, 'VehiclePositionReported', ms, { vehicleId, lon, lat, speedKmh, headingDeg });
}

export interface SetupEvents {
  /** The register, the zones and the loaded consignment. */
  readonly reference: DgtEvent[];
  /** A first fix per vehicle. */
  readonly fixes: DgtEvent[];
  readonly all: DgtEvent[];
}

/**
 * From `baseMs` - 30 min on. Post `reference` first and wait for it to be projected
 * (`waitForReference`): positions, consignments and zones travel on separate topics, so a zone
 * posted in the same request as a fix may be recorded after it, and a vehicle cannot enter a
 * segment that does not exist yet.
 */
export function setupEvents(baseMs: number): SetupEvents {
  const t0 = baseMs - 30 * 60_000;
  const square = (lon: number, lat: number, d: number): [number, number][] => [
    [lon, lat],
    [lon + d, lat],
    [lon + d, lat + d],
    [lon, lat + d],
    [lon, lat],
  ];
  const reference = [
    event('carrier-ACME', 'CarrierRegistered', t0, { carrierId: ids.acme, name: 'ACME Hazmat Logistics' }),
    event('carrier-BETA', 'CarrierRegistered', t0, { carrierId: ids.beta, name: 'Beta Chemicals Transport' }),
    event(`vehicle-${ids.laden}`, 'VehicleRegistered', t0, { vehicleId: ids.laden, carrierId: ids.acme, plateNo: plates[ids.laden] }),
    event(`vehicle-${ids.empty}`, 'VehicleRegistered', t0, { vehicleId: ids.empty, carrierId: ids.acme, plateNo: plates[ids.empty] }),
    event(`vehicle-${ids.other}`, 'VehicleRegistered', t0, { vehicleId: ids.other, carrierId: ids.beta, plateNo: plates[ids.other] }),
    event(`zone-${ids.lot}`, 'ZoneDesignated', t0, { zoneId: ids.lot, kind: 'parking-lot', name: 'Jiaojiang hazmat lot (test)', datum: 'WGS84', polygon: square(121.43, 28.68, 0.01) }),
    event(`zone-${ids.park}`, 'ZoneDesignated', t0, { zoneId: ids.park, kind: 'chemical-park', name: 'Waisha–Yantou chemical park (test)', datum: 'WGS84', polygon: square(121.46, 28.66, 0.04) }),
    event(`zone-${ids.segment}`, 'ZoneDesignated', t0, { zoneId: ids.segment, kind: 'accident-segment', name: 'G104 Toutuo–Yuanqiao (test)', datum: 'WGS84', path: segmentPath, bufferM: 50 }),
    event('wb-declared', 'ConsignmentDeclared', t0 + 60_000, {
      waybillNo: ids.waybill,
      consignorId: 'CONSIGNOR-1',
      goods: [{ unNumber: '1203', name: 'Gasoline', hazardClass: '3', quantityKg: 24_000 }],
      origin: { name: 'Waisha terminal', lon: 121.48, lat: 28.68 },
      destination: { name: 'Wenling depot', lon: 121.2, lat: 28.4 },
    }),
    event('wb-assigned', 'CarriageAssigned', t0 + 120_000, { waybillNo: ids.waybill, carrierId: ids.acme, vehicleId: ids.laden, driverId: 'DRV-1', escortId: 'ESC-1' }),
    event('wb-loaded', 'LoadingCompleted', t0 + 180_000, { waybillNo: ids.waybill, vehicleId: ids.laden }),
  ];
  const fixes = [fix(ids.laden, t0 + 190_000, 121.48, 28.68, 0), fix(ids.empty, t0 + 200_000, 121.435, 28.685, 0), fix(ids.other, t0 + 210_000, 121.2, 28.45, 40)];
  return { reference, fixes, all: [...reference, ...fixes] };
}

/** Until the API lists the three zones and the consignment as loaded. */
export async function waitForReference(apiUrl: string, apiKey: string): Promise<void> {
  await eventually('the zones and the loaded consignment in the read models', async () => {
    const zones = await getJson<{ items: unknown[] }>(`${apiUrl}/v1/zones`, apiKey);
    if (zones.items.length < 3) return undefined;
    const consignment = await getJson<{ status: string }>(`${apiUrl}/v1/consignments/${ids.waybill}`, apiKey);
    return consignment.status === 'loaded' ? true : undefined;
  });
}

/** V-ACME-1, laden, drives west from the park and enters the segment at `enterMs`. */
export function driveIntoSegment(enterMs: number): { events: DgtEvent[]; enteringFix: DgtEvent } {
  const enteringFix = fix(ids.laden, enterMs, 121.36, 28.625, 50, 250);
  return {
    events: [fix(ids.laden, enterMs - 120_000, 121.42, 28.645, 55, 250), fix(ids.laden, enterMs - 60_000, 121.395, 28.64, 55, 250), enteringFix],
    enteringFix,
  };
}

/** Two fixes clear of the corridor: the passage closes. */
export function driveOutOfSegment(fromMs: number): DgtEvent[] {
  return [fix(ids.laden, fromMs, 121.3, 28.58, 50, 200), fix(ids.laden, fromMs + 30_000, 121.29, 28.57, 50, 200)];
}

/**
 * V-ACME-2 is empty, so its long stop is not a violation; V-ACME-1 (laden) stops at the roadside
 * outside every lot for 11 minutes of event time: the fix 600 s after the stop began opens it.
 */
export function parkIllegally(stopMs: number): { events: DgtEvent[]; crossingFix: DgtEvent } {
  const events: DgtEvent[] = [];
  for (let s = 0; s <= 660; s += 60) events.push(fix(ids.laden, stopMs + s * 1000, 121.25, 28.55, 0, 200));
  const crossingFix = events.find((e) => Date.parse(e.occurredAt) - stopMs >= 600_000);
  if (crossingFix === undefined) throw new Error('no fix 600 s into the stop');
  return { events, crossingFix };
}

const registryTypes = new Set<string>(registryEventTypes);

/**
 * POSTs the events with one key, or — given the whole key set — the register with the registry
 * key first and everything else with the ingest key (as a deployment's two clients would).
 */
export async function postEvents(ingestUrl: string, key: string | TestKeys, events: readonly DgtEvent[]): Promise<{ accepted: number; rejected: number }> {
  if (typeof key !== 'string') {
    const register = await postEvents(ingestUrl, key.registry, events.filter((e) => registryTypes.has(e.type)));
    const rest = await postEvents(ingestUrl, key.ingest, events.filter((e) => !registryTypes.has(e.type)));
    return { accepted: register.accepted + rest.accepted, rejected: register.rejected + rest.rejected };
  }
  if (events.length === 0) return { accepted: 0, rejected: 0 };
  const res = await fetch(`${ingestUrl}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', 'x-api-key': key },
    body: events.map((e) => canonicalJson(e)).join('\n') + '\n',
  });
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { accepted: number; rejected: number };
}

export async function getJson<T>(url: string, apiKey: string): Promise<T> {
  const res = await fetch(url, { headers: { 'x-api-key': apiKey } });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : ` (last error: ${String(last)})`}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

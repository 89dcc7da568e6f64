import { type CandidateArea, type DemandCell, type LotOccupancy, type SegmentExposure, stopKinds } from '@dgt/planning';
import { z } from 'zod';

/*
 * The planning answers (issue #19) as the API documents and sends them: the tables of
 * @dgt/planning (tables.ts), field for field. A field these schemas do not list never leaves the
 * server (the bodies are projected through them before they are cached).
 */

const count = z.number().int().min(0);
const lonLat = z.tuple([z.number(), z.number()]).meta({ description: '[lon, lat], WGS-84' });

const nearestLot = z
  .object({ lotId: z.string(), name: z.string(), distanceM: count.meta({ description: 'Metres to its outline, 0 inside' }) })
  .nullable()
  .meta({ description: 'The nearest active dedicated lot (null: none designated)' });

const classStops = z.object({ hazardClass: z.string(), stops: count });

export const lotOccupancy = z.object({
  lotId: z.string(),
  name: z.string(),
  capacity: count.nullable().meta({ description: 'Vehicles it holds (ZoneDesignated.capacity); null when not declared' }),
  withdrawn: z.boolean(),
  current: z.object({ laden: count, empty: count, total: count }).meta({ description: 'Vehicles inside at asOf' }),
  utilisation: z.number().nullable().meta({ description: 'current.total ÷ capacity; null without a capacity' }),
  peak: count.meta({ description: 'Most vehicles inside at once, over the record' }),
  meanVehicles: z.number().meta({ description: 'Mean vehicles inside over the time observed' }),
  hours: z
    .array(z.object({ hour: z.number().int().min(0).max(23), meanVehicles: z.number(), meanLaden: z.number(), peak: count, observedH: z.number().meta({ description: 'Hours of this hour of day observed' }) }))
    .meta({ description: 'Per Beijing hour of day, 0–23' }),
  hoursAtOrOverCapacity: z.number().nullable().meta({ description: 'Hours with at least `capacity` vehicles inside; null without a capacity' }),
  visits: count.meta({ description: 'Completed visits (entry fix → first fix outside)' }),
  meanDwellMin: z.number().nullable(),
  dwell: z.array(z.object({ fromS: count, toS: count.nullable().meta({ description: 'null: open-ended' }), visits: count })).meta({ description: 'Visits per dwell class (< 15 min, 15 min–1 h, 1–3 h, 3–8 h, 8–24 h, ≥ 24 h)' }),
});

export const lotsResponse = z
  .object({
    asOf: z.string().nullable().meta({ description: 'The latest fix recorded (ISO, UTC): occupancy is integrated up to it; null before any fix' }),
    lots: z.array(lotOccupancy).meta({ description: 'Every dedicated lot, by id' }),
  })
  .meta({ description: 'Dedicated-lot occupancy: vehicles inside now, by Beijing hour of day, time at capacity, dwell' });

export const demandCell = z.object({
  cell: z.string().meta({ description: 'H3 cell index' }),
  res: z.number().int(),
  kind: z.enum(stopKinds),
  centre: lonLat,
  stops: count,
  vehicles: count.meta({ description: 'Distinct vehicles' }),
  vehicleHours: z.number(),
  classes: z.array(classStops).meta({ description: 'Stops per hazard class carried, most first' }),
  nearestLot,
  firstStopMs: z.number().meta({ description: 'Epoch ms of the first stop counted' }),
  lastStopMs: z.number().meta({ description: 'Epoch ms of the latest stop counted' }),
});

export const demandResponse = z
  .object({
    kind: z.enum(stopKinds),
    res: z.number().int(),
    weeks: z.number().meta({ description: 'Weeks of record behind the demand (first to latest fix, at least a day)' }),
    cells: z.array(demandCell).meta({ description: 'Most vehicle-hours first' }),
  })
  .meta({ description: 'Parking demand: laden stops outside every lot and away from the waybill’s sites, per H3 cell' });

export const candidateArea = z.object({
  rank: z.number().int().min(1),
  cells: z.array(z.string()).meta({ description: 'Its demand cells (H3), sorted' }),
  centre: lonLat.meta({ description: 'Demand-weighted centre (by vehicle-hours), [lon, lat]' }),
  stops: count,
  vehicles: count,
  vehicleHours: z.number(),
  vehicleHoursPerWeek: z.number(),
  classes: z.array(classStops),
  nearestLot,
});

export const candidatesResponse = z
  .object({
    res: z.number().int(),
    weeks: z.number(),
    minDistanceM: count,
    candidates: z.array(candidateArea).meta({ description: 'Ranked by vehicle-hours' }),
  })
  .meta({ description: 'Candidate areas for a new lot: long laden stops at least minDistanceM from every lot, neighbouring cells joined' });

export const segmentExposure = z.object({
  segmentId: z.string(),
  name: z.string(),
  withdrawn: z.boolean(),
  ladenPassages: count,
  emptyPassages: count,
  ladenPerDay: z.number().meta({ description: 'Laden passages per day, over the days with any' }),
  byDay: z.array(z.object({ date: z.string().meta({ description: 'Beijing date' }), passages: count })),
  byHour: z.array(count).meta({ description: 'Laden passages per Beijing hour of day, 0–23' }),
  byWeek: z.array(z.object({ week: z.string().meta({ description: 'The week’s Monday (Beijing date)' }), passages: count })),
  byClass: z.array(z.object({ hazardClass: z.string(), passages: count })),
  byCarrier: z.array(z.object({ carrierId: z.string(), passages: count })),
  speed: z
    .object({ fixes: count, p50: count, p85: count, p95: count })
    .nullable()
    .meta({ description: 'Laden fixes inside the segment and their speed percentiles (nearest rank, whole km/h below); null without any' }),
  bannedHourEntries: count.meta({ description: 'Laden entries during the segment’s banned hours' }),
  ladenBannedEntries: count.meta({ description: 'Laden entries the segment’s rules banned at any hour' }),
});

export const segmentsResponse = z
  .object({ segments: z.array(segmentExposure).meta({ description: 'Most laden passages first' }) })
  .meta({ description: 'Accident-prone segment exposure: laden passages by day, hour, week, class and carrier; speeds inside; banned entries' });

export const planningCsv = z.string().meta({ description: 'text/csv; charset=utf-8, with a BOM, a header row, CRLF' });
export const planningGeoJson = z.string().meta({ description: 'application/geo+json: a FeatureCollection (RFC 7946, WGS-84)' });

/** Compile time: every field of each table is described above (a field added to a table and not here fails typecheck). */
type Describes<S extends z.ZodType, T> = z.infer<S> extends T ? true : false;
const _described: [Describes<typeof lotOccupancy, LotOccupancy>, Describes<typeof demandCell, DemandCell>, Describes<typeof candidateArea, CandidateArea>, Describes<typeof segmentExposure, SegmentExposure>] = [true, true, true, true];

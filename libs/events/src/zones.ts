import { z } from 'zod';
import { hazardClass } from './consignments.ts';
import { datum, identifier, lonLat } from './primitives.ts';

/**
 * `restricted-area` (禁行区): a polygon where laden hazmat vehicles may not go, always or in
 * banned hours (`rules`). Added in schema v1 without a version bump: older events never use it.
 */
export const zoneKinds = ['parking-lot', 'accident-segment', 'chemical-park', 'restricted-area'] as const;
export const zoneKind = z.enum(zoneKinds);
export type ZoneKind = z.infer<typeof zoneKind>;

/** Widest corridor we accept: a typo of an extra zero must not turn a road into a district. */
export const MAX_BUFFER_M = 5_000;

/** `HH:MM`, 24-hour, Beijing time (UTC+8, no daylight saving). */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour Beijing time HH:MM, e.g. "22:00"');

/**
 * A banned window, Beijing time: from `from` (inclusive) to `to` (exclusive); a window whose `to`
 * is earlier than its `from` wraps past midnight (`22:00`–`06:00`).
 */
export const bannedHours = z
  .strictObject({ from: clockTime, to: clockTime })
  .refine((w) => w.from !== w.to, { message: 'from and to must differ (a window of no time or of all day is ambiguous: use ladenBanned for all day)', path: ['to'] });

/**
 * What a zone forbids (禁行 / 限速). Strict: a misspelt rule must be refused, never silently ignored.
 * - `speedLimitKmh`: the hazmat limit inside the zone (the lower of it and the general limit applies);
 * - `ladenBanned`: no laden vehicle at any hour;
 * - `bannedHours`: no laden vehicle in these windows;
 * - `hazardClasses`: the bans apply only to vehicles laden with any of these classes (absent = all);
 *   a class without a division (`"2"`) covers its divisions (`"2.1"`, `"2.2"`, `"2.3"`).
 */
export const zoneRules = z.strictObject({
  speedLimitKmh: z.number().finite().positive().max(200).optional(),
  ladenBanned: z.boolean().optional(),
  bannedHours: z.array(bannedHours).min(1, 'needs at least one window').max(24).optional(),
  hazardClasses: z.array(hazardClass).min(1, 'needs at least one class (omit it to ban every class)').max(32).optional(),
});

/** Kinds that may carry `rules`. Lots are where hazmat vehicles belong: nothing is banned there. */
export const ruledZoneKinds: readonly ZoneKind[] = ['accident-segment', 'restricted-area', 'chemical-park'];

export const zoneDesignatedData = z
  .looseObject({
    zoneId: identifier,
    kind: zoneKind,
    name: z.string().min(1, 'must not be empty'),
    datum,
    polygon: z.array(lonLat).min(3, 'needs at least 3 vertices').max(10_000).optional(),
    path: z.array(lonLat).min(2, 'needs at least 2 points').max(10_000).optional(),
    bufferM: z.number().finite().positive().max(MAX_BUFFER_M).optional(),
    rules: zoneRules.optional(),
    /** Vehicles a dedicated lot holds (parking-lot only); planning compares occupancy with it. */
    capacity: z.number().int().min(1).max(100_000).optional(),
  })
  .superRefine((zone, ctx) => {
    if (zone.rules !== undefined && !ruledZoneKinds.includes(zone.kind)) {
      ctx.addIssue({ code: 'custom', path: ['rules'], message: `a ${zone.kind} cannot carry rules (only ${ruledZoneKinds.join(', ')})` });
    }
    if (zone.capacity !== undefined && zone.kind !== 'parking-lot') {
      ctx.addIssue({ code: 'custom', path: ['capacity'], message: 'only a parking-lot has a capacity' });
    }
    if (zone.kind === 'restricted-area' && zone.rules?.ladenBanned !== true && zone.rules?.bannedHours === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rules'], message: 'a restricted-area needs rules.ladenBanned: true or rules.bannedHours (otherwise it restricts nothing)' });
    }
    if (zone.kind === 'accident-segment') {
      if (!zone.path) ctx.addIssue({ code: 'custom', path: ['path'], message: 'required for an accident-segment' });
      if (zone.bufferM === undefined)
        ctx.addIssue({ code: 'custom', path: ['bufferM'], message: 'required for an accident-segment (metres each side of the path)' });
    } else if (!zone.polygon) {
      ctx.addIssue({ code: 'custom', path: ['polygon'], message: `required for a ${zone.kind}` });
    } else if (distinctVertices(zone.polygon) < 3) {
      ctx.addIssue({ code: 'custom', path: ['polygon'], message: 'needs at least 3 distinct vertices' });
    }
  });

function distinctVertices(ring: readonly (readonly [number, number])[]): number {
  return new Set(ring.map(([lon, lat]) => `${lon},${lat}`)).size;
}

export const zoneWithdrawnData = z.looseObject({ zoneId: identifier });

export type ZoneDesignatedData = z.infer<typeof zoneDesignatedData>;
export type ZoneRules = z.infer<typeof zoneRules>;
export type BannedHours = z.infer<typeof bannedHours>;
export type ZoneWithdrawnData = z.infer<typeof zoneWithdrawnData>;

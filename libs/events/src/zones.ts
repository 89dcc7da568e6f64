import { z } from 'zod';
import { datum, identifier, lonLat } from './primitives.ts';

export const zoneKinds = ['parking-lot', 'accident-segment', 'chemical-park'] as const;
export const zoneKind = z.enum(zoneKinds);
export type ZoneKind = z.infer<typeof zoneKind>;

/** Widest corridor we accept: a typo of an extra zero must not turn a road into a district. */
export const MAX_BUFFER_M = 5_000;

export const zoneDesignatedData = z
  .looseObject({
    zoneId: identifier,
    kind: zoneKind,
    name: z.string().min(1, 'must not be empty'),
    datum,
    polygon: z.array(lonLat).min(3, 'needs at least 3 vertices').max(10_000).optional(),
    path: z.array(lonLat).min(2, 'needs at least 2 points').max(10_000).optional(),
    bufferM: z.number().finite().positive().max(MAX_BUFFER_M).optional(),
  })
  .superRefine((zone, ctx) => {
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
export type ZoneWithdrawnData = z.infer<typeof zoneWithdrawnData>;

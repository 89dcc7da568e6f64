import type { CountyIndex, RoadIndex } from '@dgt/geo';
import { z } from 'zod';

/** How far a road may be to be named as the one a position is on or near. */
export const NEAR_ROAD_M = 2_000;

export const placeView = z
  .object({
    county: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }).nullable().meta({ description: 'The county-level division (行政区划) the position lies in; null at sea, outside Taizhou or without boundaries' }),
    road: z.object({ name: z.string(), distanceM: z.number() }).nullable().meta({ description: `The nearest named road within ${NEAR_ROAD_M} m, and how far it is` }),
  })
  .meta({ description: 'Where a position is, in words: its county and nearest road (from API_COUNTIES_FILE and API_ROADS_FILE)' });
export type PlaceView = z.infer<typeof placeView>;

/**
 * Names where a violation or a vehicle is, so a duty officer reads "黄岩区 · G15" instead of
 * coordinates: county by point-in-polygon on the configured boundaries, road by the nearest named
 * road. Either is null when its data is not configured.
 */
export class PlaceNamer {
  constructor(
    private readonly counties: CountyIndex | undefined,
    private readonly roads: RoadIndex | undefined,
  ) {}

  placeOf(lon: number | null, lat: number | null): PlaceView | null {
    if (lon === null || lat === null || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    const county = this.counties?.countyAt(lon, lat) ?? null;
    const road = this.roads?.nearest(lon, lat, NEAR_ROAD_M) ?? null;
    return {
      county: county === null ? null : { code: county.code, name: county.name, nameEn: county.nameEn },
      road: road === null ? null : { name: road.name, distanceM: Math.round(road.distanceM) },
    };
  }
}

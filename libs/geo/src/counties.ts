import { type County, readCountyCollection } from './countyCollection.ts';
import { BandedRing, INSIDE, OUTSIDE } from './ringBands.ts';

interface IndexedPolygon {
  county: Readonly<County>;
  outer: BandedRing;
  holes: readonly BandedRing[];
}

/**
 * Which county-level division a WGS-84 position lies in, from boundary polygons (Polygon or
 * MultiPolygon, holes allowed). Pure and immutable once built.
 *
 * Boundaries count as inside, as in `pointInPolygon`; a point on a hole's edge is on the polygon's
 * boundary, so inside too. A point on a border shared by two counties is in both, and the answer is the
 * county whose code sorts first (e.g. 331002 椒江区 over 331004 路桥区), whatever the input order.
 */
export class CountyIndex {
  private readonly list: readonly Readonly<County>[];
  private readonly polygons: readonly IndexedPolygon[];
  /** Bounding boxes of the polygons' outer rings, 4 numbers each, checked before any ring is read. */
  private readonly boxes: Float64Array;

  /** Validates `collection` (see `readCountyCollection`); throws `CountyDataError` naming the field. */
  constructor(collection: unknown) {
    const shapes = readCountyCollection(collection).sort((a, b) =>
      a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
    );
    const polygons: IndexedPolygon[] = [];
    const list: Readonly<County>[] = [];
    for (const shape of shapes) {
      const county = Object.freeze({ code: shape.code, name: shape.name, nameEn: shape.nameEn });
      list.push(county);
      for (const [outer, ...holes] of shape.polygons) {
        // readCountyCollection guarantees at least the outer ring.
        polygons.push({
          county,
          outer: new BandedRing(outer ?? []),
          holes: holes.map((h) => new BandedRing(h)),
        });
      }
    }
    this.list = Object.freeze(list);
    this.polygons = polygons;
    this.boxes = new Float64Array(polygons.length * 4);
    polygons.forEach(({ outer }, i) => {
      this.boxes.set([outer.minLon, outer.minLat, outer.maxLon, outer.maxLat], i * 4);
    });
  }

  /** The counties, by code. */
  counties(): readonly Readonly<County>[] {
    return this.list;
  }

  /** The county containing (lon, lat) in WGS-84, or null (at sea, outside every county). Throws RangeError on a non-coordinate. */
  countyAt(lon: number, lat: number): Readonly<County> | null {
    // Written so that NaN fails too: a NaN would otherwise slip past every box test and answer null.
    if (!(lon >= -180 && lon <= 180))
      throw new RangeError(`countyAt: lon must be a number in [-180, 180], got ${lon}`);
    if (!(lat >= -90 && lat <= 90))
      throw new RangeError(`countyAt: lat must be a number in [-90, 90], got ${lat}`);
    const boxes = this.boxes;
    for (let i = 0, n = this.polygons.length; i < n; i++) {
      const b = i * 4;
      if (
        lon < (boxes[b] as number) ||
        lat < (boxes[b + 1] as number) ||
        lon > (boxes[b + 2] as number) ||
        lat > (boxes[b + 3] as number)
      ) {
        continue;
      }
      const polygon = this.polygons[i] as IndexedPolygon;
      if (polygon.outer.position(lon, lat) === OUTSIDE) continue;
      let inHole = false;
      for (const hole of polygon.holes) {
        if (hole.position(lon, lat) === INSIDE) {
          inHole = true;
          break;
        }
      }
      if (!inHole) return polygon.county;
    }
    return null;
  }
}

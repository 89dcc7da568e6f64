import { pointInPolygon } from '@dgt/geo';
import type { Page, ReadModelStore, Scope } from '@dgt/readmodels';
import type { PlaceNamer } from './placeNames.ts';

/** What a desk narrows violations by beyond the read model's own filters. */
export interface Narrowing {
  /** Six-digit county code: the occurrence's position lies in that county. */
  readonly county?: string | undefined;
  /** A chemical park's zone id: the occurrence lies in the park (or names it). */
  readonly park?: string | undefined;
  /** A hazard class ("3", "2.1"): the occurrence's waybill carries goods of that class. */
  readonly hazardClass?: string | undefined;
}

/** Pages of the read model looked at per request at most: a rare match is paged to, never searched for unbounded. */
const MAX_STEPS = 40;

interface Located {
  readonly lon: number | null;
  readonly lat: number | null;
  readonly zoneId: string | null;
  readonly waybillNo: string | null;
}

export function isNarrowed(n: Narrowing): boolean {
  return n.county !== undefined || n.park !== undefined || n.hazardClass !== undefined;
}

/**
 * A page of occurrences that also pass the narrowing, read from the read model's pages in order.
 * Each step asks for no more rows than are still wanted and keeps every one it reads, so the
 * cursor it answers continues exactly after the last row looked at: nothing is skipped or repeated
 * across pages. A page may hold fewer than `limit` items while more remain (then `nextCursor` is
 * set): a sparse filter is paged through in bounded steps.
 */
export async function narrowedPage<T extends Located>(
  fetch: (limit: number, cursor: string | undefined) => Promise<Page<T>>,
  narrowing: Narrowing,
  context: { readonly readModels: ReadModelStore; readonly scope: Scope; readonly places: PlaceNamer },
  limit: number,
  cursor: string | undefined,
): Promise<Page<T>> {
  const keep = await predicateOf(narrowing, context);
  const items: T[] = [];
  let next: string | undefined = cursor;
  for (let step = 0; step < MAX_STEPS && items.length < limit; step++) {
    const page = await fetch(limit - items.length, next);
    for (const o of page.items) if (await keep(o)) items.push(o);
    if (page.nextCursor === null) return { items, nextCursor: null };
    next = page.nextCursor;
  }
  return { items, nextCursor: next ?? null };
}

async function predicateOf(n: Narrowing, context: { readonly readModels: ReadModelStore; readonly scope: Scope; readonly places: PlaceNamer }): Promise<(o: Located) => Promise<boolean>> {
  const park = n.park === undefined ? undefined : (await context.readModels.zones()).find((z) => z.zoneId === n.park && z.kind === 'chemical-park');
  const classes = new Map<string, boolean>();
  return async (o) => {
    if (n.county !== undefined && context.places.placeOf(o.lon, o.lat)?.county?.code !== n.county) return false;
    if (n.park !== undefined) {
      const inPark = o.zoneId === n.park || (park?.polygon != null && o.lon !== null && o.lat !== null && pointInPolygon(o.lon, o.lat, park.polygon));
      if (!inPark) return false;
    }
    if (n.hazardClass !== undefined) {
      if (o.waybillNo === null) return false;
      let carries = classes.get(o.waybillNo);
      if (carries === undefined) {
        const consignment = await context.readModels.consignment(o.waybillNo, context.scope);
        carries = consignment?.goods.some((g) => g.hazardClass === n.hazardClass) ?? false;
        classes.set(o.waybillNo, carries);
      }
      if (!carries) return false;
    }
    return true;
  };
}

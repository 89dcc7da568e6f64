import type { CountyIndex } from '@dgt/geo';
import type { CellCount } from '@dgt/readmodels';

/** The county of every position cell asked about so far: cells repeat from request to request (the same roads, the same lots). */
const CACHE_LIMIT = 100_000;

export interface CountyCount {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly count: number;
}

export interface CountyBreakdown {
  /** Every county of the boundaries (zeros too), most violations first, then by code. */
  readonly items: readonly CountyCount[];
  /** Violations with a position in no county (at sea, outside Taizhou). */
  readonly outside: number;
}

/**
 * Violations per county, from the store's counts per position cell (about 100 m): each cell's
 * centre is looked up once, so a request costs one lookup per distinct cell, not per violation,
 * and no county column (nor re-projection when boundaries change) is needed in the read models.
 * A cell straddling a border counts whole for the county of its centre: at most about 75 m off, which
 * a count per county can bear.
 */
export class CountyCounter {
  readonly #cache = new Map<string, string | null>();

  constructor(private readonly counties: CountyIndex) {}

  breakdown(cells: readonly CellCount[]): CountyBreakdown {
    const byCode = new Map<string, number>();
    let outside = 0;
    for (const cell of cells) {
      const code = this.#countyOf(cell.lon, cell.lat);
      if (code === null) outside += cell.count;
      else byCode.set(code, (byCode.get(code) ?? 0) + cell.count);
    }
    const items = this.counties
      .counties()
      .map((c) => ({ code: c.code, name: c.name, nameEn: c.nameEn, count: byCode.get(c.code) ?? 0 }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return { items, outside };
  }

  #countyOf(lon: number, lat: number): string | null {
    const key = `${lon},${lat}`;
    const known = this.#cache.get(key);
    if (known !== undefined) return known;
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    const code = this.counties.countyAt(lon, lat)?.code ?? null;
    this.#cache.set(key, code);
    return code;
  }
}

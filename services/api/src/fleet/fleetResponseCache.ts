import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { stringifyWellFormed } from '@dgt/events';
import { fleetVehicle, type FleetQuery, type FleetVehicle, type Page, type ReadModelStore } from '@dgt/readmodels';
import { scopeKey } from '../access.ts';
import { schemaProjection } from '../schemaProjection.ts';

export interface FleetCacheOptions {
  readonly readModels: ReadModelStore;
  /** A cached page is served without asking the store for this long (bounds rebuilds while the projector writes). Default 250 ms. */
  readonly freshMs?: number;
  /** Older than fresh but younger than this: served at once while one refresh runs in the background. Default 4 × freshMs. */
  readonly maxStaleMs?: number;
  readonly maxEntries?: number;
  readonly maxBytes?: number;
  /** Monotonic milliseconds; tests drive it. */
  readonly clock?: () => number;
}

/** A cached page: its JSON, and the same gzip-compressed once the thread pool has made it. */
export interface FleetBody {
  readonly json: Buffer;
  gzip: Buffer | null;
}

interface Entry extends FleetBody {
  readonly generation: number;
  checkedAt: number;
  refreshing: Promise<void> | null;
}

const projectRow = schemaProjection(fleetVehicle);
const gzipAsync = promisify(gzip);
/** Smaller pages are not worth a compressed copy. */
const GZIP_MIN_BYTES = 1024;

/**
 * Serialised `GET /v1/fleet` pages per (scope, query), valid while `readModels.generation()`
 * stays the same. The dashboard and every client polling the fleet hit the same few keys, so
 * most requests are a map lookup and a buffer write: no store query, no per-row work.
 */
export class FleetResponseCache {
  readonly #entries = new Map<string, Entry>();
  readonly #building = new Map<string, Promise<Entry>>();
  /** Row JSON by row object: adapters that hand out the same object until it changes (memory) skip re-serialising it. */
  readonly #rowJson = new WeakMap<object, string>();
  #bytes = 0;
  readonly #readModels: ReadModelStore;
  readonly #freshMs: number;
  readonly #maxStaleMs: number;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #clock: () => number;

  constructor(options: FleetCacheOptions) {
    this.#readModels = options.readModels;
    this.#freshMs = options.freshMs ?? 250;
    this.#maxStaleMs = options.maxStaleMs ?? 4 * this.#freshMs;
    this.#maxEntries = options.maxEntries ?? 256;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** The page as JSON bytes (rows hold only the schema's fields). Read-model errors propagate. */
  async page(query: FleetQuery): Promise<Buffer> {
    return (await this.body(query)).json;
  }

  /** The page with its gzip copy when ready (compressed off the event loop, once per page build). */
  async body(query: FleetQuery): Promise<FleetBody> {
    const key = cacheKey(query);
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#touch(key, entry);
      const age = this.#clock() - entry.checkedAt;
      if (age < this.#freshMs) return entry;
      entry.refreshing ??= this.#revalidate(key, entry, query);
      if (age < this.#maxStaleMs) return entry;
      await entry.refreshing;
      return this.#entries.get(key) ?? entry;
    }
    return this.#build(key, query);
  }

  get size(): number {
    return this.#entries.size;
  }

  async #revalidate(key: string, entry: Entry, query: FleetQuery): Promise<void> {
    try {
      const generation = await this.#readModels.generation();
      if (generation === entry.generation) entry.checkedAt = this.#clock();
      else await this.#build(key, query);
    } catch {
      // The next request rebuilds in the foreground and reports the error to its caller.
      if (this.#entries.get(key) === entry) this.#delete(key, entry);
    } finally {
      entry.refreshing = null;
    }
  }

  #build(key: string, query: FleetQuery): Promise<Entry> {
    let pending = this.#building.get(key);
    if (pending === undefined) {
      pending = this.#load(key, query).finally(() => this.#building.delete(key));
      this.#building.set(key, pending);
    }
    return pending;
  }

  async #load(key: string, query: FleetQuery): Promise<Entry> {
    const generation = await this.#readModels.generation();
    const page = await this.#readModels.fleet(query);
    const json = this.#serialise(page);
    const entry: Entry = { json, gzip: null, generation, checkedAt: this.#clock(), refreshing: null };
    const old = this.#entries.get(key);
    if (old !== undefined) this.#delete(key, old);
    this.#entries.set(key, entry);
    this.#bytes += json.length;
    this.#evict();
    if (json.length >= GZIP_MIN_BYTES) this.#compress(key, entry);
    return entry;
  }

  #compress(key: string, entry: Entry): void {
    gzipAsync(entry.json, { level: constants.Z_BEST_SPEED }).then(
      (compressed) => {
        if (this.#entries.get(key) !== entry) return;
        entry.gzip = compressed;
        this.#bytes += compressed.length;
        this.#evict();
      },
      // Without a compressed copy the page is simply sent as it is.
      () => undefined,
    );
  }

  #serialise(page: Page<FleetVehicle>): Buffer {
    const rows = page.items.map((row) => {
      let json = this.#rowJson.get(row);
      if (json === undefined) {
        // Prepared bytes skip the response hooks, so they are made well-formed here (no lone surrogates).
        json = stringifyWellFormed(projectRow(row));
        this.#rowJson.set(row, json);
      }
      return json;
    });
    return Buffer.from(`{"items":[${rows.join(',')}],"nextCursor":${stringifyWellFormed(page.nextCursor)}}`, 'utf8');
  }

  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.json.length + (entry.gzip?.length ?? 0);
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) return;
      this.#delete(key, entry);
    }
  }
}

function cacheKey(q: FleetQuery): string {
  const b = q.bbox === undefined ? '' : `${q.bbox.west},${q.bbox.south},${q.bbox.east},${q.bbox.north}`;
  return JSON.stringify([scopeKey(q.scope), q.carrierId ?? null, q.laden ?? null, q.inViolation ?? null, b, q.cursor ?? null, q.limit]);
}

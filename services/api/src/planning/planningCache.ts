import { performance } from 'node:perf_hooks';
import type { ReadModelStore } from '@dgt/readmodels';
import { PlanningTables } from './planningTables.ts';

/** A response ready to send: its bytes, content type and, for files, the download name. */
export interface PlanningBody {
  readonly bytes: Buffer;
  readonly type: string;
  readonly filename?: string;
}

export interface PlanningCacheOptions {
  readonly readModels: ReadModelStore;
  /** The generation is not asked again for this long after it was (bounds rechecks under a burst of requests). Default 250 ms. */
  readonly freshMs?: number;
  /** Prepared bodies kept per generation (each route and query is one). Default 64. */
  readonly maxBodies?: number;
  /** Monotonic milliseconds; tests drive it. */
  readonly clock?: () => number;
}

interface Generation {
  readonly generation: number;
  readonly tables: PlanningTables;
  readonly bodies: Map<string, PlanningBody>;
}

/**
 * The planning answers per read-model generation: the aggregate rows are read and parsed once per
 * generation (`readModels.generation()` changes whenever the projector commits), each table
 * derived once (PlanningTables), and each answer (route and query) serialised once. Until the
 * projector writes again a request is a map lookup and a buffer write.
 */
export class PlanningCache {
  readonly #readModels: ReadModelStore;
  readonly #freshMs: number;
  readonly #maxBodies: number;
  readonly #clock: () => number;
  #current: Generation | null = null;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #loading: { readonly generation: number; readonly promise: Promise<Generation> } | null = null;

  constructor(options: PlanningCacheOptions) {
    this.#readModels = options.readModels;
    this.#freshMs = options.freshMs ?? 250;
    this.#maxBodies = options.maxBodies ?? 64;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** The body under `key` at the current generation, made by `make` from its tables when not cached. Read-model errors propagate. */
  async body(key: string, make: (tables: PlanningTables) => PlanningBody): Promise<PlanningBody> {
    const current = await this.#generation();
    let body = current.bodies.get(key);
    if (body === undefined) {
      body = make(current.tables);
      if (current.bodies.size >= this.#maxBodies) current.bodies.delete(current.bodies.keys().next().value as string);
      current.bodies.set(key, body);
    }
    return body;
  }

  async #generation(): Promise<Generation> {
    const now = this.#clock();
    if (this.#current !== null && now - this.#checkedAt < this.#freshMs) return this.#current;
    const generation = await this.#readModels.generation();
    if (this.#current?.generation === generation) {
      this.#checkedAt = now;
      return this.#current;
    }
    // Requests arriving while a generation loads share its load.
    if (this.#loading?.generation !== generation) {
      const promise = this.#load(generation);
      const loading = { generation, promise };
      this.#loading = loading;
      promise.then(
        (loaded) => {
          // Only the latest load becomes current: an older one finishing late must not replace a newer.
          if (this.#loading !== loading) return;
          this.#loading = null;
          this.#current = loaded;
          this.#checkedAt = now;
        },
        () => {
          // The next request loads again and reports the error to its caller.
          if (this.#loading === loading) this.#loading = null;
        },
      );
    }
    return this.#loading.promise;
  }

  async #load(generation: number): Promise<Generation> {
    const rows = await this.#readModels.planningRows();
    return { generation, tables: new PlanningTables(rows), bodies: new Map() };
  }
}

import { hash, randomInt } from 'node:crypto';

/** Whether an event was accepted before: the same bytes (a retry) or other content under its id. */
export type KnownStatus = 'duplicate' | 'conflict';

/** The part of the event store port the gateway asks (`EventStore.recordedJson`; EventStoreDB has none). */
export interface IdLookup {
  recordedJson?(eventIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** An event ready to publish, with the canonical JSON it is published and recorded as. */
export interface PreparedEvent<E = unknown> {
  readonly event: E & { readonly eventId: string };
  readonly json: string;
}

/** SHA-256 of canonical JSON, as 44 base64 characters (one-shot `crypto.hash`: half the cost of a Hash object per event). */
export function digestOf(json: string): string {
  return hash('sha256', json, 'base64');
}

/**
 * Ids this gateway accepted lately, with the digest of what it accepted under them. The store
 * answers for what is recorded; this covers the seconds between a 202 and the recorder's append
 * (and a gateway without a store to ask). Bounded in two generations of up to half the capacity
 * each: when the young one is full, the old one is dropped whole. (Evicting one id at a time from
 * a single Map cost ~30 µs per id at 200,000: its iterator walks the deleted slots first.)
 */
export class RecentIds {
  #young: IdGeneration | undefined;
  #old: IdGeneration | undefined;
  readonly #generation: number;
  // Ids are the client's: a seed it cannot know keeps it from choosing ids that share slots.
  readonly #seed = randomInt(1, 2 ** 31);

  constructor(capacity: number) {
    this.#generation = Math.floor(capacity / 2);
    this.#young = this.#generation === 0 ? undefined : new IdGeneration(this.#generation);
  }

  get(eventId: string): string | undefined {
    const young = this.#young;
    if (young === undefined) return undefined;
    const h = idHash(eventId, this.#seed);
    return young.get(eventId, h) ?? this.#old?.get(eventId, h);
  }

  remember(eventId: string, digest: string): void {
    const young = this.#young;
    if (young === undefined) return;
    const h = idHash(eventId, this.#seed);
    if (young.set(eventId, h, digest)) return;
    this.#old = young;
    this.#young = new IdGeneration(this.#generation);
    this.#young.set(eventId, h, digest);
  }

  get size(): number {
    return (this.#young?.size ?? 0) + (this.#old?.size ?? 0);
  }
}

/** A probe never walks further; an id that would need more is not remembered (the store still answers for it). */
const MAX_PROBE = 64;
/** UTF-16 units a generation holds per entry on average: its id (client ids are at most 200) and its digest (44). */
const UNITS_PER_ENTRY = 48 + 44;

/**
 * One generation of RecentIds, held in typed arrays: the UTF-16 units of the ids and their digests
 * in one arena, found through an open-addressing index of 32-bit id hashes (linear probing, at
 * most half full). A Map of strings kept two strings per id alive: every accepted id was promoted
 * to the old generation of the heap and marked by every full GC, which with the Map's lookups cost
 * a busy gateway ~1.8 µs per event — a quarter of its time. Nothing is deleted: a generation is
 * dropped whole, and is full when its entries or its arena are.
 */
class IdGeneration {
  /** Per slot: the hash of its id (never 0), or 0 when empty. */
  readonly #hashes: Int32Array;
  /** Per slot: its entry. */
  readonly #entries: Int32Array;
  readonly #mask: number;
  /** Per entry: where its id and its digest start in #units, and their lengths. */
  readonly #idStart: Int32Array;
  readonly #idLength: Int32Array;
  readonly #digestStart: Int32Array;
  readonly #digestLength: Int32Array;
  readonly #units: Uint16Array;
  #unitsUsed = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    let slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    this.#mask = slots - 1;
    this.#hashes = new Int32Array(slots);
    this.#entries = new Int32Array(slots);
    this.#idStart = new Int32Array(capacity);
    this.#idLength = new Int32Array(capacity);
    this.#digestStart = new Int32Array(capacity);
    this.#digestLength = new Int32Array(capacity);
    // And room for one more of the longest (a 512-unit id): any id fits in an empty generation.
    this.#units = new Uint16Array(capacity * UNITS_PER_ENTRY + 1024);
  }

  get size(): number {
    return this.#size;
  }

  get(id: string, h: number): string | undefined {
    const e = this.#find(id, h);
    return e < 0 ? undefined : this.#digest(e);
  }

  /** Remembers (or updates) `id`; false when the generation is full. */
  set(id: string, h: number, digest: string): boolean {
    // Full is full, even for an id it holds (as a Map-based generation was: the id moves to the next).
    if (this.#size >= this.capacity) return false;
    const hashes = this.#hashes;
    const mask = this.#mask;
    for (let i = h & mask, n = 0; n < MAX_PROBE; i = (i + 1) & mask, n++) {
      const at = hashes[i] as number;
      if (at === 0) {
        if (this.#unitsUsed + id.length + digest.length > this.#units.length) return false;
        const e = this.#size++;
        this.#idStart[e] = this.#append(id);
        this.#idLength[e] = id.length;
        this.#digestStart[e] = this.#append(digest);
        this.#digestLength[e] = digest.length;
        hashes[i] = h;
        this.#entries[i] = e;
        return true;
      }
      if (at === h) {
        const e = this.#entries[i] as number;
        if (this.#idIs(e, id)) {
          // Another digest for a known id (two requests with it were in flight at once): rare.
          if (this.#unitsUsed + digest.length > this.#units.length) return false;
          this.#digestStart[e] = this.#append(digest);
          this.#digestLength[e] = digest.length;
          return true;
        }
      }
    }
    // A run this long is no accident of a half-empty index: leave the id to the store's lookup.
    return true;
  }

  #find(id: string, h: number): number {
    const hashes = this.#hashes;
    const mask = this.#mask;
    for (let i = h & mask, n = 0; n < MAX_PROBE; i = (i + 1) & mask, n++) {
      const at = hashes[i] as number;
      if (at === 0) return -1;
      if (at === h) {
        const e = this.#entries[i] as number;
        if (this.#idIs(e, id)) return e;
      }
    }
    return -1;
  }

  #idIs(e: number, id: string): boolean {
    if (this.#idLength[e] !== id.length) return false;
    const start = this.#idStart[e] as number;
    const units = this.#units;
    for (let k = 0; k < id.length; k++) if (units[start + k] !== id.charCodeAt(k)) return false;
    return true;
  }

  /** Copies `text` to the arena (the caller checked it fits); where it starts. */
  #append(text: string): number {
    const start = this.#unitsUsed;
    const units = this.#units;
    for (let k = 0; k < text.length; k++) units[start + k] = text.charCodeAt(k);
    this.#unitsUsed = start + text.length;
    return start;
  }

  #digest(e: number): string {
    const start = this.#digestStart[e] as number;
    return String.fromCharCode(...this.#units.subarray(start, start + (this.#digestLength[e] as number)));
  }
}

/** A seeded 32-bit hash of the id's UTF-16 units (murmur3's mixing), never 0. */
function idHash(id: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < id.length; i++) {
    let k = Math.imul(id.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= id.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

/**
 * For each event, `duplicate`, `conflict`, or undefined when it is new: first among the ids
 * accepted lately, then, for the others, in the store. A store that cannot answer leaves them
 * new — the recorder still reports a conflict, as a dead letter, if there is one.
 */
export async function knownStatuses(
  events: readonly PreparedEvent[],
  recent: RecentIds,
  lookup: IdLookup | undefined,
  onLookupFailure: (error: unknown) => void,
): Promise<(KnownStatus | undefined)[]> {
  const statuses: (KnownStatus | undefined)[] = new Array(events.length).fill(undefined);
  const ask: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as PreparedEvent;
    const digest = recent.get(e.event.eventId);
    if (digest === undefined) ask.push(i);
    else statuses[i] = digest === digestOf(e.json) ? 'duplicate' : 'conflict';
  }
  if (ask.length === 0 || lookup?.recordedJson === undefined) return statuses;
  let recorded: ReadonlyMap<string, string>;
  try {
    recorded = await lookup.recordedJson(ask.map((i) => (events[i] as PreparedEvent).event.eventId));
  } catch (error) {
    onLookupFailure(error);
    return statuses;
  }
  if (recorded.size === 0) return statuses;
  for (const i of ask) {
    const e = events[i] as PreparedEvent;
    const json = recorded.get(e.event.eventId);
    if (json !== undefined) statuses[i] = json === e.json ? 'duplicate' : 'conflict';
  }
  return statuses;
}

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
  /** The message's value (the bus encodes it once, into its own buffer), and what RecentIds compares. */
  readonly json: string;
  /** `RecentIds.keyOf` its id, when the pipeline computed it (once, for the lookup and the remembering). */
  readonly idKey?: number;
}

/** The contents of a batch's events as one run of UTF-8: event i's is `bytes[starts[i], starts[i + 1])`. */
export interface ContentRun {
  readonly bytes: Buffer;
  readonly starts: Int32Array;
}

/**
 * Ids this gateway accepted lately, with what it accepted under them. The store answers for what
 * is recorded; this covers the seconds between a 202 and the recorder's append (and a gateway
 * without a store to ask). Bounded in two generations of up to half the capacity each: when the
 * young one is full, the old one is dropped whole. (Evicting one id at a time from a single Map
 * cost ~30 µs per id at 200,000: its iterator walks the deleted slots first.)
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

  /**
   * `duplicate` when `json` was accepted under `eventId` lately, `conflict` when other content
   * was, undefined when it is not known. Content is compared as UTF-8 bytes (as the record keeps it).
   */
  knownAs(eventId: string, json: string, key = this.keyOf(eventId)): KnownStatus | undefined {
    const young = this.#young;
    if (young === undefined) return undefined;
    return young.knownAs(eventId, key, json) ?? this.#old?.knownAs(eventId, key, json);
  }

  /** Remembers `json` as accepted under `eventId`; `key` is `keyOf(eventId)` if the caller has it already. */
  remember(eventId: string, json: string, key = this.keyOf(eventId)): void {
    const young = this.#young;
    if (young === undefined) return;
    if (young.set(eventId, key, json)) return;
    // The generation dropped becomes the young one, emptied: its arrays' pages are in memory
    // already, where a new one's would fault in one by one as the first of it is written.
    const next = this.#old?.clear() ?? new IdGeneration(this.#generation);
    this.#old = young;
    this.#young = next;
    next.set(eventId, key, json);
  }

  /**
   * Remembers a batch's events at once, `run` holding their contents (the batch's JSON, written
   * once: batchText.ts): its bytes are copied in one piece and each event is filed with where its
   * content lies in them. A batch is never split across generations: when the young one has no
   * room for all of it, it becomes the old one first (one by one, the batch's first events would
   * have ended in the generation that becomes old). A batch with content kept as a digest, or with
   * more than an empty generation holds, is remembered event by event.
   */
  rememberAll(events: readonly PreparedEvent[], run: ContentRun): void {
    const young = this.#young;
    if (young === undefined) return;
    let units = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as PreparedEvent;
      if (e.json.length > MAX_VERBATIM) return this.#rememberEach(events);
      units += e.event.eventId.length;
    }
    const keyOf = (eventId: string): number => this.keyOf(eventId);
    if (young.setRun(events, keyOf, units, run)) return;
    if (!young.fitsEmpty(events.length, units, run)) return this.#rememberEach(events);
    const next = this.#old?.clear() ?? new IdGeneration(this.#generation);
    this.#old = young;
    this.#young = next;
    next.setRun(events, keyOf, units, run);
  }

  #rememberEach(events: readonly PreparedEvent[]): void {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as PreparedEvent;
      this.remember(e.event.eventId, e.json, e.idKey);
    }
  }

  get size(): number {
    return (this.#young?.size ?? 0) + (this.#old?.size ?? 0);
  }

  /** The seeded hash an id is filed under: a batch's ids are hashed once for `knownAs` and `remember`. */
  keyOf(eventId: string): number {
    return idHash(eventId, this.#seed);
  }
}

/** A probe never walks further; an id that would need more is not remembered (the store still answers for it). */
const MAX_PROBE = 64;
/** UTF-16 units of ids a generation holds per entry on average (client ids are at most 200). */
const ID_UNITS_PER_ENTRY = 48;
/** Bytes of content a generation holds per entry on average: a fix's canonical JSON is ~170–220. */
export const BYTES_PER_ENTRY = 224;
/**
 * Content of up to this many UTF-16 units is kept as its UTF-8 bytes, and compared byte for byte;
 * longer content (a waybill with its goods) is kept as its SHA-256, so that one large event does
 * not take the room of many. Hashing every event instead cost the gateway ~1 µs per fix, a tenth
 * of its work.
 */
export const MAX_VERBATIM = 512;
/** The most bytes content kept verbatim can take (3 per UTF-16 unit in UTF-8). */
export const MAX_VERBATIM_BYTES = 3 * MAX_VERBATIM;
const DIGEST_BYTES = 32;

const digestOf = (json: string): Buffer => hash('sha256', json, 'buffer');

/**
 * One generation of RecentIds, held in typed arrays: the UTF-16 units of the ids in one arena, the
 * content kept for each (its UTF-8, written straight from the string: no Buffer per event) in
 * another, found through an open-addressing index of 32-bit id hashes (linear probing, at most
 * half full). A Map of strings kept two strings per id alive: every
 * accepted id was promoted to the old generation of the heap and marked by every full GC, which
 * with the Map's lookups cost a busy gateway ~1.8 µs per event — a quarter of its time. Nothing is
 * deleted: a generation is dropped whole, and is full when its entries or either arena are.
 */
class IdGeneration {
  /**
   * Per slot, side by side: the hash of its id (never 0, or 0 when empty) at `2 * slot`, its
   * entry at `2 * slot + 1` — filing an id writes the cache line its lookup just read (two
   * arrays cost a cache miss more per accepted event).
   */
  readonly #slots: Int32Array;
  readonly #mask: number;
  /** Per entry: where its id and its content key start in their arenas, and their lengths (a digest's negated). */
  readonly #idStart: Int32Array;
  readonly #idLength: Int32Array;
  readonly #keyStart: Int32Array;
  readonly #keyLength: Int32Array;
  readonly #units: Uint16Array;
  /** The same memory as bytes, for a batch's ids written in one call (little-endian platforms: a unit's bytes in that order). */
  readonly #unitBytes: Buffer;
  readonly #bytes: Buffer;
  #unitsUsed = 0;
  #bytesUsed = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    let slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    this.#mask = slots - 1;
    this.#slots = new Int32Array(2 * slots);
    this.#idStart = new Int32Array(capacity);
    this.#idLength = new Int32Array(capacity);
    this.#keyStart = new Int32Array(capacity);
    this.#keyLength = new Int32Array(capacity);
    // And room for one more of the longest (a 512-unit id, MAX_VERBATIM_BYTES): any entry fits in an empty generation.
    this.#units = new Uint16Array(capacity * ID_UNITS_PER_ENTRY + 512);
    this.#unitBytes = Buffer.from(this.#units.buffer, this.#units.byteOffset, this.#units.byteLength);
    this.#bytes = Buffer.alloc(capacity * BYTES_PER_ENTRY + MAX_VERBATIM_BYTES);
  }

  get size(): number {
    return this.#size;
  }

  /** Forgets every entry (the arenas are overwritten as entries come again). */
  clear(): this {
    this.#slots.fill(0);
    this.#size = 0;
    this.#unitsUsed = 0;
    this.#bytesUsed = 0;
    return this;
  }

  knownAs(id: string, h: number, json: string): KnownStatus | undefined {
    const e = this.#find(id, h);
    if (e < 0) return undefined;
    const length = this.#keyLength[e] as number;
    // A digest stands for content longer than MAX_VERBATIM, kept bytes for content no longer: the other kind differs.
    if (length < 0) return json.length > MAX_VERBATIM && this.#keyIs(e, digestOf(json)) ? 'duplicate' : 'conflict';
    return json.length <= MAX_VERBATIM && this.#keyIs(e, Buffer.from(json, 'utf8')) ? 'duplicate' : 'conflict';
  }

  /** Remembers (or updates) `id`; false when the generation is full. */
  set(id: string, h: number, json: string): boolean {
    // Full is full, even for an id it holds (as a Map-based generation was: the id moves to the next).
    if (this.#size >= this.capacity) return false;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = h & mask, n = 0; n < MAX_PROBE; i = (i + 1) & mask, n++) {
      const at = slots[2 * i] as number;
      if (at === 0) {
        if (this.#unitsUsed + id.length > this.#units.length || !this.#roomFor(json)) return false;
        const kept = this.#appendContent(json);
        this.#newEntry(i, id, h, this.#bytesUsed - Math.abs(kept), kept, this.#appendId(id));
        return true;
      }
      if (at === h) {
        const e = slots[2 * i + 1] as number;
        if (this.#idIs(e, id)) {
          // Other content for a known id (two requests with it were in flight at once): rare.
          // In its place when no longer than what it kept, appended otherwise.
          const key = json.length <= MAX_VERBATIM ? Buffer.from(json, 'utf8') : digestOf(json);
          if (key.length <= Math.abs(this.#keyLength[e] as number)) {
            key.copy(this.#bytes, this.#keyStart[e] as number);
          } else {
            if (this.#bytesUsed + key.length > this.#bytes.length) return false;
            this.#keyStart[e] = this.#bytesUsed;
            this.#bytesUsed += key.copy(this.#bytes, this.#bytesUsed);
          }
          this.#keyLength[e] = json.length <= MAX_VERBATIM ? key.length : -DIGEST_BYTES;
          return true;
        }
      }
    }
    // A run this long is no accident of a half-empty index: leave the id to the store's lookup.
    return true;
  }

  /** Whether `count` more entries, `units` more id units and the run's bytes fit. */
  fits(count: number, units: number, run: ContentRun): boolean {
    const bytes = run.starts[run.starts.length - 1] as number;
    return this.#size + count <= this.capacity && this.#unitsUsed + units <= this.#units.length && this.#bytesUsed + bytes <= this.#bytes.length;
  }

  /** Whether they would fit in an empty generation (every generation has the same room). */
  fitsEmpty(count: number, units: number, run: ContentRun): boolean {
    const bytes = run.starts[run.starts.length - 1] as number;
    return count <= this.capacity && units <= this.#units.length && bytes <= this.#bytes.length;
  }

  /**
   * Files each event (under its `idKey`, or `keyOf` its id) with its content at its place in
   * `run`, whose bytes are copied once, as are the ids' units; false, and nothing changed, when
   * they do not all fit. An id held already is filed with its new content (the run's place), as
   * `set` would; its units, written with the others, are given back (packUnits), so that the
   * arena holds the units of the generation's entries only, as when each id is appended alone.
   */
  setRun(events: readonly PreparedEvent[], keyOf: (eventId: string) => number, units: number, run: ContentRun): boolean {
    if (!this.fits(events.length, units, run)) return false;
    const base = this.#bytesUsed;
    const { starts } = run;
    this.#bytesUsed = base + run.bytes.copy(this.#bytes, base, 0, starts[events.length] as number);
    const firstEntry = this.#size;
    const firstUnit = this.#appendIds(events, units);
    let idStart = firstUnit;
    for (let k = 0; k < events.length; k++) {
      const e = events[k] as PreparedEvent;
      const id = e.event.eventId;
      const start = starts[k] as number;
      this.#file(id, e.idKey ?? keyOf(id), base + start, (starts[k + 1] as number) - start, idStart);
      idStart += id.length;
    }
    if (this.#size - firstEntry !== events.length) this.#packUnits(firstEntry, firstUnit);
    return true;
  }

  /**
   * Moves the units of entries `firstEntry`… (filed by one run, their units in order from
   * `firstUnit`) down over the units of the run's ids that were no new entry (held already, or
   * twice in the run): without this, a stream of batches that repeat ids would fill the arena
   * with units no entry uses, and the generation would end sooner than its entries say.
   */
  #packUnits(firstEntry: number, firstUnit: number): void {
    const units = this.#units;
    let to = firstUnit;
    for (let e = firstEntry; e < this.#size; e++) {
      const from = this.#idStart[e] as number;
      const length = this.#idLength[e] as number;
      if (from !== to) {
        units.copyWithin(to, from, from + length);
        this.#idStart[e] = to;
      }
      to += length;
    }
    this.#unitsUsed = to;
  }

  /**
   * Copies the events' ids, `units` units in all, one after another to the units arena (the
   * caller checked they fit); where they start. Joined and written in one call: unit by unit,
   * a batch's ids cost 56 against 17 ns an id.
   */
  #appendIds(events: readonly PreparedEvent[], units: number): number {
    const start = this.#unitsUsed;
    if (!LITTLE_ENDIAN) {
      for (let k = 0; k < events.length; k++) this.#appendId((events[k] as PreparedEvent).event.eventId);
      return start;
    }
    let ids = '';
    for (let k = 0; k < events.length; k++) ids += (events[k] as PreparedEvent).event.eventId;
    this.#unitBytes.write(ids, 2 * start, 2 * units, 'utf16le');
    this.#unitsUsed = start + units;
    return start;
  }

  /** Files `id` (hash `h`, its units at `idStart`) with the content kept at `keyStart` (the caller checked there is room for a new entry). */
  #file(id: string, h: number, keyStart: number, keyLength: number, idStart: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = h & mask, n = 0; n < MAX_PROBE; i = (i + 1) & mask, n++) {
      const at = slots[2 * i] as number;
      if (at === 0) {
        this.#newEntry(i, id, h, keyStart, keyLength, idStart);
        return;
      }
      if (at === h) {
        const e = slots[2 * i + 1] as number;
        if (this.#idIs(e, id)) {
          this.#keyStart[e] = keyStart;
          this.#keyLength[e] = keyLength;
          return;
        }
      }
    }
    // A run this long is no accident of a half-empty index: leave the id to the store's lookup.
  }

  /** A new entry for `id` in empty slot `i`, its content kept at `keyStart` (its length; a digest's negated). */
  #newEntry(i: number, id: string, h: number, keyStart: number, keyLength: number, idStart: number): void {
    const e = this.#size++;
    this.#idStart[e] = idStart;
    this.#idLength[e] = id.length;
    this.#keyStart[e] = keyStart;
    this.#keyLength[e] = keyLength;
    this.#slots[2 * i] = h;
    this.#slots[2 * i + 1] = e;
  }

  #find(id: string, h: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = h & mask, n = 0; n < MAX_PROBE; i = (i + 1) & mask, n++) {
      const at = slots[2 * i] as number;
      if (at === 0) return -1;
      if (at === h) {
        const e = slots[2 * i + 1] as number;
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

  /** Whether entry `e` keeps exactly `key`. */
  #keyIs(e: number, key: Buffer): boolean {
    const start = this.#keyStart[e] as number;
    const length = Math.abs(this.#keyLength[e] as number);
    return length === key.length && this.#bytes.compare(key, 0, key.length, start, start + length) === 0;
  }

  /** Copies `id` to the units arena (the caller checked it fits); where it starts. */
  #appendId(id: string): number {
    const start = this.#unitsUsed;
    const units = this.#units;
    for (let k = 0; k < id.length; k++) units[start + k] = id.charCodeAt(k);
    this.#unitsUsed = start + id.length;
    return start;
  }

  /** Whether what is kept of `json` fits in the bytes arena (3 bytes a UTF-16 unit at most; measured only near the end). */
  #roomFor(json: string): boolean {
    const left = this.#bytes.length - this.#bytesUsed;
    if (json.length > MAX_VERBATIM) return DIGEST_BYTES <= left;
    return 3 * json.length <= left || Buffer.byteLength(json, 'utf8') <= left;
  }

  /**
   * Appends what is kept of `json` to the bytes arena (the caller checked it fits): its UTF-8,
   * written straight from the string (the length, positive), or over MAX_VERBATIM units its
   * digest (the length, negated).
   */
  #appendContent(json: string): number {
    const used = this.#bytesUsed;
    if (json.length > MAX_VERBATIM) {
      this.#bytesUsed = used + digestOf(json).copy(this.#bytes, used);
      return -DIGEST_BYTES;
    }
    const written = this.#bytes.write(json, used, 'utf8');
    this.#bytesUsed = used + written;
    return written;
  }
}

/** Whether a Uint16Array holds each unit low byte first, as 'utf16le' writes it. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A seeded 32-bit hash of the id's UTF-16 units (murmur3's mixing), never 0. */
export function idHash(id: string, seed: number): number {
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
    const status = recent.knownAs(e.event.eventId, e.json, e.idKey);
    if (status === undefined) ask.push(i);
    else statuses[i] = status;
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

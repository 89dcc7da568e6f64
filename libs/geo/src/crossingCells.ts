/**
 * The crossing cells of one zone kind (see ZoneIndex): cell → entries, one per zone version with
 * parts reaching into the cell, each with the union of those parts' boxes and each part's box. In
 * flat typed arrays rather than maps of objects: a line near a zone walks a few cells, and with the
 * engine's other data in between two lines every pointer followed is a likely cache miss, so all
 * the walk reads of one entry lies in one contiguous record.
 */
export class CrossingCells {
  /** Open addressing, two ints a slot: the cell key and 1 + the offset of the cell's newest entry (0: empty slot). */
  private table = new Int32Array(2 * 1024);
  private shift = 32 - 10;
  private cells = 0;
  /**
   * The entries, one record each: minLon, minLat, maxLon, maxLat of the union of its parts' boxes;
   * the version's number (the caller's); 1 + the offset of the cell's next entry (0: none); the part
   * count; then per part its index among the version's parts and its box (minLon, minLat, maxLon,
   * maxLat). Integers are exact in a double.
   */
  records = new Float64Array(4096);
  private used = 0;

  /** 1 + the offset of the cell's newest entry in `records`, or 0 when no part reaches into the cell. */
  head(key: number): number {
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    for (let slot = Math.imul(key, 0x9e3779b1) >>> this.shift; ; slot = (slot + 1) & mask) {
      const head = table[2 * slot + 1] as number;
      if (head === 0 || table[2 * slot] === key) return head;
    }
  }

  /** Adds an entry for the version's parts `ids` (their boxes in `boxes`, four numbers a part) to the cell. */
  add(key: number, version: number, ids: readonly number[], boxes: Float64Array): void {
    const o = this.used;
    this.used += ENTRY_FIELDS + PART_FIELDS * ids.length;
    if (this.used > this.records.length) {
      const records = new Float64Array(Math.max(2 * this.records.length, this.used));
      records.set(this.records);
      this.records = records;
    }
    const r = this.records;
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (let k = 0; k < ids.length; k++) {
      const p = ids[k] as number;
      const q = o + ENTRY_FIELDS + PART_FIELDS * k;
      r[q] = p;
      for (let j = 0; j < 4; j++) r[q + 1 + j] = boxes[4 * p + j] as number;
      minLon = Math.min(minLon, boxes[4 * p] as number);
      minLat = Math.min(minLat, boxes[4 * p + 1] as number);
      maxLon = Math.max(maxLon, boxes[4 * p + 2] as number);
      maxLat = Math.max(maxLat, boxes[4 * p + 3] as number);
    }
    r[o] = minLon;
    r[o + 1] = minLat;
    r[o + 2] = maxLon;
    r[o + 3] = maxLat;
    r[o + 4] = version;
    r[o + 6] = ids.length;
    this.link(key, o);
  }

  /**
   * Adds an entry without parts, just a box, to the cell: the zone index keeps its prefilter
   * buckets (a version's footprint in each) in a table like this too, for the same reason.
   */
  addBox(key: number, version: number, minLon: number, minLat: number, maxLon: number, maxLat: number): void {
    const o = this.used;
    this.used += ENTRY_FIELDS;
    if (this.used > this.records.length) {
      const records = new Float64Array(Math.max(2 * this.records.length, this.used));
      records.set(this.records);
      this.records = records;
    }
    const r = this.records;
    r[o] = minLon;
    r[o + 1] = minLat;
    r[o + 2] = maxLon;
    r[o + 3] = maxLat;
    r[o + 4] = version;
    r[o + 6] = 0;
    this.link(key, o);
  }

  /** Makes the record at `o` the cell's newest entry. */
  private link(key: number, o: number): void {
    const r = this.records;
    const slot = this.slotOf(key);
    const table = this.table;
    if (table[2 * slot + 1] === 0) {
      table[2 * slot] = key;
      this.cells++;
    }
    r[o + 5] = table[2 * slot + 1] as number;
    table[2 * slot + 1] = o + 1;
    // Kept at most half full, so that a lookup takes a probe or two.
    if (2 * this.cells > table.length >>> 1) this.rehash();
  }

  /** The cell's slot: where its key is, or the empty slot it would go to. */
  private slotOf(key: number): number {
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (table[2 * slot + 1] !== 0 && table[2 * slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(2 * old.length);
    this.shift--;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === 0) continue;
      const slot = this.slotOf(old[s] as number);
      this.table[2 * slot] = old[s] as number;
      this.table[2 * slot + 1] = old[s + 1] as number;
    }
  }
}

/** Numbers of an entry's record before its parts, and per part. */
export const ENTRY_FIELDS = 7;
export const PART_FIELDS = 5;

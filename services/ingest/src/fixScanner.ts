import { clientEventIdPattern, occurredAtPasses, vehiclePositionReportedData } from '@dgt/events';
import { BatchText, type StagingBuffers } from './batchText.ts';
import type { IngestibleEvent } from './eventRouting.ts';
import { plainFixScanWasm } from './plainFixScanWasm.ts';

/**
 * A JSON body of plain fixes, read by the WebAssembly scanner: per item its event (the values
 * JSON.parse gives, in an object of the same keys) and its canonical JSON, written while scanning.
 * Every item passed every check before the time checks (what `plainFixJson` vouches for).
 */
export class ScannedFixes {
  constructor(
    readonly events: IngestibleEvent[],
    /** The batch's canonical JSON: `text.texts[i]` is event i's. */
    readonly text: BatchText,
  ) {}
}

/** The rule the scanner keeps for eventIds (wasm/plainFixScan.as.ts): the lane is off if the schema's differs. */
const scannerIdPattern = '^[A-Za-z0-9._:@~+=#-]{1,200}$';
const scannerDataKeys = 'vehicleId,lon,lat,speedKmh,headingDeg';

/** What the gateway uses of the WebAssembly API (the project's TypeScript libraries declare none of it). */
interface WebAssemblyRuntime {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyRuntime }).WebAssembly;
const module = new wasm.Module(Buffer.from(plainFixScanWasm, 'base64'));

interface ScannerExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  setBounds(lon0: number, lon1: number, lat0: number, lat1: number, speed0: number, speed1: number, heading0: number, heading1: number, vehicle0: number, vehicle1: number): void;
  heapStart(): number;
  outputLength(): number;
  scan(input: number, length: number, output: number, table: number, capacity: number): number;
}

/** Bytes per item in the scanner's table (its ROW), and fewer bytes than any item it takes has (~110 at least): a bound on the items. */
const ROW = 64;
const FEWEST_ITEM_BYTES = 64;
const PAGE = 65536;

/** The schema's bounds the scanner keeps, read from zod; undefined when the schema is not the shape the scanner knows. */
function schemaBounds(): number[] | undefined {
  const shape = vehiclePositionReportedData.shape;
  if (Object.keys(shape).join(',') !== scannerDataKeys || clientEventIdPattern.source !== scannerIdPattern || clientEventIdPattern.flags !== '') return undefined;
  const bounds = [shape.lon.minValue, shape.lon.maxValue, shape.lat.minValue, shape.lat.maxValue, shape.speedKmh.minValue, shape.speedKmh.maxValue];
  const heading = shape.headingDeg.unwrap();
  bounds.push(heading.minValue, heading.maxValue, shape.vehicleId.minLength, shape.vehicleId.maxLength);
  return bounds.every((b) => typeof b === 'number' && Number.isFinite(b)) ? (bounds as number[]) : undefined;
}

/**
 * Reads JSON bodies of plain fixes without JSON.parse: the scanner (WebAssembly, compiled from
 * wasm/plainFixScan.as.ts) checks the bytes and writes each fix's canonical JSON in one pass, where
 * JSON.parse, the lane (plainFixJson), and the batch's join took ~1.5 µs a fix. It takes only what
 * JSON.parse and the lane take with the same events and texts — proven by a property test
 * (test/fixScanner.unit.test.ts) — and answers undefined for any other body, which then takes
 * JSON.parse and the checks as before. One per gateway: its memory is reused batch after batch.
 */
export class FixScanner {
  readonly #exports: ScannerExports;
  readonly #staging: StagingBuffers;
  readonly #on: boolean;
  readonly #start: number;
  #bytes: Buffer;
  #memory: ArrayBuffer;

  readonly #onFault: (error: unknown) => void;

  /** @param onFault Told of a fault of the scanner itself (a bug: the body is then parsed by JSON.parse). */
  constructor(staging: StagingBuffers, onFault: (error: unknown) => void = () => undefined) {
    this.#staging = staging;
    this.#onFault = onFault;
    this.#exports = new wasm.Instance(module, {}).exports as unknown as ScannerExports;
    const bounds = schemaBounds();
    this.#on = bounds !== undefined;
    if (bounds !== undefined) this.#exports.setBounds(...(bounds as Parameters<ScannerExports['setBounds']>));
    this.#start = this.#exports.heapStart();
    this.#memory = this.#exports.memory.buffer;
    this.#bytes = Buffer.from(this.#memory);
  }

  /** Whether the scanner reads bodies at all (off when the schema changed shape, until the scanner learns it). */
  get on(): boolean {
    return this.#on;
  }

  /** The body's fixes, or undefined: JSON.parse and the checks decide. */
  scan(body: Buffer): ScannedFixes | undefined {
    if (!this.#on) return undefined;
    const length = body.length;
    // Input, a zero after it, output (never longer than the input), a row per possible item.
    const input = this.#start;
    const output = align(input + length + 1);
    const table = align(output + length);
    const capacity = Math.floor(length / FEWEST_ITEM_BYTES) + 1;
    try {
      this.#reserve(table + capacity * ROW);
    } catch (error) {
      // Memory the runtime will not give (past WebAssembly's 4 GiB): JSON.parse reads the body.
      this.#onFault(error);
      return undefined;
    }
    const bytes = this.#bytes;
    body.copy(bytes, input);
    bytes[input + length] = 0;
    let n: number;
    try {
      n = this.#exports.scan(input, length, output, table, capacity);
    } catch (error) {
      // A trap is a bug of the scanner, never the body's fault: JSON.parse reads the body instead.
      this.#onFault(error);
      return undefined;
    }
    if (n <= 0) return undefined;
    const outLength = this.#exports.outputLength();
    // All ASCII: one flat string, and each text, id and time a slice of it.
    const all = bytes.toString('latin1', output, output + outLength);
    const rows = new Int32Array(this.#memory, table, n * (ROW / 4));
    const numbers = new Float64Array(this.#memory, table, n * (ROW / 8));
    const events = new Array<IngestibleEvent>(n);
    const texts = new Array<string>(n);
    const starts = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const r = i * (ROW / 4);
      const f = i * (ROW / 8);
      const at = rows[r] as number;
      const idAt = rows[r + 1] as number;
      const timeAt = rows[r + 3] as number;
      const vehicleAt = rows[r + 5] as number;
      const occurredAt = all.slice(timeAt, timeAt + (rows[r + 4] as number));
      if (!occurredAtPasses(occurredAt)) return undefined;
      const eventId = all.slice(idAt, idAt + (rows[r + 2] as number));
      const vehicleId = all.slice(vehicleAt, vehicleAt + (rows[r + 6] as number));
      const lon = numbers[f + 4] as number;
      const lat = numbers[f + 5] as number;
      const speedKmh = numbers[f + 6] as number;
      // Only the keys the item had: JSON.parse's object has no headingDeg key when the fix has none.
      const data = rows[r + 7] === 1 ? { vehicleId, lon, lat, speedKmh, headingDeg: numbers[f + 7] as number } : { vehicleId, lon, lat, speedKmh };
      events[i] = { eventId, type: 'VehiclePositionReported', occurredAt, data } as IngestibleEvent;
      starts[i] = at;
      texts[i] = all.slice(at, i + 1 < n ? (rows[r + ROW / 4] as number) : outLength);
    }
    starts[n] = outLength;
    // The bytes outlive this call (remembered after the broker acks): copied out of the scanner's memory.
    const batchBytes = this.#staging.take(outLength);
    bytes.copy(batchBytes, 0, output, output + outLength);
    return new ScannedFixes(events, BatchText.written(texts, batchBytes, starts, this.#staging));
  }

  #reserve(size: number): void {
    const memory = this.#exports.memory;
    if (memory.buffer.byteLength < size) memory.grow(Math.ceil((size - memory.buffer.byteLength) / PAGE));
    if (this.#memory !== memory.buffer) {
      this.#memory = memory.buffer;
      this.#bytes = Buffer.from(this.#memory);
    }
  }
}

const align = (at: number): number => (at + 15) & ~15;

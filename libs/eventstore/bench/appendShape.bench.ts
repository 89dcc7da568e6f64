/**
 * What an append costs by its shape: fixes of many vehicles per transaction, as the recorder appends
 * them, against one vehicle's fixes per transaction (the same count), same run, same options as
 * `npm start` (append and checkpoint workers). Per event: bytes the process wrote (`wchar` of
 * /proc/self/io: WAL frames and the checkpoints' copies) and CPU of all its threads. The
 * `events_by_stream` index gets one entry per event at the end of its vehicle's range, so a
 * transaction dirties about one index page per vehicle in it, and the WAL takes a copy of every
 * dirtied page at each commit: the cost per event falls as transactions fill up (see the README).
 * Linux only (/proc).   Run: npm run bench -w @dgt/eventstore   (SHAPE_EVENTS=… to vary)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamBatch } from '../src/port.ts';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';

/** Events appended per shape, after a warm-up of a third of that (the index must hold something). */
const EVENTS = Number(process.env.SHAPE_EVENTS ?? 300_000);
const VEHICLES = 2_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');

function bytesWritten(): number {
  const io = readFileSync('/proc/self/io', 'utf8');
  return Number(/wchar: (\d+)/.exec(io)?.[1] ?? Number.NaN);
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

interface Shape {
  readonly name: string;
  /** Events per append (one transaction). */
  readonly size: number;
  /** Vehicles the events of one append are spread over. */
  readonly vehicles: number;
}

/** Appends `count` fixes in appends of `shape.size`, each spread over `shape.vehicles` vehicles (in turn across appends). */
async function run(shape: Shape, count: number, seq: { n: number }): Promise<{ rate: number; bytes: number; cpuUs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-append-shape-'));
  const store = openSqliteEventStore({ path: join(dir, 'events.sqlite'), append: 'worker', checkpoint: 'worker' });
  try {
    const append = async (events: number): Promise<void> => {
      for (let done = 0; done < events; done += shape.size) {
        const streams = new Map<string, StreamBatch>();
        for (let i = 0; i < shape.size; i++) {
          const n = seq.n++;
          // Appends take the fleet's vehicles in turn: `vehicles` of them per append.
          const vehicle = `浙J${10_000 + ((Math.floor(n / shape.size) * shape.vehicles + (i % shape.vehicles)) % VEHICLES)}`;
          const streamId = `vehicle-${vehicle}`;
          let batch = streams.get(streamId);
          if (batch === undefined) streams.set(streamId, (batch = { streamId, events: [], expectedRevision: 'any' }));
          (batch.events as unknown[]).push({
            eventId: `bench-${n}`,
            type: 'VehiclePositionReported',
            occurredAt: new Date(T0 + n * 1000).toISOString(),
            data: { vehicleId: vehicle, lon: 121.3 + (n % 97) * 0.001, lat: 28.5 + (n % 89) * 0.001, speedKmh: n % 90 },
          });
        }
        await store.appendMany([...streams.values()]);
      }
    };
    await append(Math.floor(count / 3));
    const bytes0 = bytesWritten();
    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    await append(count);
    const seconds = (performance.now() - t0) / 1000;
    const cpuUs = ((cpuSeconds() - cpu0) / count) * 1e6;
    const bytes = (bytesWritten() - bytes0) / count;
    return { rate: count / seconds, bytes, cpuUs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const shapes: Shape[] = [
  { name: 'appends of 2,000 fixes of one vehicle (reference)', size: 2_000, vehicles: 1 },
  { name: 'appends of 500 fixes over 500 vehicles', size: 500, vehicles: 500 },
  { name: 'appends of 2,000 fixes over 2,000 vehicles', size: 2_000, vehicles: 2_000 },
  { name: 'appends of 8,000 fixes over 2,000 vehicles', size: 8_000, vehicles: 2_000 },
];

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(`append shape bench: ${fmt(EVENTS)} fixes per shape (after ${fmt(EVENTS / 3)} not counted), a fleet of ${fmt(VEHICLES)} vehicles, SQLite with append and checkpoint workers; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const seq = { n: 0 };
const results = [];
for (const shape of shapes) {
  const r = await run(shape, EVENTS, seq);
  results.push(r);
  console.log(`  ${shape.name.padEnd(52)} ${fmt(r.rate).padStart(8)} events/s  ${fmt(r.bytes).padStart(6)} bytes written per event  ${fmt(r.cpuUs, 1).padStart(5)} µs CPU per event (all threads)`);
}
const reference = results[0];
if (reference !== undefined) {
  console.log('  against the reference (same run):');
  for (const [k, shape] of shapes.entries()) {
    const r = results[k];
    if (k === 0 || r === undefined) continue;
    console.log(`    ${shape.name.padEnd(50)} rate ${(r.rate / reference.rate).toFixed(2)}×, bytes written ${(r.bytes / reference.bytes).toFixed(1)}×, CPU ${(r.cpuUs / reference.cpuUs).toFixed(2)}×`);
  }
}

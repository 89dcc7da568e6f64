import { clientEventIdPattern, parseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import type { SimMessage } from '../src/messages.ts';
import { simulate } from '../src/simulate.ts';
import { HttpIngestSink } from '../src/sinks/httpIngestSink.ts';
import { pump } from '../src/sinks/run.ts';

const T0 = Date.parse('2026-03-02T08:00:00+08:00');
const fix = (offsetS: number): SimMessage => ({
  kind: 'event',
  arrivalMs: T0 + offsetS * 1000,
  event: parseEvent({ eventId: `p${offsetS}`, type: 'VehiclePositionReported', occurredAt: new Date(T0 + offsetS * 1000).toISOString(), data: { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 40 } }),
});
const nullSink = () => {
  const sentAt: number[] = [];
  return { sentAt, sink: { write: async () => {}, flush: async () => {}, close: async () => {}, stats: () => ({ sent: 0, accepted: 0, rejected: 0, skipped: 0 }) } };
};

describe('pacing against the wall clock', () => {
  it('goes at speed while behind the wall clock, then never sends a message before its arrival time', async () => {
    // The wall clock stands 2 min after T0; the run starts at T0 at 30×.
    let wall = T0 + 120_000;
    const sent: number[] = [];
    const { sink } = nullSink();
    const spy = { ...sink, write: async (m: SimMessage) => void sent.push(wall - m.arrivalMs) };
    const waits: number[] = [];
    await pump([fix(0), fix(60), fix(120), fix(180), fix(240)], spy, {
      speed: 30,
      simStartMs: T0,
      wallClock: () => wall,
      sleep: async (ms) => {
        waits.push(Math.round(ms));
        wall += ms;
      },
    });
    // Behind: the accelerated pace decides (2 s per simulated minute from the start; the pump's own
    // monotonic clock does not move with this fake sleep). Caught up at T0 + 2 min: real time decides.
    expect(waits.map((w) => Math.round(w / 1000))).toEqual([2, 4, 54, 60]);
    // Never sent before its time on the wall clock.
    expect(sent.every((lag) => lag >= 0)).toBe(true);
  });

  it('holds messages back even at max speed when they are dated ahead of the wall clock', async () => {
    let wall = T0;
    const waits: number[] = [];
    const { sink } = nullSink();
    await pump([fix(0), fix(30)], sink, { speed: 'max', simStartMs: T0, wallClock: () => wall, sleep: async (ms) => {
        waits.push(ms);
        wall += ms;
      },
    });
    expect(waits).toEqual([30_000]);
  });
});

describe('simulated events at a gateway', () => {
  it('carries only ids a gateway accepts: none in the derived namespace ("/") — clock ticks aside, which no sink posts', async () => {
    const sim = simulate({ vehicles: 3, days: 1, seed: 'ids' });
    const messages = [...sim.messages];
    const isTick = (m: SimMessage) => m.kind === 'event' && m.event.type === 'ClockTicked';
    const bad = messages.flatMap((m) => (m.kind === 'event' && !isTick(m) && !clientEventIdPattern.test(m.event.eventId) ? [m.event.eventId] : []));
    expect(bad).toEqual([]);
    // One tick per whole minute of the day (and midnight at its end), recorder ids.
    expect(messages.filter(isTick)).toHaveLength(1441);
    const posted: string[] = [];
    const capture = (async (_url: string, init: { body: string }) => {
      posted.push(...init.body.split('\n').filter((l) => l !== ''));
      return new Response(JSON.stringify({ accepted: 1, rejected: 0 }), { status: 202 });
    }) as unknown as typeof fetch;
    const sink = new HttpIngestSink({ url: 'http://h', apiKey: 'k', fetch: capture });
    for (const m of messages.slice(0, 5_000)) await sink.write(m);
    await sink.close();
    expect(posted.some((l) => l.includes('"ClockTicked"'))).toBe(false);
    expect(sink.stats().skipped).toBe(messages.slice(0, 5_000).filter(isTick).length);
  });

  it('waits out a 429 for its Retry-After without giving up, and counts duplicates as accepted and conflicts as rejected', async () => {
    const slept: number[] = [];
    let n = 0;
    const limited = (async () =>
      ++n <= 7
        ? new Response('{"error":{}}', { status: 429, headers: { 'retry-after': '2' } })
        : new Response(JSON.stringify({ accepted: 1, rejected: 0, duplicates: 1, conflicts: 1, results: [] }), { status: 202 })) as unknown as typeof fetch;
    const sink = new HttpIngestSink({ url: 'http://h', apiKey: 'k', fetch: limited, sleep: async (ms) => void slept.push(ms), retries: 2 });
    for (const m of [fix(0), fix(1), fix(2)]) await sink.write(m);
    await sink.flush();
    expect(slept).toEqual(Array.from({ length: 7 }, () => 2000));
    expect(sink.stats()).toMatchObject({ sent: 3, accepted: 2, rejected: 1 });
  });
});

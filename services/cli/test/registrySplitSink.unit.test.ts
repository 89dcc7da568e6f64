import type { DgtEvent } from '@dgt/events';
import type { MessageSink, SimMessage, SinkStats } from '@dgt/simulator';
import { describe, expect, it } from 'vitest';
import { RegistrySplitSink } from '../src/registrySplitSink.ts';

/** Records what it was given and when it was flushed, in one shared log. */
function recordingSink(name: string, log: string[]): MessageSink {
  let buffered: string[] = [];
  const stats: SinkStats = { sent: 0, accepted: 0, rejected: 0, skipped: 0 };
  const flush = async (): Promise<void> => {
    if (buffered.length > 0) log.push(`${name}: ${buffered.join(' ')}`);
    stats.sent += buffered.length;
    stats.accepted += buffered.length;
    buffered = [];
  };
  return { write: async (m) => void buffered.push(m.kind === 'event' ? m.event.eventId : 'malformed'), flush, close: flush, stats: () => ({ ...stats }) };
}

const event = (eventId: string, type: string): SimMessage => ({ kind: 'event', event: { eventId, type, occurredAt: '2026-01-01T00:00:00+08:00', data: {} } as unknown as DgtEvent, arrivalMs: 0 });

describe('dgt simulate --ingest --registry-key', () => {
  it('posts the register with the registry key, before the first message that is not part of it', async () => {
    const log: string[] = [];
    const sink = new RegistrySplitSink(recordingSink('ingest', log), recordingSink('registry', log));
    for (const m of [event('zone-1', 'ZoneDesignated'), event('carrier-C1', 'CarrierRegistered'), event('vehicle-V1', 'VehicleRegistered'), event('fix-1', 'VehiclePositionReported')]) await sink.write(m);
    expect(log).toEqual(['registry: carrier-C1 vehicle-V1']);
    await sink.close();
    expect(log).toEqual(['registry: carrier-C1 vehicle-V1', 'ingest: zone-1 fix-1']);
    expect(sink.stats()).toEqual({ sent: 4, accepted: 4, rejected: 0, skipped: 0 });
  });
});

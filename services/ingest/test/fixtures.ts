import { randomUUID } from 'node:crypto';
import { readBusConfig, type Bus, type ReceivedMessage } from '@dgt/bus';
import { generateApiKey, hashApiKey } from '@dgt/http';
import { readIngestConfig, type IngestConfig } from '../src/index.ts';

export const keys = { ingest: generateApiKey(), bureau: generateApiKey(), metrics: generateApiKey() };

/**
 * The gateway's receipt clock in these tests: the fixtures below are dated 2026-03-01/02, so a
 * gateway on the wall clock would refuse them as older than its back-fill window.
 */
export const receivedAt = new Date('2026-03-02T12:00:00Z');
export const fixtureClock = (): Date => receivedAt;

/** The documented defaults of every limit (time, timeouts, bodies in flight, rate), from the config reader itself. */
const defaults = readIngestConfig({ DGT_API_KEYS: JSON.stringify([{ id: 'x', role: 'ingest', sha256: hashApiKey('x') }]) });

export function testConfig(overrides: Partial<IngestConfig> = {}): IngestConfig {
  return {
    ...defaults,
    port: 0,
    host: '127.0.0.1',
    apiKeys: [
      { id: 'gateway', role: 'ingest', sha256: hashApiKey(keys.ingest) },
      { id: 'bureau', role: 'bureau', sha256: hashApiKey(keys.bureau) },
      { id: 'prometheus', role: 'metrics', sha256: hashApiKey(keys.metrics) },
    ],
    bus: readBusConfig({}),
    maxBatch: 5000,
    bodyLimitBytes: 16 * 1024 * 1024,
    publishTimeoutMs: 2000,
    readyTimeoutMs: 500,
    logLevel: 'silent',
    ...overrides,
  };
}

export const asIngest = { 'x-api-key': keys.ingest };

export function position(vehicleId: string, seq: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: `pos-${vehicleId}-${seq}-${randomUUID().slice(0, 8)}`,
    type: 'VehiclePositionReported',
    occurredAt: new Date(Date.UTC(2026, 2, 2, 0, 0, seq)).toISOString(),
    data: { vehicleId, lon: 121.42, lat: 28.65, speedKmh: 40 + (seq % 100) },
    ...extra,
  };
}

export function declared(waybillNo: string): Record<string, unknown> {
  return {
    eventId: `decl-${waybillNo}-${randomUUID().slice(0, 8)}`,
    type: 'ConsignmentDeclared',
    occurredAt: '2026-03-02T08:00:00+08:00',
    data: {
      waybillNo,
      consignorId: 'C1',
      goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 1000 }],
      origin: { name: 'Jiaojiang chemical park', lon: 121.45, lat: 28.68 },
      destination: { name: 'Linhai depot', lon: 121.14, lat: 28.86 },
    },
  };
}

export function closed(waybillNo: string): Record<string, unknown> {
  return { eventId: `closed-${waybillNo}-${randomUUID().slice(0, 8)}`, type: 'ConsignmentClosed', occurredAt: '2026-03-02T18:00:00+08:00', data: { waybillNo } };
}

export function zoneWithdrawn(zoneId: string): Record<string, unknown> {
  return { eventId: `zw-${zoneId}`, type: 'ZoneWithdrawn', occurredAt: '2026-03-01T00:00:00Z', data: { zoneId } };
}

/** Everything currently on the topics, read by a fresh consumer group until it has been idle a moment. */
export async function readAll(bus: Bus, topics: readonly string[], idleMs = 150): Promise<ReceivedMessage[]> {
  const messages: ReceivedMessage[] = [];
  let last = Date.now();
  const consumer = bus.consumer({ groupId: `test-${randomUUID()}` });
  await consumer.run({
    topics,
    eachBatch: async (batch) => {
      messages.push(...batch.messages);
      last = Date.now();
    },
  });
  while (Date.now() - last < idleMs) await new Promise((r) => setTimeout(r, 20));
  await consumer.stop();
  return messages;
}

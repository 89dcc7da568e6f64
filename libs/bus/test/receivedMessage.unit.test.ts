import { describe, expect, it } from 'vitest';
import { toReceivedMessage } from '../src/kafka/receivedMessage.ts';

describe('a Kafka message as the bus hands it on', () => {
  it('keeps key, value, offset and timestamp, and each header as bytes, the last of a repeated name winning', () => {
    const value = Buffer.from('{"eventId":"p-1"}');
    const m = toReceivedMessage('dg.positions', 3, {
      key: Buffer.from('V0001'),
      value,
      offset: '42',
      timestamp: '1772409600000',
      attributes: 0,
      headers: { 'dgt-event-id': Buffer.from('p-1'), 'dgt-event-type': 'VehiclePositionReported', repeated: [Buffer.from('first'), Buffer.from('last')], absent: undefined },
    });
    expect(m).toMatchObject({ topic: 'dg.positions', partition: 3, offset: '42', key: 'V0001', timestamp: 1_772_409_600_000 });
    expect(m.value.toString()).toBe('{"eventId":"p-1"}');
    expect(Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, [Buffer.isBuffer(v), v.toString('utf8')]]))).toEqual({
      'dgt-event-id': [true, 'p-1'],
      'dgt-event-type': [true, 'VehiclePositionReported'],
      repeated: [true, 'last'],
    });
  });

  it('gives an empty key and value for a message without them (a tombstone)', () => {
    const m = toReceivedMessage('dg.zones', 0, { key: null, value: null, offset: '0', timestamp: '0', attributes: 0, headers: {} });
    expect([m.key, m.value.length, m.headers]).toEqual(['', 0, {}]);
  });
});

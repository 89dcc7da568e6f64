import fc from 'fast-check';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { rememberingKeyPartitioner } from '../src/kafka/keyPartitioner.ts';

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

describe('the Kafka producer partitioner', () => {
  it("sends every keyed message to the partition kafkajs's DefaultPartitioner picks, keys seen before included", () => {
    const ours = rememberingKeyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(
        // A small pool of keys next to arbitrary ones: most keys come back (vehicles report again), so the remembered hashes are exercised.
        fc.array(fc.record({ key: fc.oneof(fc.constantFrom('V0001', '浙J12345', 'consignment-W1', 'carrier:C9', ''), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), partitions: fc.integer({ min: 1, max: 64 }) }), { minLength: 1, maxLength: 50 }),
        (messages) => {
          for (const { key, partitions } of messages) {
            const args = { topic: 'dg.positions', partitionMetadata: metadata(partitions), message: { key, value: 'x' } };
            expect(ours(args)).toBe(theirs(args));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps a partition the message names, and spreads keyless messages over the partitions', () => {
    const ours = rememberingKeyPartitioner();
    expect(ours({ topic: 't', partitionMetadata: metadata(6), message: { key: 'V0001', value: 'x', partition: 4 } })).toBe(4);
    const seen = new Set<number>();
    for (let i = 0; i < 60; i++) seen.add(ours({ topic: 't', partitionMetadata: metadata(6), message: { value: 'x' } }));
    expect([...seen].every((p) => p >= 0 && p < 6)).toBe(true);
    expect(seen.size).toBe(6);
  });
});

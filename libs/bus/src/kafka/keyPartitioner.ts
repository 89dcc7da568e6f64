import { Partitioners, type ICustomPartitioner } from 'kafkajs';
import { murmur2 } from '../partitioner.ts';

/** Keys whose hash is remembered; past this the memory starts over (a national fleet is ~350k vehicles). */
const MAX_REMEMBERED_KEYS = 500_000;

/**
 * kafkajs's DefaultPartitioner — the Java client's: positive murmur2 of the UTF-8 key modulo the
 * partition count — with each key's hash computed by `murmur2` of this package and remembered.
 * kafkajs computes murmur2 through its 64-bit Long emulation for every message: ~10 % of the
 * gateway's CPU under load, for keys (vehicle ids, waybill numbers) that come back every few
 * seconds. A message with a partition, or without a key, goes to kafkajs's own partitioner.
 * Proven equal to it by a property test (test/keyPartitioner.unit.test.ts).
 */
export const rememberingKeyPartitioner: ICustomPartitioner = () => {
  const kafkajs = Partitioners.DefaultPartitioner();
  const hashes = new Map<string, number>();
  return (args) => {
    const { message, partitionMetadata } = args;
    const key = message.key;
    if ((message.partition !== null && message.partition !== undefined) || typeof key !== 'string') return kafkajs(args);
    let hash = hashes.get(key);
    if (hash === undefined) {
      if (hashes.size >= MAX_REMEMBERED_KEYS) hashes.clear();
      hash = murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff;
      hashes.set(key, hash);
    }
    return hash % partitionMetadata.length;
  };
};

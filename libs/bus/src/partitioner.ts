/**
 * Kafka's default partitioner for keyed messages (Java client and kafkajs DefaultPartitioner):
 * positive murmur2 of the UTF-8 key modulo the partition count. The in-process bus uses it too,
 * so a key lands on the same partition number in both adapters.
 */
export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), 32-bit signed result. */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const words = length >>> 2;
  for (let i = 0; i < words; i++) {
    const j = i * 4;
    let k =
      (data[j] ?? 0) |
      ((data[j + 1] ?? 0) << 8) |
      ((data[j + 2] ?? 0) << 16) |
      ((data[j + 3] ?? 0) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= (data[tail + 2] ?? 0) << 16;
  if (rest >= 2) h ^= (data[tail + 1] ?? 0) << 8;
  if (rest >= 1) h = Math.imul(h ^ (data[tail] ?? 0), m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

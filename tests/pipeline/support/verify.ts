import type { StoreSnapshot } from './storeReader.ts';

/**
 * Streams whose recorded ids differ from the expected ones (missing, duplicated or out of
 * order), summarised so a failure names the stream instead of printing 10,000 ids.
 */
export function streamMismatches(snapshot: StoreSnapshot, expected: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const [stream, ids] of expected) {
    const got = snapshot.streams.get(stream) ?? [];
    if (got.length === ids.length && got.every((id, i) => id === ids[i])) continue;
    const firstDiff = ids.findIndex((id, i) => got[i] !== id);
    problems.push(`${stream}: ${got.length} recorded, ${ids.length} expected, first difference at ${firstDiff} (${got[firstDiff] ?? 'nothing'} vs ${ids[firstDiff] ?? 'nothing'})`);
  }
  return problems;
}

/** Every recorded event id occurs once in the whole store. */
export function duplicateIds(snapshot: StoreSnapshot): string[] {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const ids of snapshot.streams.values()) {
    for (const id of ids) {
      if (seen.has(id)) dupes.push(id);
      seen.add(id);
    }
  }
  return dupes;
}

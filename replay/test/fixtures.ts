import { readFileSync } from 'node:fs';
import { type DgtEvent, parseNdjsonLine } from '@dgt/events';
import { type EventStore, openMemoryEventStore, streamFor } from '@dgt/eventstore';

export function scenario(name: string): DgtEvent[] {
  const text = readFileSync(new URL(`../../tests/scenarios/${name}/input.ndjson`, import.meta.url), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const r = parseNdjsonLine(l);
    if (!r.ok) throw r.error;
    return r.event;
  });
}

export async function storeWith(events: readonly DgtEvent[]): Promise<EventStore> {
  const store = openMemoryEventStore();
  for (const e of events) await store.append(streamFor(e), [e]);
  return store;
}

export async function* linesOf(text: string): AsyncIterable<string> {
  for (const line of text.split('\n')) yield line;
}

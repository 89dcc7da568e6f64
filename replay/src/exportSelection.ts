import type { EvidenceDigest } from '@dgt/events';
import { decodeEnvelope } from './decode.ts';
import { EvidenceDigester } from './digest.ts';
import { exportHeaderLine, exportTrailerLine } from './exportFormat.ts';
import { emptyRegistry } from './registryFacts.ts';
import type { Selection } from './selection.ts';
import type { ReplaySource } from './source.ts';

export interface ExportSummary {
  digest: EvidenceDigest;
  invalid: number;
}

/**
 * Writes the events a replay of `selection` would feed, as an export (see exportFormat.ts), through
 * `write` (one call per line, without the newline). Invalid events are exported too: the replay of
 * the export must see, and report, exactly what the replay of the store saw.
 */
export async function exportSelection(selection: Selection, source: ReplaySource, write: (line: string) => Promise<void>, onProgress?: (events: number) => void): Promise<ExportSummary> {
  const feed = await source.prepare(selection);
  await write(exportHeaderLine(feed.selection, feed.resolved, (await feed.registry()) ?? emptyRegistry));
  const digester = new EvidenceDigester();
  let invalid = 0;
  for await (const item of feed.items()) {
    const decoded = decodeEnvelope(item.event as Record<string, unknown>, item.json);
    if (decoded.event === null) invalid++;
    digester.add(decoded.line, item.position);
    await write(decoded.line);
    if ((digester.events & 0x3fff) === 0) onProgress?.(digester.events);
  }
  const digest = digester.finish();
  await write(exportTrailerLine(digest));
  return { digest, invalid };
}

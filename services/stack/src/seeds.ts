import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadModelStore } from '@dgt/readmodels';
import { postNdjson } from './postEvents.ts';
import { StackError } from './stackError.ts';

/** seeds/taizhou at the repository root: zones and the register of carriers and vehicles. */
export const defaultSeedsDir = fileURLToPath(new URL('../../../seeds/taizhou', import.meta.url));

export interface SeedsLoaded {
  readonly files: readonly string[];
  readonly events: number;
  readonly accepted: number;
  /** Zones designated and carriers registered by the seeds. */
  readonly zones: number;
  readonly carriers: number;
}

/**
 * Posts every `*.ndjson` of the seeds directory through the ingest API, with a `registry` key:
 * the seeds are the register of carriers and vehicles, which no ingest key may write, and the
 * zones, which a registry key may post too. Seed events have fixed ids, so posting them again on
 * every start is harmless: the store keeps each event once. The register goes before the zones
 * only by file name; neither depends on the other.
 */
export async function loadSeeds(ingestUrl: string, registryKey: string, seedsDir: string = defaultSeedsDir): Promise<SeedsLoaded> {
  let names: string[];
  try {
    names = readdirSync(seedsDir).filter((n) => n.endsWith('.ndjson')).sort();
  } catch (error) {
    throw new StackError('SEEDS_FAILED', `cannot read the seeds at ${seedsDir}: ${(error as Error).message}`, { cause: error });
  }
  if (names.length === 0) throw new StackError('SEEDS_FAILED', `no *.ndjson seed files in ${seedsDir}`);
  let events = 0;
  let accepted = 0;
  let zones = 0;
  let carriers = 0;
  for (const name of names) {
    const lines = readFileSync(join(seedsDir, name), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const result = await postNdjson(ingestUrl, registryKey, lines);
    if (result.rejected > 0) {
      throw new StackError('SEEDS_FAILED', `${result.rejected} of ${lines.length} seed events in ${join(seedsDir, name)} were refused by the gateway:\n  ${result.refusals.join('\n  ')}`);
    }
    events += lines.length;
    zones += lines.filter((l) => l.includes('"type":"ZoneDesignated"')).length;
    carriers += lines.filter((l) => l.includes('"type":"CarrierRegistered"')).length;
    accepted += result.accepted;
  }
  return { files: names, events, accepted, zones, carriers };
}

/**
 * Waits until the projector has the seeded zones and carriers. Zones travel on their own topic:
 * a simulated fix recorded before its zone would pass through a segment nobody has designated yet.
 */
export async function waitForSeedsProjected(readModels: ReadModelStore, seeds: SeedsLoaded, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const sizes = await readModels.sizes();
    if (sizes.zones >= seeds.zones && sizes.carriers >= seeds.carriers) return;
    if (performance.now() > deadline) {
      throw new StackError('SEEDS_FAILED', `the seeds were accepted but not projected within ${timeoutMs / 1000} s (${sizes.zones}/${seeds.zones} zones, ${sizes.carriers}/${seeds.carriers} carriers)`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

import { ReadModelError } from './errors.ts';
import { createMemoryReadModelStore } from './memory/memoryReadModelStore.ts';
import type { CaseReadModel } from './cases/casePort.ts';
import type { ReadModelStore } from './port.ts';
import { DEFAULT_READMODELS_PATH, openSqliteReadModelStore } from './sqlite/sqliteReadModelStore.ts';

/** Which read-model adapter a service opens. */
export type ReadModelConfig = { readonly kind: 'memory' } | { readonly kind: 'sqlite'; readonly path: string };

/**
 * `DGT_READMODELS` = `sqlite` (default) | `memory`;
 * `DGT_READMODELS_PATH` = the SQLite file (default `./data/readmodels.sqlite`).
 */
export function readModelConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReadModelConfig {
  const kind = env.DGT_READMODELS || 'sqlite';
  switch (kind) {
    case 'memory':
      return { kind };
    case 'sqlite':
      return { kind, path: env.DGT_READMODELS_PATH || DEFAULT_READMODELS_PATH };
    default:
      throw new ReadModelError('INVALID_ARGUMENT', `DGT_READMODELS must be sqlite or memory, got ${JSON.stringify(kind)}`);
  }
}

/**
 * Opens the configured store. `readonly` (SQLite only) is for a process that only queries a
 * file another process (the projector) writes; a memory store is always private to its process.
 */
export async function openReadModelStore(config: ReadModelConfig, options: { readonly?: boolean } = {}): Promise<ReadModelStore & CaseReadModel> {
  switch (config.kind) {
    case 'memory':
      return createMemoryReadModelStore();
    case 'sqlite':
      return openSqliteReadModelStore({ path: config.path, readonly: options.readonly ?? false });
    default: {
      const unknownKind: never = config;
      throw new ReadModelError('INVALID_ARGUMENT', `unknown read-model store kind ${JSON.stringify(unknownKind)}`);
    }
  }
}

import { instantMs } from './envelope.ts';
import { EventStoreError } from './errors.ts';
import type { ReadFilter } from './port.ts';

/** A `ReadFilter` validated once and turned into a predicate over stored fields. */
export interface CompiledFilter {
  readonly source: ReadFilter;
  readonly types: ReadonlySet<string> | undefined;
  readonly streamPrefixes: readonly string[] | undefined;
  readonly streams: ReadonlySet<string> | undefined;
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
  matches(streamId: string, type: string, occurredMs: number): boolean;
}

function bound(name: string, iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = instantMs(iso);
  if (!Number.isFinite(ms)) throw new EventStoreError('INVALID_ARGUMENT', `filter.${name} must be an ISO-8601 date-time with offset, got ${JSON.stringify(iso)}`);
  return ms;
}

export function compileFilter(filter: ReadFilter | undefined): CompiledFilter | undefined {
  if (filter === undefined) return undefined;
  const types = filter.types ? new Set(filter.types) : undefined;
  const streamPrefixes = filter.streamPrefixes ? [...filter.streamPrefixes] : undefined;
  const streams = filter.streams ? new Set(filter.streams) : undefined;
  const fromMs = bound('occurredFrom', filter.occurredFrom);
  const toMs = bound('occurredTo', filter.occurredTo);
  return {
    source: filter,
    types,
    streamPrefixes,
    streams,
    fromMs,
    toMs,
    matches(streamId, type, occurredMs) {
      if (types && !types.has(type)) return false;
      if (streams && !streams.has(streamId)) return false;
      if (streamPrefixes && !streamPrefixes.some((p) => streamId.startsWith(p))) return false;
      if (fromMs !== undefined && occurredMs < fromMs) return false;
      if (toMs !== undefined && occurredMs >= toMs) return false;
      return true;
    },
  };
}

import type { z } from 'zod';
import { type DgtEvent, eventCatalog, isEventType } from './catalog.ts';
import { envelope } from './envelope.ts';
import { fastParseEvent } from './fastParse.ts';
import { clientEventIdPattern, clientEventIdRule } from './primitives.ts';
import { upcast } from './upcasters.ts';
import { EventValidationError, type FieldIssue, formatPath } from './validationError.ts';

function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

export type ParseResult = { ok: true; event: DgtEvent } | { ok: false; error: EventValidationError };

/**
 * Validates an envelope and its `data` against the catalog, upcasting older schema versions.
 * Unknown types are errors, never silently dropped. The hot types take a checker compiled from
 * their schemas (`fastParse.ts`), which accepts exactly what zod accepts and returns the same
 * event; anything it does not vouch for, every invalid event included, is parsed by zod.
 */
export function safeParseEvent(input: unknown): ParseResult {
  const fast = fastParseEvent(input);
  return fast === undefined ? safeParseEventWithZod(input) : { ok: true, event: fast };
}

/** `safeParseEvent` by zod alone: the reference the fast path is tested against. */
export function safeParseEventWithZod(input: unknown): ParseResult {
  const env = envelope.safeParse(input);
  if (!env.success) return { ok: false, error: new EventValidationError(issuesOf(env.error)) };
  const { type } = env.data;
  if (!isEventType(type)) {
    return { ok: false, error: new EventValidationError([{ path: 'type', message: `unknown event type "${type}"` }]) };
  }
  const entry = eventCatalog[type];
  const version = env.data.schemaVersion ?? 1;
  if (version > entry.version) {
    return {
      ok: false,
      error: new EventValidationError([{ path: 'schemaVersion', message: `version ${version} of ${type} is newer than this build supports (${entry.version})` }]),
    };
  }
  const lifted = upcast(type, env.data.data, version, entry.version);
  if (!lifted.ok) {
    return { ok: false, error: new EventValidationError([{ path: 'schemaVersion', message: `no upcaster for ${type} v${lifted.missing}` }]) };
  }
  const data = entry.data.safeParse(lifted.data);
  if (!data.success) return { ok: false, error: new EventValidationError(issuesOf(data.error, ['data'])) };
  const event = { ...env.data, data: data.data } as Record<string, unknown>;
  if (version !== entry.version) event.schemaVersion = entry.version;
  return { ok: true, event: event as DgtEvent };
}

/** Like `safeParseEvent`, throwing an `EventValidationError`. */
export function parseEvent(input: unknown): DgtEvent {
  const result = safeParseEvent(input);
  if (!result.ok) throw result.error;
  return result.event;
}

/**
 * The gateways' parse (HTTP ingest, JT/T 808/809, the recorder reading what they published):
 * `safeParseEvent` plus the client id rule, so an id from outside can never be one dgt derives
 * (see `clientEventId`). Reading the record uses `safeParseEvent`, which stays lenient.
 */
export function safeParseClientEvent(input: unknown): ParseResult {
  const fast = fastParseEvent(input);
  if (fast !== undefined && clientEventIdPattern.test(fast.eventId)) return { ok: true, event: fast };
  return withClientIdRule(input, fast === undefined ? safeParseEventWithZod(input) : { ok: true, event: fast });
}

/** `safeParseClientEvent` by zod alone: the reference the fast path is tested against. */
export function safeParseClientEventWithZod(input: unknown): ParseResult {
  return withClientIdRule(input, safeParseEventWithZod(input));
}

/** The client id rule on top of `safeParseEvent`'s answer for `input`. */
export function withClientIdRule(input: unknown, parsed: ParseResult): ParseResult {
  const id = input !== null && typeof input === 'object' ? (input as Record<string, unknown>).eventId : undefined;
  if (typeof id !== 'string' || clientEventIdPattern.test(id)) return parsed;
  const idIssue: FieldIssue = { path: 'eventId', message: clientEventIdRule };
  if (parsed.ok) return { ok: false, error: new EventValidationError([idIssue]) };
  const others = parsed.error.issues.filter((i) => i.path !== 'eventId');
  return { ok: false, error: new EventValidationError([idIssue, ...others]) };
}

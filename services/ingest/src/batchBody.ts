import { errorCodes, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BatchText } from './batchText.ts';
import { ScannedFixes, type FixScanner } from './fixScanner.ts';

/** A line of an NDJSON body that is not JSON: rejected on its own, the other lines still count. */
export class NotJsonLine {
  constructor(readonly message: string) {}
}

/** An NDJSON body: one value per non-blank line, with the 1-based line it came from. */
export class NdjsonBatch {
  constructor(
    readonly values: readonly unknown[],
    readonly lines: readonly number[],
  ) {}
}

export const ndjsonContentTypes = ['application/x-ndjson', 'application/ndjson'];

export const batchBody = z.union([z.array(z.unknown()), z.instanceof(NdjsonBatch)], {
  error:
    'the body must be a JSON array of events (Content-Type: application/json) or NDJSON, one event per line (Content-Type: application/x-ndjson)',
});
export type BatchBody = z.infer<typeof batchBody>;

/** A batch's items: item n is `values[n]`, from line `lines[n]` (1-based) of an NDJSON body. */
export interface BatchItems {
  readonly values: readonly unknown[];
  /** NDJSON only: per item, the line it came from (blank lines are not items). */
  readonly lines?: readonly number[];
  /** Read by the fix scanner: every item is a plain fix that passed every check before the time checks, and this is their canonical JSON. */
  readonly text?: BatchText;
}

/** The body's items as they are: no object per item (a batch of 500 made 500). */
export function batchItems(body: BatchBody | ScannedFixes): BatchItems {
  if (body instanceof ScannedFixes) return { values: body.events, text: body.text };
  return Array.isArray(body) ? { values: body } : body;
}

/**
 * Parses JSON bodies as fastify's default parser does — secure-json-parse: a leading BOM
 * skipped, JSON.parse, and the body refused (400) when an object holds a `__proto__` key or a
 * `constructor` object with a `prototype` key — with the poisoned keys looked for in the parsed
 * value (`poisoned`) where secure-json-parse first tests the text with two regexes of every
 * escaped spelling over the whole text: 0.14 µs per fix in a profile of the gateway (5 % of its
 * CPU), the walk 0.01 µs. The same errors: fastify's own.
 *
 * A body of plain fixes is read by the `scanner` first when there is one (fixScanner.ts): it
 * becomes `ScannedFixes`, events and their canonical JSON, without JSON.parse. Any other body, and
 * any the scanner does not vouch for, is parsed as above.
 */
export function addJsonParser(app: FastifyInstance, scanner?: FixScanner): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = body as Buffer;
    const scanned = scanner?.scan(bytes);
    if (scanned !== undefined) return done(null, scanned);
    let text = bytes.toString('utf8');
    if (text.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
    if (poisoned(value)) return done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    done(null, value);
  });
}

const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Whether a JSON-parsed value holds an object that secure-json-parse refuses: one with an own
 * `__proto__` key, or an own `constructor` that is an object with an own `prototype`. Depth
 * first with a stack of its own: a body may nest deeper than the call stack goes.
 */
export function poisoned(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: object[] = [value];
  while (stack.length > 0) {
    const node = stack.pop() as object;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === 'object' && v !== null) stack.push(v);
      }
      continue;
    }
    for (const key in node) {
      const v = (node as Record<string, unknown>)[key];
      if (key === '__proto__') return true;
      if (typeof v !== 'object' || v === null) continue;
      if (key === 'constructor' && own(v, 'prototype')) return true;
      stack.push(v);
    }
  }
  return false;
}

/** Parses NDJSON bodies; fastify's bodyLimit applies. */
export function addNdjsonParser(app: FastifyInstance): void {
  app.addContentTypeParser(ndjsonContentTypes, { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseNdjson(body as string));
  });
}

export function parseNdjson(text: string): NdjsonBatch {
  const values: unknown[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    lines.push(i + 1);
    try {
      values.push(JSON.parse(line));
    } catch (error) {
      values.push(new NotJsonLine(`line ${i + 1} is not valid JSON (${(error as Error).message})`));
    }
  });
  return new NdjsonBatch(values, lines);
}

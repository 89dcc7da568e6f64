import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

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
  error: 'the body must be a JSON array of events (Content-Type: application/json) or NDJSON, one event per line (Content-Type: application/x-ndjson)',
});
export type BatchBody = z.infer<typeof batchBody>;

export interface BatchItem {
  /** Position among the items (blank NDJSON lines are not items). */
  readonly index: number;
  /** NDJSON only: the 1-based line number. */
  readonly line?: number;
  readonly value: unknown;
}

export function batchItems(body: BatchBody): BatchItem[] {
  if (Array.isArray(body)) return body.map((value, index) => ({ index, value }));
  return body.values.map((value, index) => ({ index, line: body.lines[index] ?? index + 1, value }));
}

/** Parses NDJSON bodies (the JSON array parser is fastify's own); fastify's bodyLimit applies. */
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

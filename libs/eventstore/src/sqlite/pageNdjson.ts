import type { RecordedEvent } from '../port.ts';

/**
 * The stored JSON of a page's events as UTF-8 NDJSON, as the read-ahead worker wrote it: event i's
 * line (its stored text and "\n") ends at byte `ends[i]`, and starts where the last line before it
 * ends (0 for the first); `ends[i]` is -1 when event i has no line here (its text holds a backslash,
 * so it may hold an escape a digest must see decoded) — that event carries `json` instead.
 */
export interface PageNdjson {
  readonly bytes: Uint8Array;
  readonly ends: Int32Array;
}

const byPage = new WeakMap<readonly unknown[], PageNdjson>();

/** Ties `ndjson` to the page it was read with (read-ahead reads with `ndjsonPages`). */
export function attachPageNdjson(page: readonly RecordedEvent[], ndjson: PageNdjson): void {
  byPage.set(page, ndjson);
}

/**
 * The NDJSON of a page of a read made with `ndjsonPages` (a page as `pagesOf` hands it out), or
 * undefined when the adapter read that page without it: then every event carries its `json`.
 */
export function pageNdjson(page: readonly unknown[]): PageNdjson | undefined {
  return byPage.get(page);
}

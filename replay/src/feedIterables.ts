import { pagesOf } from '@dgt/eventstore';

/*
 * Hand-rolled async iterables for the feed. An async generator costs several microtask hops per
 * item, which at millions of events is more than detection itself; these pass the store's
 * promises through (or add one hop to map).
 */

/** A feed that can also be read a page at a time (see `feedPages`). */
export interface PagedFeed<T> extends AsyncIterable<T> {
  pages(): AsyncIterable<readonly T[]>;
}

function isPaged<T>(feed: AsyncIterable<T>): feed is PagedFeed<T> {
  return typeof (feed as Partial<PagedFeed<T>>).pages === 'function';
}

/**
 * The feed a page at a time: a whole-store replay handles millions of events, and a promise per
 * event costs more than reading one. Pages come from the store's own reads where it has them
 * (`pagesOf`), else one item per page.
 */
export function feedPages<T>(feed: AsyncIterable<T>): AsyncIterable<readonly T[]> {
  if (isPaged(feed)) return feed.pages();
  return mapFeed(feed, (item) => [item]);
}

/**
 * The items of `head` (already in memory), then those of `tail`; also by pages (`feedPages`),
 * then from `pagedTail`: the same events, read for page-wise use (`ndjsonPages`: events whose
 * JSON is in their page's NDJSON come without `json`, so item-wise readers must not get those).
 */
export function concatFeed<T>(head: readonly T[], tail: AsyncIterable<T> | null, pagedTail: AsyncIterable<T> | null = tail): PagedFeed<T> {
  return {
    async *pages(): AsyncIterable<readonly T[]> {
      if (head.length > 0) yield head;
      if (pagedTail === null) return;
      const paged = pagesOf(pagedTail);
      if (paged !== undefined) yield* paged;
      else for await (const item of pagedTail) yield [item];
    },
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let i = 0;
      let it: AsyncIterator<T> | null = null;
      return {
        next(): Promise<IteratorResult<T>> {
          if (i < head.length) return Promise.resolve({ value: head[i++] as T, done: false });
          if (tail === null) return Promise.resolve({ value: undefined, done: true });
          it ??= tail[Symbol.asyncIterator]();
          return it.next();
        },
        return(): Promise<IteratorResult<T>> {
          i = head.length;
          return it?.return ? it.return() : Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}

/** `source` with each item mapped. */
export function mapFeed<T, U>(source: AsyncIterable<T>, map: (item: T) => U): AsyncIterable<U> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<U> {
      const it = source[Symbol.asyncIterator]();
      return {
        async next(): Promise<IteratorResult<U>> {
          const r = await it.next();
          return r.done ? r : { value: map(r.value), done: false };
        },
        return: async () => {
          await it.return?.();
          return { value: undefined, done: true };
        },
      };
    },
  };
}

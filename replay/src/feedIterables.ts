/*
 * Hand-rolled async iterables for the feed. An async generator costs several microtask hops per
 * item, which at millions of events is more than detection itself; these pass the store's
 * promises through (or add one hop to map).
 */

/** The items of `head` (already in memory), then those of `tail`. */
export function concatFeed<T>(head: readonly T[], tail: AsyncIterable<T> | null): AsyncIterable<T> {
  return {
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

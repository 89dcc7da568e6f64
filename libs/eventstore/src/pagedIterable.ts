/**
 * An async iterable fed by pages. Reads hand out one settled promise per item instead of the
 * several microtask hops of an async generator: readAll throughput depends on it.
 * `nextPage` returns `null` at the end; an empty page asks again.
 */
const pagesKey = Symbol('dgt.eventstore.pages');

interface Paged<T> extends AsyncIterable<T> {
  [pagesKey](): AsyncIterator<readonly T[]>;
}

/**
 * The pages behind a read, when it has them (every read of the memory and SQLite stores): a
 * consumer that handles thousands of events per await — a projector catching up — skips the
 * promise and result object per event that item-by-item iteration costs. Iterate either the
 * read or its pages, not both. Undefined for any other iterable (EventStoreDB reads, wrappers).
 */
export function pagesOf<T>(iterable: AsyncIterable<T>): AsyncIterable<readonly T[]> | undefined {
  const paged = iterable as Partial<Paged<T>>;
  const pages = paged[pagesKey];
  return pages === undefined ? undefined : { [Symbol.asyncIterator]: () => pages.call(paged) };
}

/**
 * One pass over `nextPage`: non-empty pages until the end, then null. `onEnd` runs once, at the
 * end, on a failure, or when the consumer stops (`finish`).
 */
function pageReader<T>(nextPage: () => T[] | null | Promise<T[] | null>, onEnd: (() => void) | undefined) {
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    onEnd?.();
  };
  const next = async (): Promise<T[] | null> => {
    for (;;) {
      if (finished) return null;
      let page: T[] | null;
      try {
        page = await nextPage();
      } catch (err) {
        finish();
        throw err;
      }
      if (page === null) {
        finish();
        return null;
      }
      if (page.length > 0) return page;
    }
  };
  return { next, finish, finished: () => finished };
}

export function pagedIterable<T>(nextPage: () => T[] | null | Promise<T[] | null>, onEnd?: () => void): AsyncIterable<T> {
  const done = { value: undefined, done: true } as const;
  const paged: Paged<T> = {
    [pagesKey](): AsyncIterator<readonly T[]> {
      const reader = pageReader(nextPage, onEnd);
      return {
        async next(): Promise<IteratorResult<readonly T[]>> {
          const page = await reader.next();
          return page === null ? done : { value: page, done: false };
        },
        return(): Promise<IteratorResult<readonly T[]>> {
          reader.finish();
          return Promise.resolve(done);
        },
      };
    },
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const reader = pageReader(nextPage, onEnd);
      let buffer: T[] = [];
      let index = 0;
      const refill = async (): Promise<IteratorResult<T>> => {
        const page = await reader.next();
        if (page === null) {
          buffer = [];
          return done;
        }
        buffer = page;
        index = 1;
        return { value: page[0] as T, done: false };
      };
      return {
        next(): Promise<IteratorResult<T>> {
          if (reader.finished()) return Promise.resolve(done);
          if (index < buffer.length) return Promise.resolve({ value: buffer[index++] as T, done: false });
          return refill();
        },
        return(): Promise<IteratorResult<T>> {
          reader.finish();
          buffer = [];
          return Promise.resolve(done);
        },
      };
    },
  };
  return paged;
}

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

export function pagedIterable<T>(nextPage: () => T[] | null | Promise<T[] | null>, onEnd?: () => void): AsyncIterable<T> {
  const paged: Paged<T> = {
    [pagesKey](): AsyncIterator<readonly T[]> {
      let finished = false;
      const finish = (): IteratorResult<readonly T[]> => {
        if (!finished) {
          finished = true;
          onEnd?.();
        }
        return { value: undefined, done: true };
      };
      return {
        async next(): Promise<IteratorResult<readonly T[]>> {
          for (;;) {
            if (finished) return finish();
            let page: T[] | null;
            try {
              page = await nextPage();
            } catch (err) {
              finish();
              throw err;
            }
            if (page === null) return finish();
            if (page.length > 0) return { value: page, done: false };
          }
        },
        return(): Promise<IteratorResult<readonly T[]>> {
          return Promise.resolve(finish());
        },
      };
    },
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let buffer: T[] = [];
      let index = 0;
      let finished = false;
      const finish = (): IteratorResult<T> => {
        if (!finished) {
          finished = true;
          buffer = [];
          onEnd?.();
        }
        return { value: undefined, done: true };
      };
      const refill = async (): Promise<IteratorResult<T>> => {
        for (;;) {
          if (finished) return finish();
          let page: T[] | null;
          try {
            page = await nextPage();
          } catch (err) {
            finish();
            throw err;
          }
          if (page === null) return finish();
          if (page.length > 0) {
            buffer = page;
            index = 1;
            return { value: page[0] as T, done: false };
          }
        }
      };
      return {
        next(): Promise<IteratorResult<T>> {
          if (finished) return Promise.resolve({ value: undefined, done: true });
          if (index < buffer.length) return Promise.resolve({ value: buffer[index++] as T, done: false });
          return refill();
        },
        return(): Promise<IteratorResult<T>> {
          return Promise.resolve(finish());
        },
      };
    },
  };
  return paged;
}

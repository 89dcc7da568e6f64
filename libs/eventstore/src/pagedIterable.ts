/**
 * An async iterable fed by pages. Reads hand out one settled promise per item instead of the
 * several microtask hops of an async generator: readAll throughput depends on it.
 * `nextPage` returns `null` at the end; an empty page asks again.
 */
export function pagedIterable<T>(nextPage: () => T[] | null | Promise<T[] | null>, onEnd?: () => void): AsyncIterable<T> {
  return {
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
}

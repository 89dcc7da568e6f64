import { describe, expect, it } from 'vitest';
import { pagedIterable, pagesOf } from '../src/pagedIterable.ts';

function source(pages: (number[] | Error)[]) {
  let i = 0;
  const ended: string[] = [];
  const iterable = pagedIterable<number>(
    async () => {
      const page = pages[i++];
      if (page instanceof Error) throw page;
      return page ?? null;
    },
    () => ended.push('end'),
  );
  return { iterable, ended };
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('pagedIterable pages', () => {
  it('hands out the non-empty pages in order, the same items as item-by-item iteration, and ends once', async () => {
    const a = source([[1, 2], [], [3], [4, 5, 6]]);
    const pages = pagesOf(a.iterable);
    expect(pages).toBeDefined();
    expect(await all(pages!)).toEqual([[1, 2], [3], [4, 5, 6]]);
    expect(a.ended).toEqual(['end']);
    const b = source([[1, 2], [], [3], [4, 5, 6]]);
    expect(await all(b.iterable)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ends the read when the consumer stops early, and when a page fails', async () => {
    const early = source([[1], [2], [3]]);
    for await (const page of pagesOf(early.iterable)!) if (page[0] === 2) break;
    expect(early.ended).toEqual(['end']);
    const failing = source([[1], new Error('disk gone')]);
    await expect(all(pagesOf(failing.iterable)!)).rejects.toThrow('disk gone');
    expect(failing.ended).toEqual(['end']);
  });

  it('has no pages for an iterable that is not a paged read', async () => {
    async function* items() {
      yield 1;
    }
    expect(pagesOf(items())).toBeUndefined();
  });
});

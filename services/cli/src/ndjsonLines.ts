import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { UsageError } from './io.ts';

export interface LineSource {
  lines: AsyncIterable<string>;
  /** Size in bytes when known (a file), for progress. */
  size: number | null;
  /** Bytes read so far. */
  bytesRead(): number;
}

/** Opens `path` (or stdin for `-`) as a stream of lines. */
export function openLines(path: string, stdin: Readable): LineSource {
  let stream: Readable;
  let size: number | null = null;
  if (path === '-') {
    stream = stdin;
  } else {
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new UsageError(`${path}: not a file`);
      size = st.size;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    stream = createReadStream(path);
  }
  let bytes = 0;
  stream.on('data', (chunk: Buffer | string) => {
    bytes += chunk.length;
  });
  return {
    lines: createInterface({ input: stream, crlfDelay: Infinity }),
    size,
    bytesRead: () => bytes,
  };
}

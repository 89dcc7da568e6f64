import type { Readable, Writable } from 'node:stream';

/** The process's streams, injected so commands can be run in-process by tests. */
export interface Io {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

/** A command-line error: the message is shown as is, and the process exits with `exitCode`. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Buffered writer that respects back-pressure, so large outputs do not pile up in memory. */
export class LineWriter {
  private buffer = '';
  constructor(
    private readonly out: Writable,
    private readonly highWater = 64 * 1024,
  ) {}

  async line(text: string): Promise<void> {
    this.buffer += text + '\n';
    if (this.buffer.length >= this.highWater) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }
}

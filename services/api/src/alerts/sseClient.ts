import type { ServerResponse } from 'node:http';
import type { Scope } from '@dgt/readmodels';

/**
 * One connected alert-stream client. Frames go straight to the socket while it keeps up; once
 * the socket pushes back they wait in a bounded queue, and a client whose queue overflows is
 * dropped (it reconnects with Last-Event-ID and catches up from the ring), so one slow reader
 * never holds memory for everybody else.
 */
export class SseClient {
  readonly #queue: string[] = [];
  #waitingForDrain = false;
  #closed = false;

  constructor(
    readonly scope: Scope,
    private readonly response: ServerResponse,
    private readonly maxQueued: number,
    private readonly onOverflow: (client: SseClient) => void,
  ) {
    response.on('drain', () => this.#flush());
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(frame: string): void {
    if (this.#closed) return;
    if (this.#waitingForDrain) {
      this.#queue.push(frame);
      if (this.#queue.length > this.maxQueued) this.onOverflow(this);
      return;
    }
    if (!this.response.write(frame)) this.#waitingForDrain = true;
  }

  /** Ends the stream; `destroy` for a client that stopped reading (its buffers are not flushed). */
  close(how: 'end' | 'destroy'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    if (how === 'end') this.response.end();
    else this.response.destroy();
  }

  #flush(): void {
    this.#waitingForDrain = false;
    while (this.#queue.length > 0 && !this.#closed) {
      const frame = this.#queue.shift()!;
      if (!this.response.write(frame)) {
        this.#waitingForDrain = true;
        return;
      }
    }
  }
}

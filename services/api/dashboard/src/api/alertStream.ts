import { ApiError, errorFromBody } from './apiError.ts';
import { SseParser } from './sseParser.ts';
import type { AlertView } from './views.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface AlertStreamHandlers {
  readonly onAlert: (alert: AlertView) => void;
  readonly onStatus: (status: StreamStatus, detail?: string) => void;
  /** The key was refused: the stream stops for good. */
  readonly onUnauthenticated: () => void;
}

const firstRetryMs = 1000;
const maxRetryMs = 30_000;

/**
 * GET /v1/alerts/stream read with fetch (EventSource cannot send an Authorization header):
 * reconnects with backoff and resumes with Last-Event-ID, so an outage loses nothing the
 * server still has.
 */
export class AlertStream {
  #controller: AbortController | null = null;
  #lastEventId = '';
  #stopped = false;

  constructor(
    private readonly apiKey: string,
    private readonly handlers: AlertStreamHandlers,
    private readonly path = '/v1/alerts/stream',
  ) {}

  start(): void {
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#controller?.abort();
    this.handlers.onStatus('stopped');
  }

  async #run(): Promise<void> {
    let delay = firstRetryMs;
    this.handlers.onStatus('connecting');
    while (!this.#stopped) {
      let serverRetry: number | null = null;
      try {
        const gotData = await this.#connectOnce((retry) => (serverRetry = retry));
        if (gotData) delay = firstRetryMs;
      } catch (error) {
        if (this.#stopped) return;
        if (error instanceof ApiError && error.kind === 'unauthenticated') {
          this.#stopped = true;
          this.handlers.onUnauthenticated();
          return;
        }
        this.handlers.onStatus('reconnecting', error instanceof Error ? error.message : String(error));
      }
      if (this.#stopped) return;
      this.handlers.onStatus('reconnecting');
      await sleep(serverRetry ?? delay);
      delay = Math.min(maxRetryMs, delay * 2);
    }
  }

  /** One connection until the server ends it; true if any event arrived. */
  async #connectOnce(onRetry: (ms: number) => void): Promise<boolean> {
    const controller = new AbortController();
    this.#controller = controller;
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'text/event-stream' };
    if (this.#lastEventId !== '') headers['last-event-id'] = this.#lastEventId;
    let response: Response;
    try {
      response = await fetch(this.path, { headers, cache: 'no-store', signal: controller.signal });
    } catch {
      throw new ApiError('network', 'alert stream: the API cannot be reached', 0);
    }
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => null);
      throw errorFromBody(response.status, body);
    }
    if (response.body === null) throw new ApiError('bad-response', 'alert stream: empty body', response.status);
    this.handlers.onStatus('live');
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let gotData = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const message of parser.feed(value)) {
          this.#lastEventId = message.lastEventId;
          if (message.event !== 'alert') continue;
          gotData = true;
          try {
            this.handlers.onAlert(JSON.parse(message.data) as AlertView);
          } catch {
            // One unreadable event must not end the stream.
          }
        }
        if (parser.retryMs !== null) onRetry(parser.retryMs);
      }
    } catch {
      if (!this.#stopped) throw new ApiError('network', 'alert stream interrupted', 0);
    } finally {
      reader.releaseLock();
    }
    return gotData;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import type { SimMessage } from '../messages.ts';

/** Where simulated messages go: a file, the ingest HTTP API, or the bus. */
export interface MessageSink {
  write(message: SimMessage): Promise<void>;
  /** Sends anything buffered; resolves when it is delivered. */
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): SinkStats;
}

export interface SinkStats {
  sent: number;
  accepted: number;
  rejected: number;
  skipped: number;
}

export class SinkError extends Error {
  constructor(
    readonly code: 'INGEST_FAILED' | 'PUBLISH_FAILED' | 'WRITE_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

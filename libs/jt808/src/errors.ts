import type { Jt808Header } from './header.ts';

/** Why a frame (or a sub-package) was rejected. */
export type Jt808ErrorKind =
  | 'bad-checksum'
  | 'truncated'
  | 'bad-bcd'
  | 'length-mismatch'
  | 'unknown-message'
  | 'bad-escape'
  | 'frame-too-large'
  | 'bad-value'
  | 'unsupported-encryption'
  | 'subpackage-limit';

export const jt808ErrorKinds: readonly Jt808ErrorKind[] = [
  'bad-checksum',
  'truncated',
  'bad-bcd',
  'length-mismatch',
  'unknown-message',
  'bad-escape',
  'frame-too-large',
  'bad-value',
  'unsupported-encryption',
  'subpackage-limit',
];

/**
 * The only error the decoder produces. `header` is set when the header was readable, so a
 * gateway can still answer with a general ack (e.g. result 3 "unsupported" for 'unknown-message').
 */
export class Jt808DecodeError extends Error {
  override readonly name = 'Jt808DecodeError';
  readonly kind: Jt808ErrorKind;
  readonly detail: string;
  readonly header: Jt808Header | undefined;

  constructor(kind: Jt808ErrorKind, detail: string, header?: Jt808Header) {
    super(`${kind}: ${detail}`);
    this.kind = kind;
    this.detail = detail;
    this.header = header;
  }
}

/** Caller-side mistakes when building a frame (out-of-range field, bad phone digits). */
export class Jt808EncodeError extends Error {
  override readonly name = 'Jt808EncodeError';
  readonly code = 'bad-input' as const;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: Jt808DecodeError };

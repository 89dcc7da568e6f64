import type { Jt809Header } from './header.ts';

/** Why a frame was rejected. */
export type Jt809ErrorKind =
  | 'bad-crc'
  | 'truncated'
  | 'length-mismatch'
  | 'unknown-message'
  | 'bad-escape'
  | 'frame-too-large'
  | 'bad-value'
  | 'no-cipher-keys';

export const jt809ErrorKinds: readonly Jt809ErrorKind[] = ['bad-crc', 'truncated', 'length-mismatch', 'unknown-message', 'bad-escape', 'frame-too-large', 'bad-value', 'no-cipher-keys'];

/**
 * The only error the decoder produces. `header` is set once the header was readable (CRC
 * checked), so a gateway can still tell which platform and message a bad body came from.
 */
export class Jt809DecodeError extends Error {
  override readonly name = 'Jt809DecodeError';
  readonly kind: Jt809ErrorKind;
  readonly detail: string;
  readonly header: Jt809Header | undefined;

  constructor(kind: Jt809ErrorKind, detail: string, header?: Jt809Header) {
    super(`${kind}: ${detail}`);
    this.kind = kind;
    this.detail = detail;
    this.header = header;
  }
}

/** Caller-side mistakes when building a frame (out-of-range field, text longer than its field). */
export class Jt809EncodeError extends Error {
  override readonly name = 'Jt809EncodeError';
  readonly code = 'bad-input' as const;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: Jt809DecodeError };

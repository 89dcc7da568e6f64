import type { OutgoingHeaders, ReceivedMessage } from './port.ts';

/** A received header as UTF-8 text, or undefined when absent. */
export function headerText(
  message: Pick<ReceivedMessage, 'headers'>,
  name: string,
): string | undefined {
  return message.headers[name]?.toString('utf8');
}

/** Copies values so that a caller mutating its buffers after `send` cannot change what was sent. */
export function headersToBuffers(headers: OutgoingHeaders | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  if (headers === undefined) return out;
  for (const [name, value] of Object.entries(headers)) out[name] = Buffer.from(value);
  return out;
}

/** Headers for a send: string values as they are (immutable), Buffer values copied (see headersToBuffers). */
export function sendableHeaders(headers: OutgoingHeaders | undefined): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  if (headers === undefined) return out;
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const value = headers[name] as string | Buffer;
    out[name] = typeof value === 'string' ? value : Buffer.from(value);
  }
  return out;
}

export function valueToBuffer(value: Buffer | string): Buffer {
  return Buffer.from(value);
}

import { Jt808DecodeError } from '../errors.ts';

export interface HeartbeatMessage {
  readonly type: 'heartbeat';
}

/** 0x0002: empty body. */
export function decodeHeartbeat(body: Uint8Array): HeartbeatMessage {
  if (body.length !== 0) throw new Jt808DecodeError('length-mismatch', `heartbeat body must be empty, has ${body.length} byte(s)`);
  return { type: 'heartbeat' };
}

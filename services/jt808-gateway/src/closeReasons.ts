/** Why the gateway (or the peer) ended a connection: the `reason` label of dgt_jt808_connections_closed_total. */
export const closeReasons = [
  'peer',
  'logout',
  'garbage',
  'rate-limit',
  'idle',
  'auth-timeout',
  'unknown-terminal',
  'register-refused',
  'auth-failed',
  'replaced',
  'reset',
  'socket-error',
  'shutdown',
] as const;

export type CloseReason = (typeof closeReasons)[number];

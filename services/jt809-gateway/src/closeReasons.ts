/** Why the gateway (or the peer) ended a main-link connection: the `reason` label of dgt_jt809_connections_closed_total. */
export const closeReasons = [
  'peer',
  'logout',
  'login-refused',
  'garbage',
  'rate-limit',
  'idle',
  'login-timeout',
  'replaced',
  'socket-error',
  'bus-unavailable',
  'shutdown',
] as const;

export type CloseReason = (typeof closeReasons)[number];

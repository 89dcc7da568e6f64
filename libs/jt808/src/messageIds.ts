/** Message ids this codec understands. */
export const MessageId = {
  heartbeat: 0x0002,
  logout: 0x0003,
  register: 0x0100,
  authenticate: 0x0102,
  locationReport: 0x0200,
  batchUpload: 0x0704,
  generalAck: 0x8001,
  registerAck: 0x8100,
} as const;

/** Message ids this codec understands. */
export const MessageId = {
  /** The terminal's answer to a platform message; it needs no reply. */
  terminalAck: 0x0001,
  heartbeat: 0x0002,
  logout: 0x0003,
  register: 0x0100,
  authenticate: 0x0102,
  locationReport: 0x0200,
  batchUpload: 0x0704,
  generalAck: 0x8001,
  registerAck: 0x8100,
  /** 文本信息下发: platform → terminal text (display / TTS), answered by the terminal's 0x0001. */
  textMessage: 0x8300,
} as const;

/** JT/T 809 business types (MSG_ID) this codec decodes or encodes. */
export const MessageId = {
  /** UP_CONNECT_REQ: subordinate → superior, main link login. */
  loginRequest: 0x1001,
  /** UP_CONNECT_RSP: result and verify code. */
  loginResponse: 0x1002,
  /** UP_DISCONNECT_REQ: main link logout. */
  logoutRequest: 0x1003,
  logoutResponse: 0x1004,
  /** UP_LINKTEST_REQ / _RSP: main link keep-alive. */
  heartbeat: 0x1005,
  heartbeatResponse: 0x1006,
  /** UP_DISCONNECT_INFORM: sent by the subordinate over the down link when its main link broke. */
  mainLinkBroken: 0x1007,
  /** UP_EXG_MSG: vehicle dynamic information (0x1201 registration, 0x1202 location, 0x1203 back-fill). */
  vehicleDynamic: 0x1200,
  /** UP_WARN_MSG: alarm interaction (0x1402 alarm report). */
  alarm: 0x1400,
  /** DOWN_CONNECT_REQ: superior → subordinate over the down link, with the verify code. */
  downLoginRequest: 0x9001,
  downLoginResponse: 0x9002,
  /** DOWN_LINKTEST_REQ / _RSP: down link keep-alive. */
  downHeartbeat: 0x9005,
  downHeartbeatResponse: 0x9006,
  /** DOWN_DISCONNECT_INFORM: sent by the superior over the main link when the down link broke. */
  downLinkBroken: 0x9007,
  /** DOWN_CLOSELINK_INFORM: the superior closes the links on purpose (restart, other reason). */
  closeLink: 0x9008,
} as const;

/** Sub-business types inside 0x1200 and 0x1400. */
export const SubMessageId = {
  /** UP_EXG_MSG_REGISTER: the platform declares a vehicle's terminal. */
  vehicleRegistration: 0x1201,
  /** UP_EXG_MSG_REAL_LOCATION: one real-time fix. */
  realtimeLocation: 0x1202,
  /** UP_EXG_MSG_HISTORY_LOCATION: fixes back-filled after an outage (1–5 per message by the standard). */
  backfillLocations: 0x1203,
  /** UP_WARN_MSG_ADPT_INFO: an alarm report. */
  alarmReport: 0x1402,
} as const;

/** 0x1002 results (both editions; 2019 calls "other" 0xFF). */
export const LoginResult = {
  ok: 0x00,
  badIp: 0x01,
  badAccessCode: 0x02,
  unknownUser: 0x03,
  badPassword: 0x04,
  busy: 0x05,
  other2011: 0x06,
  other2019: 0xff,
} as const;

/** 0x9002 results. */
export const DownLoginResult = {
  ok: 0x00,
  badVerifyCode: 0x01,
  busy: 0x02,
  other: 0x03,
} as const;

/** 0x9007 reasons (2011 text; 2019 reuses the codes). */
export const DownLinkBrokenReason = {
  cannotConnect: 0x00,
  disconnected: 0x01,
  other: 0x02,
} as const;

/** 0x1007 error codes. */
export const MainLinkBrokenCode = {
  mainLinkBroken: 0x00,
  other: 0x01,
} as const;

/** 0x9008 reasons. */
export const CloseLinkReason = {
  gatewayRestart: 0x00,
  other: 0x01,
} as const;

export { createJt808Gateway, type Jt808Gateway, type Jt808GatewayOptions } from './server.ts';
export { defaultGatewayConfig, gatewayConfig, type Jt808GatewayConfig, type TerminalEntry } from './gatewayConfig.ts';
export {
  createTerminalRecords,
  normalizePhone,
  vehicleMark,
  TerminalRecordError,
  type TerminalRecord,
  type TerminalRecordErrorCode,
  type TerminalRecords,
} from './terminalRecords.ts';
export { matchRegistration, type RegistrationMatch } from './registrationMatch.ts';
export {
  TerminalRegistrar,
  registerResults,
  type AuthOutcome,
  type AuthRefusal,
  type AuthenticatedTerminal,
  type RegisterOutcome,
  type RegisterRefusal,
} from './terminalRegistrar.ts';
export { authCodeMatches, hashAuthCode, issueAuthCode } from './authCodes.ts';
export * from './state/index.ts';
export { TerminalEventOutbox } from './terminalEventOutbox.ts';
export {
  positionEventFromReport,
  positionEventsFromReports,
  positionEventId,
  type PositionEvent,
  type PositionOptions,
  type PositionOutcome,
  type ReportOrigin,
  type SkipReason,
  type TimeRefusal,
} from './positionEvent.ts';
export { positionMessage } from './positionMessage.ts';
export { MicroBatchPublisher, type MicroBatchOptions } from './publisher.ts';
export { Session, type Decision, type RefusalReason, type SessionOptions, type SessionState } from './session.ts';
export { closeReasons, type CloseReason } from './closeReasons.ts';
export { createGatewayMetrics, type GatewayMetrics } from './metrics.ts';
export { TokenBucket } from './tokenBucket.ts';
export { SimulatedTerminal, SimulatorError, simulatedIdentity, simulatedTerminalEntry, type SimulatedTerminalOptions } from './terminalSimulator.ts';
export { runTerminalFleet, simulatedFix, type FleetOptions, type FleetResult, type FleetTerminal } from './terminalFleet.ts';
export { encodeAuthenticate, encodeGbk, encodeHeartbeat, encodeLogout, encodeRegister, type TerminalIdentity } from './terminalFrames.ts';
export { readGatewayEnv, type GatewayEnv } from './env.ts';
export { GatewayError, type GatewayErrorCode } from './errors.ts';
export { jsonLogger, silentLogger, type Logger } from './logger.ts';

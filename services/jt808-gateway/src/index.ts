export { createJt808Gateway, type Jt808Gateway, type Jt808GatewayOptions } from './server.ts';
export { defaultGatewayConfig, gatewayConfig, type Jt808GatewayConfig, type TerminalEntry } from './gatewayConfig.ts';
export {
  createTerminalRegistry,
  deriveAuthCode,
  normalizePhone,
  TerminalRegistryError,
  type KnownTerminal,
  type TerminalRegistry,
  type TerminalRegistryErrorCode,
} from './terminalRegistry.ts';
export { positionEventFromReport, positionEventsFromReports, positionEventId, type PositionEvent, type PositionOutcome, type ReportOrigin, type SkipReason } from './positionEvent.ts';
export { positionMessage } from './positionMessage.ts';
export { MicroBatchPublisher, type MicroBatchOptions } from './publisher.ts';
export { Session, type Decision, type RefusalReason, type SessionOptions, type SessionState } from './session.ts';
export { closeReasons, type CloseReason } from './closeReasons.ts';
export { createGatewayMetrics, type GatewayMetrics } from './metrics.ts';
export { TokenBucket } from './tokenBucket.ts';
export { SimulatedTerminal, SimulatorError, type SimulatedTerminalOptions } from './terminalSimulator.ts';
export { runTerminalFleet, simulatedFix, type FleetOptions, type FleetResult, type FleetTerminal } from './terminalFleet.ts';
export { encodeAuthenticate, encodeHeartbeat, encodeLogout, encodeRegister } from './terminalFrames.ts';
export { readGatewayEnv, type GatewayEnv } from './env.ts';
export { GatewayError, type GatewayErrorCode } from './errors.ts';
export { jsonLogger, silentLogger, type Logger } from './logger.ts';

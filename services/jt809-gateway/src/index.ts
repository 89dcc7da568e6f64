export { createJt809Gateway, type Jt809Gateway, type Jt809GatewayOptions, type PlatformStatus } from './server.ts';
export { linksRoute, type LinksBody } from './linksRoute.ts';
export { defaultGatewayConfig, gatewayConfig, type Jt809GatewayConfig } from './gatewayConfig.ts';
export {
  createPlatformAccounts,
  passwordSha256,
  platformAccountSchema,
  PlatformAccountError,
  type PlatformAccount,
  type PlatformAccountEntry,
  type PlatformAccounts,
} from './platformAccounts.ts';
export { createVehicleRegister, ownerAt, VehicleRegisterError, type RegisteredVehicle, type VehicleEntry, type VehicleRegister } from './vehicleRegister.ts';
export { liveVehicleRegister, type LiveRegisterOptions, type LiveVehicleRegister, type RegisterRow, type RegisterSource } from './liveRegister.ts';
export { VehicleGate, type VehicleAccess, type VehicleRefusal } from './vehicleAccess.ts';
export { checkLogin, type LoginOutcome, type LoginRefusal } from './loginCheck.ts';
export { readFrame, peekAccessCode, guessLoginEdition, type LinkCodec, type ReadOutcome } from './frameReader.ts';
export { positionEventFromFix, positionEventId, vehicleIdToken, type FixOrigin, type PositionEvent, type PositionOutcome, type SkipReason, type TimeRefusal } from './positionEvent.ts';
export { alarmEvent, checkRegistration, mismatchEvent, type AlarmEvent, type MismatchEvent, type RegistrationCheck } from './platformEvents.ts';
export { eventMessage, platformKey, positionMessage } from './busMessage.ts';
export { PublishTracker } from './publishTracker.ts';
export { positionJson } from './positionJson.ts';
export { createGatewayMetrics, type GatewayMetrics, type RefusedReason } from './metrics.ts';
export { closeReasons, type CloseReason } from './closeReasons.ts';
export { SimulatedPlatform, SimulatorError, simulatedFixInput, type SimulatedPlatformOptions } from './platformSimulator.ts';
export { PlatformDelivery, LoginRefusedError, loginResultName, type DeliveredVehicle, type DeliveryStats, type PlatformDeliveryOptions } from './platformDelivery.ts';
export { readGatewayEnv, type GatewayEnv } from './env.ts';
// One error type and one logger for both gateways.
export { GatewayError, type GatewayErrorCode, jsonLogger, silentLogger, type Logger } from '@dgt/jt808-gateway';

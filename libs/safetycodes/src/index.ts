export {
  constantTimeEqual,
  MAX_CODE_LENGTH,
  mintCode,
  readCode,
  SafetyCodeError,
  type CodeRefusal,
  type ReadCode,
} from './codec.ts';
export {
  keyring,
  MIN_SECRET_BYTES,
  SafetyCodeKeyError,
  type Keyring,
  type Mac,
} from './keyring.ts';
export {
  codeStatus,
  foldProducts,
  productKey,
  type ProductEntry,
  type ProductRegisterEvent,
} from './productRegister.ts';
export { hazardLabel, type HazardLabel } from './hazardLabels.ts';
export {
  labelGeometry,
  labelQrOptions,
  labelSvg,
  labelText,
  scanInstruction,
  titleFontSize,
} from './label.ts';
export { subjectKey, type CodeKind, type CodeSubject } from './subject.ts';
export {
  foldVehicleCode,
  type VehicleCodeEntry,
  type VehicleCodeRevocation,
} from './vehicleCodes.ts';

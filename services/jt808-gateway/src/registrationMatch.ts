import type { RegisterMessage } from '@dgt/jt808';
import type { TerminalRecord } from './terminalRecords.ts';
import { vehicleMark } from './terminalRecords.ts';

/** How a 0x0100 body compares with the record of the phone it came from. */
export type RegistrationMatch = 'match' | 'terminal-mismatch' | 'vehicle-mismatch';

// Fixed-width text fields arrive NUL-padded (the codec strips NULs); some terminals pad with spaces.
const field = (text: string): string => text.trim();

/**
 * Pure comparison: the terminal identity (manufacturer, model, terminal id) first, then the
 * vehicle (plate by its canonical spelling, plate colour). Knowing a phone number — printed in
 * the vehicle registry — is not enough to register as that terminal.
 */
export function matchRegistration(record: TerminalRecord, body: RegisterMessage): RegistrationMatch {
  if (field(body.manufacturerId) !== record.manufacturerId || field(body.terminalModel) !== record.terminalModel || field(body.terminalId) !== record.terminalId) {
    return 'terminal-mismatch';
  }
  if (body.plateColor !== record.plateColour) return 'vehicle-mismatch';
  const claimed = vehicleMark(body.plate, body.plateColor);
  if (claimed === null || claimed !== vehicleMark(record.plate, record.plateColour)) return 'vehicle-mismatch';
  return 'match';
}

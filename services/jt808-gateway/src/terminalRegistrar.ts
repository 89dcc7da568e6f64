import { randomUUID } from 'node:crypto';
import type { RegisterMessage } from '@dgt/jt808';
import { RegisterAckResult } from '@dgt/jt808';
import { authCodeMatches, hashAuthCode, issueAuthCode } from './authCodes.ts';
import { matchRegistration } from './registrationMatch.ts';
import { terminalRegisteredEntry } from './state/terminalEvents.ts';
import type { StoredRegistration, TerminalStateStore } from './state/terminalStateStore.ts';
import type { TerminalRecord, TerminalRecords } from './terminalRecords.ts';
import { normalizePhone } from './terminalRecords.ts';

/** Why a 0x0100 was refused (the `reason` label of dgt_jt808_refused_total). */
export type RegisterRefusal = 'unknown-terminal' | 'terminal-mismatch' | 'vehicle-mismatch' | 'terminal-already-registered' | 'vehicle-already-registered';

/** Why a 0x0102 was refused. */
export type AuthRefusal = 'unknown-terminal' | 'not-registered' | 'auth-failed' | 'record-changed';

/** Who an authenticated connection is. */
export interface AuthenticatedTerminal {
  readonly phone: string;
  readonly vehicleId: string;
  readonly registrationId: string;
}

export type RegisterOutcome =
  | { readonly ok: true; readonly authCode: string; readonly registrationId: string }
  | { readonly ok: false; readonly result: RegisterAckResult; readonly refusal: RegisterRefusal };

export type AuthOutcome = { readonly ok: true; readonly terminal: AuthenticatedTerminal } | { readonly ok: false; readonly refusal: AuthRefusal };

/**
 * 0x8100 result for each refusal (JT/T 808 table: 1 vehicle already registered, 2 no such vehicle
 * in the database, 3 terminal already registered, 4 no such terminal in the database). A body
 * whose terminal identity differs from the phone's record is "no such terminal": that terminal is
 * not on record under this phone; a body naming another plate or colour is "no such vehicle".
 */
export const registerResults: Readonly<Record<RegisterRefusal, RegisterAckResult>> = {
  'unknown-terminal': RegisterAckResult.noSuchTerminal,
  'terminal-mismatch': RegisterAckResult.noSuchTerminal,
  'vehicle-mismatch': RegisterAckResult.noSuchVehicle,
  'terminal-already-registered': RegisterAckResult.terminalAlreadyRegistered,
  'vehicle-already-registered': RegisterAckResult.vehicleAlreadyRegistered,
};

const refuse = (refusal: RegisterRefusal): RegisterOutcome => ({ ok: false, result: registerResults[refusal], refusal });

// A registration made under an older record (other vehicle, other terminal) must not keep
// publishing under the new one: the operator resets it and the terminal registers again.
function sameRecord(r: StoredRegistration, t: TerminalRecord): boolean {
  return (
    r.vehicleId === t.vehicleId &&
    r.plate === t.plate &&
    r.plateColour === t.plateColour &&
    r.manufacturerId === t.manufacturerId &&
    r.terminalModel === t.terminalModel &&
    r.terminalId === t.terminalId
  );
}

export interface TerminalRegistrarOptions {
  readonly records: TerminalRecords;
  readonly store: TerminalStateStore;
  /** Told after each registration (its event is waiting in the outbox). */
  readonly onRegistered?: () => void;
}

/**
 * Registration and authentication against the configured records and the durable state store.
 * Registration proves the body matches the record and that nobody registered this terminal
 * before; it is the only moment a code is handed out, once. Authentication is the only way to
 * become a terminal.
 */
export class TerminalRegistrar {
  constructor(private readonly options: TerminalRegistrarOptions) {}

  get size(): number {
    return this.options.records.size;
  }

  /** `atIso`: receipt time, the event's occurredAt. */
  register(headerPhone: string, body: RegisterMessage, atIso: string): RegisterOutcome {
    const record = this.options.records.lookup(headerPhone);
    if (record === undefined) return refuse('unknown-terminal');
    const match = matchRegistration(record, body);
    if (match !== 'match') return refuse(match);
    const authCode = issueAuthCode();
    const registrationId = randomUUID();
    const registration: StoredRegistration = {
      phone: record.phone,
      registrationId,
      vehicleId: record.vehicleId,
      plate: record.plate,
      plateColour: record.plateColour,
      manufacturerId: record.manufacturerId,
      terminalModel: record.terminalModel,
      terminalId: record.terminalId,
      codeSha256: hashAuthCode(authCode),
      registeredAt: atIso,
    };
    const event = terminalRegisteredEntry(
      {
        phone: record.phone,
        vehicleId: record.vehicleId,
        plateNo: record.plate,
        plateColour: record.plateColour,
        manufacturerId: record.manufacturerId,
        terminalModel: record.terminalModel,
        terminalId: record.terminalId,
      },
      registrationId,
      atIso,
    );
    const stored = this.options.store.register(registration, event);
    if (stored !== 'registered') return refuse(stored);
    this.options.onRegistered?.();
    return { ok: true, authCode, registrationId };
  }

  authenticate(headerPhone: string, presentedCode: string): AuthOutcome {
    const record = this.options.records.lookup(headerPhone);
    if (record === undefined) return { ok: false, refusal: 'unknown-terminal' };
    const registration = this.options.store.registration(record.phone);
    if (registration === undefined) return { ok: false, refusal: 'not-registered' };
    if (!authCodeMatches(registration.codeSha256, presentedCode)) return { ok: false, refusal: 'auth-failed' };
    if (!sameRecord(registration, record)) return { ok: false, refusal: 'record-changed' };
    return { ok: true, terminal: { phone: record.phone, vehicleId: record.vehicleId, registrationId: registration.registrationId } };
  }

  /** Still the phone's registration? False after `dgt terminals reset` (and a new registration). */
  isCurrent(terminal: AuthenticatedTerminal): boolean {
    return this.options.store.registration(normalizePhone(terminal.phone))?.registrationId === terminal.registrationId;
  }
}

import { normalizePhone } from '../terminalRecords.ts';
import { terminalResetEntry } from './terminalEvents.ts';
import type { RegistrationSummary, TerminalStateStore } from './terminalStateStore.ts';

export interface ResetRequest {
  /** Phone digits as the operator typed them (leading zeros do not matter). */
  readonly phone: string;
  readonly by: string;
  readonly reason?: string | undefined;
  readonly atIso: string;
}

/**
 * An operator clears a terminal's registration so it may register once more: the stored code
 * hash goes (the old code no longer authenticates, and the gateway closes a connection that
 * authenticated with it), and a TerminalRegistrationReset waits in the outbox for the gateway to
 * publish. Returns the registration that was cleared, or undefined if the phone had none.
 */
export function resetTerminal(store: TerminalStateStore, request: ResetRequest): RegistrationSummary | undefined {
  const phone = normalizePhone(request.phone);
  const event = terminalResetEntry({ phone, by: request.by, ...(request.reason === undefined ? {} : { reason: request.reason }) }, request.atIso);
  return store.reset(phone, event);
}

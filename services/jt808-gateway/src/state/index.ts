// What `dgt terminals` needs of the gateway's state, without the gateway (no bus, no sockets).
export { openTerminalStateStore, StateStoreError, type OpenStateStoreOptions, type OutboxEntry, type RegistrationSummary, type TerminalStateStore } from './terminalStateStore.ts';
export { resetTerminal, type ResetRequest } from './resetTerminal.ts';
export { TerminalEventError } from './terminalEvents.ts';

import { parseArgs } from 'node:util';
import { type RegistrationSummary, StateStoreError, TerminalEventError, type TerminalStateStore, openTerminalStateStore, resetTerminal } from '@dgt/jt808-gateway/state';
import { type Io, UsageError } from '../io.ts';

export const terminalsHelp = `Usage: dgt terminals list --state <path> [--json]
       dgt terminals reset <phone> --state <path> --by <operator> [--reason <text>]

JT/T 808 terminal registrations, in the gateway's state file (JT808_STATE_PATH). A terminal
registers once and gets a random auth code; a second registration is refused (0x8100 result 3)
until an operator resets it here — after a terminal lost its code, was replaced, or someone else
registered first.

  list    registered terminals: phone, vehicle, plate, identity, when (never codes or hashes)
  reset   clear a terminal's registration: its old code stops authenticating (the gateway closes
          a connection still using it) and it may register once more. Records a
          TerminalRegistrationReset event, which the gateway publishes (it needs no bus here).

Options:
  --state <path>    the gateway's state file (must exist)
  --by <operator>   who resets (recorded in the event; required for reset)
  --reason <text>   why (recorded in the event)
  --json            list as NDJSON
  -h, --help        show this help

Exit codes: 0 done, 1 nothing to reset or no state file, 2 usage.`;

export async function terminals(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      state: { type: 'string' },
      by: { type: 'string' },
      reason: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    io.stdout.write(terminalsHelp + '\n');
    return values.help ? 0 : 2;
  }
  if (action !== 'list' && action !== 'reset') throw new UsageError(`unknown action "${action}" (list or reset)\n\n${terminalsHelp}`);
  if (values.state === undefined) throw new UsageError('--state <path> is required (the gateway\'s JT808_STATE_PATH)');
  if (action === 'reset') {
    if (rest.length !== 1 || !/^\d{1,20}$/.test(rest[0]!)) throw new UsageError('reset takes one phone number (1–20 digits)');
    if (values.by === undefined || values.by.trim() === '') throw new UsageError('--by <operator> is required: a reset is recorded with who made it');
  } else if (rest.length !== 0) {
    throw new UsageError('list takes no arguments');
  }

  let store: TerminalStateStore;
  try {
    // A reset an operator was told is done must survive a power cut.
    store = openTerminalStateStore({ path: values.state, create: false, synchronous: 'FULL' });
  } catch (e) {
    if (e instanceof StateStoreError) {
      io.stderr.write(`dgt terminals: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  try {
    if (action === 'list') {
      const rows = store.list();
      if (values.json) for (const r of rows) io.stdout.write(JSON.stringify(r) + '\n');
      else {
        io.stdout.write(['phone', 'vehicleId', 'plate', 'colour', 'manufacturer', 'model', 'terminalId', 'registeredAt'].join('\t') + '\n');
        for (const r of rows) io.stdout.write([r.phone, r.vehicleId, r.plate, r.plateColour, r.manufacturerId, r.terminalModel, r.terminalId, r.registeredAt].join('\t') + '\n');
      }
      io.stderr.write(`${rows.length} registered terminal(s); ${store.pendingEventCount} event(s) waiting for the gateway to publish\n`);
      return 0;
    }
    const phone = rest[0]!;
    let cleared: RegistrationSummary | undefined;
    try {
      cleared = resetTerminal(store, { phone, by: values.by!.trim(), reason: values.reason, atIso: new Date().toISOString() });
    } catch (e) {
      if (e instanceof TerminalEventError) throw new UsageError(e.message);
      throw e;
    }
    if (cleared === undefined) {
      io.stderr.write(`dgt terminals: terminal ${phone} is not registered: nothing to reset\n`);
      return 1;
    }
    io.stdout.write(
      `reset terminal ${cleared.phone} (vehicle ${cleared.vehicleId}, registered ${cleared.registeredAt}): its old code no longer authenticates and it may register once more\n` +
        `TerminalRegistrationReset is waiting in ${values.state}; the gateway publishes it\n`,
    );
    return 0;
  } finally {
    store.close();
  }
}

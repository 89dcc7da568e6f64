import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '@dgt/datadir';
import { normalizePhone, resetTerminal, type TerminalEntry, type TerminalStateStore } from '@dgt/jt808-gateway';

export const DEMO_TERMINAL_CODES_FILE = 'demo-jt808-codes.json';

const note = 'Auth codes the JT/T 808 gateway issued to the demo\'s simulated terminals, kept as real terminals keep theirs. Secrets: mode 0600.';

/**
 * The simulated terminals' auth codes, kept in `<dataDir>/demo-jt808-codes.json` (mode 0600): the
 * gateway registers a terminal once and stores only the code's hash, so a terminal that forgot its
 * code would be refused until an operator resets it. A torn or hand-edited file only costs the
 * codes (the stack then resets those terminals, see `resetStrandedTerminals`).
 */
export class DemoTerminalCodes {
  readonly path: string;
  private readonly codes: Map<string, string>;

  constructor(dataDir: string) {
    this.path = join(dataDir, DEMO_TERMINAL_CODES_FILE);
    this.codes = readCodes(this.path);
  }

  /** By phone as the terminal writes it. */
  get byPhone(): ReadonlyMap<string, string> {
    return this.codes;
  }

  /** Keeps a newly issued code (written at once: the registration it stands for is already durable). */
  keep(phone: string, code: string): void {
    this.codes.set(phone, code);
    this.write();
  }

  forget(phone: string): void {
    if (this.codes.delete(phone)) this.write();
  }

  private write(): void {
    mkdirSync(join(this.path, '..'), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writePrivateFile(tmp, `${JSON.stringify({ note, codes: Object.fromEntries(this.codes) }, null, 2)}\n`);
    renameSync(tmp, this.path);
  }
}

function readCodes(path: string): Map<string, string> {
  if (!existsSync(path)) return new Map();
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { codes?: Record<string, unknown> };
    return new Map(Object.entries(raw.codes ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new Map();
  }
}

/**
 * Before the gateway accepts terminals: a simulated terminal registered earlier whose code the demo
 * no longer holds, or whose record changed since (terminals.json edited), could never log in
 * again; the demo resets its registration (`TerminalRegistrationReset`, by `npm start`), as an
 * operator would with `dgt terminals reset`, so it registers afresh. Returns the phones reset.
 */
export function resetStrandedTerminals(state: TerminalStateStore, simulated: readonly TerminalEntry[], codes: DemoTerminalCodes, nowIso: string): string[] {
  const reset: string[] = [];
  for (const t of simulated) {
    const registered = state.registration(normalizePhone(t.phone));
    if (registered === undefined) continue;
    const sameRecord =
      registered.vehicleId === (t.vehicleId ?? t.plate) && registered.plate === t.plate && registered.plateColour === t.plateColour &&
      registered.manufacturerId === t.manufacturerId.trim() && registered.terminalModel === t.terminalModel.trim() && registered.terminalId === t.terminalId.trim();
    if (codes.byPhone.has(t.phone) && sameRecord) continue;
    resetTerminal(state, { phone: t.phone, by: 'npm start (demo)', reason: sameRecord ? 'the simulated terminal lost its auth code' : 'the terminal record changed', atIso: nowIso });
    codes.forget(t.phone);
    reset.push(t.phone);
  }
  return reset;
}

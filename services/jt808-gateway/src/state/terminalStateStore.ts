import { preparePrivateSqliteFile } from '@dgt/datadir';
import Database from 'better-sqlite3';

/** A registration as listed to operators: everything but the auth code's hash. */
export interface RegistrationSummary {
  readonly phone: string;
  /** Random per registration: tells a connection authenticated before a reset from one after it. */
  readonly registrationId: string;
  readonly vehicleId: string;
  readonly plate: string;
  readonly plateColour: number;
  readonly manufacturerId: string;
  readonly terminalModel: string;
  readonly terminalId: string;
  readonly registeredAt: string;
}

export interface StoredRegistration extends RegistrationSummary {
  /** SHA-256 (hex) of the auth code issued with this registration; the code itself is never stored. */
  readonly codeSha256: string;
}

/** An event waiting to be published to the consignments topic. */
export interface OutboxEntry {
  readonly eventId: string;
  readonly type: string;
  /** Message key (`terminal:<phone>`). */
  readonly key: string;
  /** Canonical JSON of the event. */
  readonly json: string;
}

export interface PendingOutboxEntry extends OutboxEntry {
  readonly seq: number;
}

export type RegisterResult = 'registered' | 'terminal-already-registered' | 'vehicle-already-registered';

export interface TerminalStateStore {
  readonly path: string;
  registration(phone: string): StoredRegistration | undefined;
  /**
   * Stores a registration and its event in one transaction, unless the phone is registered
   * already, or the vehicle is, by another phone (a registration left from an older record).
   */
  register(registration: StoredRegistration, event: OutboxEntry): RegisterResult;
  /** Deletes a phone's registration and stores the reset event, in one transaction; undefined if it had none. */
  reset(phone: string, event: OutboxEntry): RegistrationSummary | undefined;
  list(): RegistrationSummary[];
  /** The oldest events not yet published. */
  pendingEvents(limit: number): PendingOutboxEntry[];
  /** Forgets events the bus has acknowledged. */
  markPublished(seqs: readonly number[]): void;
  readonly pendingEventCount: number;
  /** True when another process (`dgt terminals`) committed changes since the last call. */
  changedElsewhere(): boolean;
  close(): void;
}

export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  constructor(
    readonly code: 'NOT_FOUND' | 'NEWER_SCHEMA',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const SCHEMA_VERSION = 1;

const schema = `
CREATE TABLE IF NOT EXISTS registrations (
  phone TEXT PRIMARY KEY,
  registration_id TEXT NOT NULL,
  vehicle_id TEXT NOT NULL,
  plate TEXT NOT NULL,
  plate_colour INTEGER NOT NULL,
  manufacturer_id TEXT NOT NULL,
  terminal_model TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  code_sha256 TEXT NOT NULL,
  registered_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS registrations_by_vehicle ON registrations (vehicle_id);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  event_type TEXT NOT NULL,
  message_key TEXT NOT NULL,
  event_json TEXT NOT NULL
) STRICT;
`;

interface RegistrationRow {
  phone: string;
  registration_id: string;
  vehicle_id: string;
  plate: string;
  plate_colour: number;
  manufacturer_id: string;
  terminal_model: string;
  terminal_id: string;
  code_sha256: string;
  registered_at: string;
}

const summary = (r: RegistrationRow): RegistrationSummary => ({
  phone: r.phone,
  registrationId: r.registration_id,
  vehicleId: r.vehicle_id,
  plate: r.plate,
  plateColour: r.plate_colour,
  manufacturerId: r.manufacturer_id,
  terminalModel: r.terminal_model,
  terminalId: r.terminal_id,
  registeredAt: r.registered_at,
});

export interface OpenStateStoreOptions {
  readonly path: string;
  /** Create the file if it does not exist (the gateway); `dgt terminals` opens an existing one only. */
  readonly create: boolean;
  /**
   * `FULL` syncs every commit to disk (an operator's reset survives a power cut); `NORMAL` (the
   * default) survives a killed process and syncs at checkpoints. The gateway uses NORMAL: a
   * registration costs no fsync, so a fleet registering at once does not stall every other
   * terminal's acks, and one lost to a power cut heals itself — the terminal's code then fails,
   * and it registers again (its event was lost with it, in the same transaction).
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

/**
 * The JT/T 808 gateway's durable state: terminal registrations (hashed auth codes) and an outbox
 * of TerminalRegistered / TerminalRegistrationReset events. A SQLite file in WAL mode, owner-only
 * (0600, with its -wal and -shm), shared by the gateway and `dgt terminals` (another process),
 * so an operator's reset needs neither a running gateway nor a bus: the event waits in the
 * outbox, written in the same transaction as the change it records, until the gateway publishes it.
 */
export function openTerminalStateStore(options: OpenStateStoreOptions): TerminalStateStore {
  const { path } = options;
  // Owner-only (0600) before SQLite opens it, so its -wal and -shm are created 0600 too.
  if (options.create) preparePrivateSqliteFile(path);
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (e) {
    throw new StateStoreError('NOT_FOUND', `no JT/T 808 gateway state at ${path} (${(e as Error).message})`, { cause: e });
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new StateStoreError('NEWER_SCHEMA', `${path} was written by a newer gateway (schema ${version}, this one reads ${SCHEMA_VERSION})`);
    if (version < SCHEMA_VERSION) {
      db.exec(schema);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
  } catch (e) {
    db.close();
    throw e;
  }

  const selectRegistration = db.prepare<[string], RegistrationRow>('SELECT * FROM registrations WHERE phone = ?');
  const selectVehicleHolder = db.prepare<[string, string], { phone: string }>('SELECT phone FROM registrations WHERE vehicle_id = ? AND phone <> ? LIMIT 1');
  const insertRegistration = db.prepare(
    `INSERT INTO registrations (phone, registration_id, vehicle_id, plate, plate_colour, manufacturer_id, terminal_model, terminal_id, code_sha256, registered_at)
     VALUES (@phone, @registrationId, @vehicleId, @plate, @plateColour, @manufacturerId, @terminalModel, @terminalId, @codeSha256, @registeredAt)`,
  );
  const deleteRegistration = db.prepare<[string]>('DELETE FROM registrations WHERE phone = ?');
  const selectAll = db.prepare<[], RegistrationRow>('SELECT * FROM registrations ORDER BY phone');
  const insertEvent = db.prepare<[string, string, string, string]>('INSERT INTO outbox (event_id, event_type, message_key, event_json) VALUES (?, ?, ?, ?)');
  const selectEvents = db.prepare<[number], { seq: number; event_id: string; event_type: string; message_key: string; event_json: string }>(
    'SELECT seq, event_id, event_type, message_key, event_json FROM outbox ORDER BY seq LIMIT ?',
  );
  const deleteEvent = db.prepare<[number]>('DELETE FROM outbox WHERE seq = ?');
  const countEvents = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox');
  const enqueue = (e: OutboxEntry) => insertEvent.run(e.eventId, e.type, e.key, e.json);

  // IMMEDIATE: take the write lock before reading, so the gateway and the CLI cannot both see
  // "not registered" and both write.
  const register = db.transaction((r: StoredRegistration, event: OutboxEntry): RegisterResult => {
    if (selectRegistration.get(r.phone) !== undefined) return 'terminal-already-registered';
    if (selectVehicleHolder.get(r.vehicleId, r.phone) !== undefined) return 'vehicle-already-registered';
    insertRegistration.run(r);
    enqueue(event);
    return 'registered';
  });
  const reset = db.transaction((phone: string, event: OutboxEntry): RegistrationSummary | undefined => {
    const row = selectRegistration.get(phone);
    if (row === undefined) return undefined;
    deleteRegistration.run(phone);
    enqueue(event);
    return summary(row);
  });
  const markPublished = db.transaction((seqs: readonly number[]) => {
    for (const s of seqs) deleteEvent.run(s);
  });
  let dataVersion = db.pragma('data_version', { simple: true }) as number;

  return {
    path,
    registration(phone) {
      const row = selectRegistration.get(phone);
      return row === undefined ? undefined : { ...summary(row), codeSha256: row.code_sha256 };
    },
    register: (r, event) => register.immediate(r, event),
    reset: (phone, event) => reset.immediate(phone, event),
    list: () => selectAll.all().map(summary),
    pendingEvents: (limit) =>
      selectEvents.all(limit).map((r) => ({ seq: r.seq, eventId: r.event_id, type: r.event_type, key: r.message_key, json: r.event_json })),
    markPublished: (seqs) => markPublished(seqs),
    get pendingEventCount() {
      return countEvents.get()!.n;
    },
    changedElsewhere() {
      // data_version moves only when another connection commits (SQLite's documented meaning).
      const now = db.pragma('data_version', { simple: true }) as number;
      const changed = now !== dataVersion;
      dataVersion = now;
      return changed;
    },
    close: () => db.close(),
  };
}

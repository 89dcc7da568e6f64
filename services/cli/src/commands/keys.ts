import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { apiKeyEntry, generateApiKey, hashApiKey, roleProblem } from '@dgt/http';
import { openSqliteReadModelStore } from '@dgt/readmodels';
import { type Io, UsageError } from '../io.ts';

export const keysHelp = `Usage: dgt keys new --role <role> [--id <id>]
       dgt keys hash <key>

Makes API keys for dgt's services. Services store only the SHA-256 of each key
(DGT_API_KEYS='[{"id":…,"role":…,"sha256":…}]'); the key itself is printed once, here.

Roles:
  bureau               reads everything
  enforcement          reads everything, runs audits
  planner              reads the planning answers (lot occupancy, parking demand, candidate
                       areas for new lots, segment exposure) and the zones; no vehicle, violation or case
  carrier:<carrierId>  reads that carrier's vehicles, violations, consignments, for the time it owned them
  ingest               posts positions, consignment events and zones (any carrier's)
  ingest:<carrierId>   posts positions and consignment events of that carrier's vehicles and waybills only
  registry             posts the register (CarrierRegistered, VehicleRegistered, VehicleTransferred) and zones
  metrics              reads /metrics

  new    a new random key and its configuration entry (JSON) for DGT_API_KEYS
  hash   the configuration entry's sha256 for a key you already have

A carrier role names a carrier of the register: \`new\` looks it up in the read
models (--readmodels, else ./data/readmodels.sqlite, the \`npm start\` default) and refuses one the register does not know. With no read
models to ask it says so and makes the key.

Options:
  --role <role>          the role the key grants (required for new)
  --id <id>              the key's id in logs and audit records (default: <role>-<8 hex>)
  --readmodels <path>    read-model file whose register names the carriers
  --allow-unknown-carrier  make a carrier key for a carrier not registered yet
  -h, --help             show this help`;

/** `defaultReadModels`: where the register is looked for without --readmodels (tests point it elsewhere). */
export async function keys(argv: string[], io: Io, defaultReadModels = resolve('data', 'readmodels.sqlite')): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      id: { type: 'string' },
      readmodels: { type: 'string' },
      'allow-unknown-carrier': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    io.stdout.write(keysHelp + '\n');
    return values.help ? 0 : 2;
  }
  if (action === 'hash') {
    if (rest.length !== 1) throw new UsageError(`hash takes one key\n\n${keysHelp}`);
    io.stdout.write(hashApiKey(rest[0] as string) + '\n');
    return 0;
  }
  if (action !== 'new') throw new UsageError(`unknown action "${action}" (new or hash)\n\n${keysHelp}`);
  if (values.role === undefined) throw new UsageError('--role is required (bureau, enforcement, planner, carrier:<carrierId>, ingest, ingest:<carrierId>, registry or metrics)');
  const problem = roleProblem(values.role);
  if (problem !== undefined) throw new UsageError(`--role: ${problem}`);
  const colon = values.role.indexOf(':');
  if (colon > 0 && !values['allow-unknown-carrier']) await checkCarrier(values.role.slice(colon + 1), values.readmodels, defaultReadModels, io);
  const key = generateApiKey();
  const id = values.id ?? `${values.role.replace(':', '-')}-${hashApiKey(key).slice(0, 8)}`;
  const entry = apiKeyEntry.safeParse({ id, role: values.role, sha256: hashApiKey(key) });
  if (!entry.success) throw new UsageError(entry.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  io.stdout.write(`key (shown once; give it to the client): ${key}\nentry for DGT_API_KEYS: ${JSON.stringify(entry.data)}\n`);
  return 0;
}

/**
 * Refuses a carrier the register does not know (a typo would make a key that sees nothing). Reads
 * the read models read-only; with none to read, says the carrier was not checked.
 */
async function checkCarrier(carrierId: string, given: string | undefined, fallback: string, io: Io): Promise<void> {
  const path = given ?? fallback;
  if (!existsSync(path)) {
    if (given !== undefined) throw new UsageError(`--readmodels: no such file ${path}`);
    io.stderr.write(`dgt keys: carrier ${carrierId} not checked: no read models at ${path} (pass --readmodels to check it)\n`);
    return;
  }
  const store = await openSqliteReadModelStore({ path, readonly: true });
  try {
    if ((await store.carrier(carrierId, { carrierId: null })) !== undefined) return;
    const known = (await store.registrations()).flatMap((r) => r.periods.map((p) => p.carrierId));
    const distinct = [...new Set(known)].sort();
    const list = distinct.slice(0, 12);
    throw new UsageError(
      `--role: carrier ${JSON.stringify(carrierId)} is not in the register at ${path}` +
        (list.length > 0 ? ` (carriers with vehicles: ${list.join(', ')}${distinct.length > list.length ? ', …' : ''})` : ' (it registers no vehicle yet)') +
        '; register it first, or pass --allow-unknown-carrier',
    );
  } finally {
    await store.close();
  }
}

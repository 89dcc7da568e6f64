import { parseArgs } from 'node:util';
import { apiKeyEntry, generateApiKey, hashApiKey, roleProblem } from '@dgt/http';
import { type Io, UsageError } from '../io.ts';

export const keysHelp = `Usage: dgt keys new --role <role> [--id <id>]
       dgt keys hash <key>

Makes API keys for dgt's services. Services store only the SHA-256 of each key
(DGT_API_KEYS='[{"id":…,"role":…,"sha256":…}]'); the key itself is printed once, here.

Roles:
  bureau               reads everything
  enforcement          reads everything, runs audits
  carrier:<carrierId>  reads that carrier's vehicles, violations, consignments, for the time it owned them
  ingest               posts positions, consignment events and zones (any carrier's)
  ingest:<carrierId>   posts positions and consignment events of that carrier's vehicles and waybills only
  registry             posts the register (CarrierRegistered, VehicleRegistered, VehicleTransferred) and zones
  metrics              reads /metrics

  new    a new random key and its configuration entry (JSON) for DGT_API_KEYS
  hash   the configuration entry's sha256 for a key you already have

Options:
  --role <role>   the role the key grants (required for new)
  --id <id>       the key's id in logs and audit records (default: <role>-<8 hex>)
  -h, --help      show this help`;

export async function keys(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, id: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
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
  if (values.role === undefined) throw new UsageError('--role is required (bureau, enforcement, carrier:<carrierId>, ingest, ingest:<carrierId>, registry or metrics)');
  const problem = roleProblem(values.role);
  if (problem !== undefined) throw new UsageError(`--role: ${problem}`);
  const key = generateApiKey();
  const id = values.id ?? `${values.role.replace(':', '-')}-${hashApiKey(key).slice(0, 8)}`;
  const entry = apiKeyEntry.safeParse({ id, role: values.role, sha256: hashApiKey(key) });
  if (!entry.success) throw new UsageError(entry.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  io.stdout.write(`key (shown once; give it to the client): ${key}\nentry for DGT_API_KEYS: ${JSON.stringify(entry.data)}\n`);
  return 0;
}

import { parseArgs } from 'node:util';
import { type Io, UsageError } from '../io.ts';
import { evidenceFetch } from './evidenceFetch.ts';
import { evidenceVerify } from './evidenceVerify.ts';

export const evidenceHelp = `Usage: dgt evidence <caseId> --out <dir> --key-file <file> [--api <url>]
       dgt evidence verify <dir> [--public-key <file>]

dgt evidence <caseId> downloads the case's signed evidence pack from the API
(GET /v1/cases/<caseId>/evidence-pack), unpacks it into <dir> (new or empty) and
verifies it against the key the API publishes (GET /v1/evidence/public-key).
  --out <dir>          where the pack's files go
  --key-file <file>    a file holding your API key (bureau, enforcement, or the
                       case's carrier); never put a key on the command line
  --api <url>          the API (default http://127.0.0.1:8080, as npm start)
Exit codes: 0 fetched and intact, 3 not intact, 1 not fetched (unreachable,
refused, no such case), 2 usage.

dgt evidence verify:

Verifies a signed evidence pack offline: every file against the SHA-256 in its
manifest.json, and manifest.sig (Ed25519) against the manifest's exact bytes.
Reports every problem, one per line: a file altered, missing or added, an
invalid signature, a pack signed by another key than the one given.

A pack directory holds manifest.json, manifest.sig, public-key.pem, case.json,
report.html, report.json, report.csv and attachments/<sha256>-<name>
(see libs/evidence/README.md).

Options:
  --public-key <file>  the key the pack must be signed by: the bureau's published
                       key (PEM, base64 DER or JWK). Without it the pack's own
                       public-key.pem is used, which proves the files are unchanged
                       since signing but not who signed them (a warning says so).
  -h, --help           show this help

Exit codes: 0 intact and signed by the key, 3 anything altered, missing, added
or a signature that does not verify, 2 usage (bad option, no such directory,
unreadable key).`;

export async function evidence(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'public-key': { type: 'string' },
      out: { type: 'string' },
      'key-file': { type: 'string' },
      api: { type: 'string', default: 'http://127.0.0.1:8080' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    io.stdout.write(evidenceHelp + '\n');
    return values.help ? 0 : 2;
  }
  if (action !== 'verify') {
    // dgt evidence <caseId> --out <dir>
    if (rest.length > 0) throw new UsageError(`dgt evidence <caseId> takes one case id, got ${rest.length + 1}\n\n${evidenceHelp}`);
    if (values.out === undefined) throw new UsageError(`dgt evidence ${action}: --out <dir> is required\n\n${evidenceHelp}`);
    if (values['key-file'] === undefined) throw new UsageError(`dgt evidence ${action}: --key-file <file> is required (a file holding your API key)\n\n${evidenceHelp}`);
    return evidenceFetch({ caseId: action, out: values.out, api: values.api, keyFile: values['key-file'] }, io);
  }
  if (rest.length !== 1) throw new UsageError(`verify takes one pack directory${rest.length > 1 ? `, got ${rest.length}` : ''}\n\n${evidenceHelp}`);
  return evidenceVerify(rest[0] as string, values['public-key'], io);
}

import { PassThrough } from 'node:stream';
import { hashApiKey, keyLookup, parseApiKeys } from '@dgt/http';
import { describe, expect, it } from 'vitest';
import { keys, keysHelp } from '../src/commands/keys.ts';
import { type Io, UsageError } from '../src/io.ts';

function io(): Io & { out: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  return { stdin: new PassThrough(), stdout, stderr: new PassThrough(), out: () => text };
}

async function usageError(argv: string[]): Promise<string> {
  try {
    await keys(argv, io());
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`dgt keys ${argv.join(' ')} did not fail`);
}

describe('dgt keys', () => {
  it('lists every role in its help, the registry and carrier-scoped ingest keys included', () => {
    for (const role of ['bureau', 'enforcement', 'planner', 'carrier:<carrierId>', 'ingest', 'ingest:<carrierId>', 'registry', 'metrics']) expect(keysHelp).toContain(`  ${role} `);
  });

  it('makes a registry key and an ingest key for one carrier whose entries authenticate as those roles', async () => {
    for (const [role, principal] of [
      ['registry', { role: 'registry' }],
      ['ingest:C001', { role: 'ingest', carrierId: 'C001' }],
    ] as const) {
      const out = io();
      // No register to ask here (keysRegister.int.test.ts has one).
      expect(await keys(['new', '--role', role], out, '/nonexistent/readmodels.sqlite')).toBe(0);
      const key = /key \(shown once; give it to the client\): (\S+)/.exec(out.out())?.[1] as string;
      const entry = JSON.parse(/entry for DGT_API_KEYS: (.+)/.exec(out.out())?.[1] as string) as { id: string; role: string; sha256: string };
      expect(entry).toMatchObject({ role, sha256: hashApiKey(key) });
      expect(keyLookup(parseApiKeys(JSON.stringify([entry])))(key)).toMatchObject(principal);
    }
  });

  it('names an unknown role and the roles there are', async () => {
    expect(await usageError(['new', '--role', 'admin'])).toBe('--role: unknown role "admin": roles are bureau, enforcement, planner, ingest, registry, metrics, carrier:<carrierId>, ingest:<carrierId>');
    expect(await usageError(['new', '--role', 'registry:C001'])).toMatch(/^--role: unknown role "registry:C001": only carrier:<carrierId> and ingest:<carrierId> name a carrier/);
    expect(await usageError(['new', '--role', 'ingest:'])).toMatch(/^--role: "ingest:": ingest:<carrierId> needs a carrier id/);
  });
});

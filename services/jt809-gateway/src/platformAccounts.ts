import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { CipherKeys, Edition } from '@dgt/jt809';
import { z } from 'zod';

/**
 * A subordinate platform the bureau accepts (a carrier's own monitoring platform, a service
 * provider's, or a province's), as configured in `JT809_PLATFORMS` / `JT809_PLATFORMS_FILE`.
 */
const u32 = z.number().int().min(0).max(0xffff_ffff);

export const downLinkSetting = z.union([
  z.literal('advertised'),
  z.literal('off'),
  z.string().regex(/^[A-Za-z0-9.:[\]-]+:\d{1,5}$/, 'must be "advertised", "off" or host:port'),
]);

export const platformAccountSchema = z.strictObject({
  /** Our name for the platform: metrics labels, event ids and its stream `platform-<id>`. */
  platformId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 . _ -'),
  name: z.string().max(200).optional(),
  /** MSG_GNSSCENTERID (接入码) the platform puts in every header. */
  accessCode: u32,
  /** USERID of its 0x1001. */
  userId: u32,
  /** SHA-256 (hex) of its 0x1001 PASSWORD (8 bytes, clear on the wire): the gateway never holds the password. */
  passwordSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
  /** Addresses (or CIDR blocks) its main link may come from; also where the down link may be opened. */
  allowedIps: z
    .array(z.string().refine(validAddressOrBlock, 'must be an IPv4/IPv6 address or CIDR block'))
    .min(1, 'must list at least one address: a platform login is accepted only from known addresses'),
  edition: z.enum(['2011', '2019']),
  /** M1 / IA1 / IC1 agreed with the platform. Present: encrypted frames are decrypted and replies encrypted; absent: clear text only. */
  encryption: z.strictObject({ m1: u32, ia1: u32, ic1: u32 }).optional(),
  /** Carriers (carrierId in the register) whose vehicles this platform may report; anything else is refused and counted. */
  carriers: z.array(z.string().min(1).max(128)).min(1, 'must name at least one carrier'),
  /** Where the down link (0x9001) goes: the address the 0x1001 advertises, a fixed host:port, or nowhere. */
  downLink: downLinkSetting.default('advertised'),
  /** Accept frames sent without escaping when, read literally, their length and CRC check out (see README). */
  acceptUnescaped: z.boolean().default(false),
});

export type PlatformAccountEntry = z.input<typeof platformAccountSchema>;

export interface PlatformAccount {
  readonly platformId: string;
  /** Its display name (`name` in the configuration), for the desk. */
  readonly name: string | undefined;
  readonly accessCode: number;
  readonly userId: number;
  readonly edition: Edition;
  readonly keys: CipherKeys | undefined;
  readonly carriers: ReadonlySet<string>;
  readonly downLink: 'advertised' | 'off' | { readonly host: string; readonly port: number };
  readonly acceptUnescaped: boolean;
  /** Is this (remote) address one the platform may connect from, or be connected to? */
  ipAllowed(address: string): boolean;
  passwordMatches(password: string): boolean;
}

export class PlatformAccountError extends Error {
  override readonly name = 'PlatformAccountError';
}

function validAddressOrBlock(text: string): boolean {
  const [ip, bits, ...rest] = text.split('/');
  if (rest.length > 0 || ip === undefined) return false;
  const family = isIP(ip);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/** `::ffff:10.1.2.3` (an IPv4 peer on a dual-stack socket) is 10.1.2.3. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The hex digest to configure as `passwordSha256` for a password. */
export function passwordSha256(password: string): string {
  return sha256(password).toString('hex');
}

function account(raw: z.output<typeof platformAccountSchema>): PlatformAccount {
  const list = new BlockList();
  for (const entry of raw.allowedIps) {
    const [ip, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(bits), family);
  }
  const hash = Buffer.from(raw.passwordSha256, 'hex');
  let downLink: PlatformAccount['downLink'];
  if (raw.downLink === 'advertised' || raw.downLink === 'off') downLink = raw.downLink;
  else {
    const at = raw.downLink.lastIndexOf(':');
    downLink = { host: raw.downLink.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(raw.downLink.slice(at + 1)) };
  }
  return {
    platformId: raw.platformId,
    name: raw.name,
    accessCode: raw.accessCode,
    userId: raw.userId,
    edition: raw.edition,
    keys: raw.encryption,
    carriers: new Set(raw.carriers),
    downLink,
    acceptUnescaped: raw.acceptUnescaped,
    ipAllowed: (address) => {
      const ip = plainAddress(address);
      const family = isIP(ip);
      return family !== 0 && list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
    },
    // Constant time: the comparison must not tell a guesser how much of the digest matched.
    passwordMatches: (password) => timingSafeEqual(sha256(password), hash),
  };
}

export interface PlatformAccounts {
  /** The platform whose access code (MSG_GNSSCENTERID) this is. */
  byAccessCode(accessCode: number): PlatformAccount | undefined;
  readonly all: readonly PlatformAccount[];
}

/** Validates the entries (one platform per id and per access code) and indexes them by access code. */
export function createPlatformAccounts(entries: readonly PlatformAccountEntry[]): PlatformAccounts {
  const byCode = new Map<number, PlatformAccount>();
  const ids = new Set<string>();
  const all: PlatformAccount[] = [];
  entries.forEach((entry, i) => {
    const parsed = platformAccountSchema.safeParse(entry);
    if (!parsed.success) throw new PlatformAccountError(`${i}: ${parsed.error.issues.map((x) => `${x.path.join('.') || '(entry)'}: ${x.message}`).join('; ')}`);
    const a = account(parsed.data);
    if (ids.has(a.platformId)) throw new PlatformAccountError(`${i}.platformId: ${a.platformId} is configured twice`);
    if (byCode.has(a.accessCode)) throw new PlatformAccountError(`${i}.accessCode: ${a.accessCode} is already ${byCode.get(a.accessCode)!.platformId}'s`);
    ids.add(a.platformId);
    byCode.set(a.accessCode, a);
    all.push(a);
  });
  return { byAccessCode: (code) => byCode.get(code), all };
}

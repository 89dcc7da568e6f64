import type { LoginRequest } from '@dgt/jt809';
import { LoginResult } from '@dgt/jt809';
import type { PlatformAccount, PlatformAccounts } from './platformAccounts.ts';

/** Why a 0x1001 was refused: the `reason` label of dgt_jt809_logins_total. */
export type LoginRefusal = 'unknown-access-code' | 'ip-not-allowed' | 'unknown-user' | 'bad-password';

export type LoginOutcome =
  | { readonly ok: true; readonly account: PlatformAccount }
  | { readonly ok: false; readonly reason: LoginRefusal; readonly result: number; readonly account: PlatformAccount | undefined };

const refused = (reason: LoginRefusal, result: number, account: PlatformAccount | undefined): LoginOutcome => ({ ok: false, reason, result, account });

/**
 * The 0x1002 result for a 0x1001, checked in the order that tells an outsider least: the access
 * code (which platform is this?), the source address (is it where that platform connects from?),
 * then the user id and the password. 2019 bodies repeat the access code; it must equal the
 * header's. Pure: the caller supplies the peer address.
 */
export function checkLogin(accounts: PlatformAccounts, centreId: number, request: LoginRequest, remoteAddress: string): LoginOutcome {
  const account = accounts.byAccessCode(centreId);
  if (account === undefined) return refused('unknown-access-code', LoginResult.badAccessCode, undefined);
  if (request.accessCode !== undefined && request.accessCode !== centreId) return refused('unknown-access-code', LoginResult.badAccessCode, account);
  if (!account.ipAllowed(remoteAddress)) return refused('ip-not-allowed', LoginResult.badIp, account);
  if (request.userId !== account.userId) return refused('unknown-user', LoginResult.unknownUser, account);
  if (!account.passwordMatches(request.password)) return refused('bad-password', LoginResult.badPassword, account);
  return { ok: true, account };
}

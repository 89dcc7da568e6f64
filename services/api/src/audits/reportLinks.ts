import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived signed links to an audit's report page, so an officer can open it in a browser (or
 * hand it to a colleague for a few minutes) without an API key in the URL or a header a browser
 * cannot send. The link names the audit and an expiry and carries an HMAC-SHA256 of both under the
 * API's link secret; nothing else is in it, so a leaked link shows one report until it expires and
 * grants nothing more. Verified in constant time.
 */
export interface ReportLinkSigner {
  /** A link to `auditId`'s page valid for the configured time from `now`. */
  sign(auditId: string, now: Date): { readonly url: string; readonly expiresAt: string };
  /** Why the link is refused, or null when it is good at `now`. */
  check(auditId: string, expires: number, sig: string, now: Date): 'expired' | 'bad-signature' | null;
  readonly ttlMs: number;
}

export const reportViewPath = (auditId: string): string => `/v1/audits/${encodeURIComponent(auditId)}/view`;

export function reportLinkSigner(secret: Uint8Array, ttlMs: number): ReportLinkSigner {
  if (secret.byteLength < 32) throw new Error('the report link secret must be at least 32 bytes');
  const mac = (auditId: string, expires: number): Buffer => createHmac('sha256', secret).update(`dgt-report-link\n${auditId}\n${expires}`).digest();
  return {
    ttlMs,
    sign(auditId, now) {
      // Whole seconds: the expiry is part of what is signed, and readable in the URL.
      const expires = Math.floor((now.getTime() + ttlMs) / 1000);
      const sig = mac(auditId, expires).toString('base64url');
      return { url: `${reportViewPath(auditId)}?expires=${expires}&sig=${sig}`, expiresAt: new Date(expires * 1000).toISOString() };
    },
    check(auditId, expires, sig, now) {
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(auditId, expires);
      // base64url decoding skips what it cannot read: compare the canonical text too.
      if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== sig) return 'bad-signature';
      if (now.getTime() >= expires * 1000) return 'expired';
      return null;
    },
  };
}

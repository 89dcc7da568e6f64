import type { FastifyReply } from 'fastify';

/**
 * A file a case or ledger cites, as a download: its cited name (ASCII fallback and the UTF-8
 * original), its type, and a CSP under which it runs nothing and loads nothing even if a
 * browser opens it inline (an archived report page is HTML).
 */
export function sendCitedFile(reply: FastifyReply, cited: { name: string; type: string }, bytes: Uint8Array): FastifyReply {
  const ascii = cited.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .type(cited.type)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(cited.name)}`)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * Base64 that decodes to exactly what it says, or undefined. `Buffer.from(text, 'base64')` skips
 * characters it does not know and ignores the spare bits of the last digit, so many texts decode to
 * the same bytes: a changed byte in manifest.sig could then go unnoticed. Only the canonical
 * encoding (standard alphabet, padded) is accepted.
 */
export function strictBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

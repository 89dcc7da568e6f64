import { randomBytes } from 'node:crypto';

/** Crockford's base 32: no I, L, O or U, so an id read out over the phone or copied from paper survives. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * A readable id for something the API creates (`C-20261203-7K3QX9` for a case, `A-…` for a
 * corrective action): the Beijing date it was made and six random characters (30 bits: a
 * collision within a day is unlikely, and refused by the store, which the caller retries).
 */
export function newReadableId(prefix: 'C' | 'A', now: Date): string {
  const day = new Date(now.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
  const random = [...randomBytes(6)].map((b) => alphabet[b & 31]).join('');
  return `${prefix}-${day}-${random}`;
}

/** What a case or action id in a path may be: ids the API made, and the policy runner's (letters, digits, `.`, `_`, `-`, `:`). */
export const caseIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

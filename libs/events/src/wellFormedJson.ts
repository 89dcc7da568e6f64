/*
 * `JSON.stringify` writes a lone UTF-16 surrogate (half of a pair, e.g. from a string cut in the
 * middle of an emoji by a terminal or an old client) as the escape `\udXXX`. That is JSON by the
 * grammar, but it decodes to no Unicode scalar value: strict parsers refuse it, and text in UTF-8
 * cannot carry it. A complete pair written as two escapes (`\ud83d\ude00`) is kept.
 *
 * Matched only where the backslash starts an escape: after an even run of backslashes, since
 * `\\` is an escaped backslash and the `ud800` after it is plain text.
 */
const surrogateEscape = /(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})(\\ud[c-f][0-9a-f]{2})?|(?<!\\)((?:\\\\)*)\\ud[c-f][0-9a-f]{2}/gi;

/** U+FFFD REPLACEMENT CHARACTER, as `String.prototype.toWellFormed` puts it. */
const REPLACEMENT = '\uFFFD';

/**
 * JSON text with every lone-surrogate escape replaced by U+FFFD: the same replacement as
 * `toWellFormed()` on every string before `JSON.stringify`, so the output is as deterministic as
 * its input. Text without any `\uD…` escape (nearly all) is returned as is after one scan.
 */
export function wellFormedJson(json: string): string {
  if (!hasSurrogateEscape(json)) return json;
  return json.replace(surrogateEscape, (match: string, before: string | undefined, _high: string | undefined, low: string | undefined, beforeLow: string | undefined) => {
    if (before !== undefined) return low === undefined ? `${before}${REPLACEMENT}` : match;
    return `${beforeLow ?? ''}${REPLACEMENT}`;
  });
}

/** `JSON.stringify` whose output is well-formed (see wellFormedJson). */
export function stringifyWellFormed(value: unknown, space?: number): string {
  return wellFormedJson(JSON.stringify(value, null, space));
}

function hasSurrogateEscape(json: string): boolean {
  return json.includes('\\ud') || json.includes('\\uD');
}

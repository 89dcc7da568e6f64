// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text safe to print on one terminal line: control characters (a newline, an escape sequence in a
 * file name someone added to a pack) shown as `\u001b` instead of acting on the terminal, so a
 * problem line cannot be split, hidden or recoloured by the pack it reports on.
 */
export function printable(text: string): string {
  return text.replace(controlCharacters, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

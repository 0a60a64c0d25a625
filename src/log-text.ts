/**
 * Untrusted text in log lines. Whatever the metadata endpoint sends (a DockerId, a container name, bytes that
 * JSON.parse copies into its error) goes through {@link quoteForLog} before it reaches `diag`: a hostile
 * endpoint must not be able to forge log lines, repaint a terminal or write megabyte lines (issue 14).
 */

/** The most characters of one untrusted string a log line carries (README § Security). */
export const MAX_LOGGED_CHARS = 128;

/**
 * Characters JSON.stringify leaves raw that still do harm in a log line or a terminal: DEL and the C1
 * controls (U+009B is CSI, U+009D OSC), the line and paragraph separators, and the bidirectional overrides
 * and isolates that reorder what a reader sees.
 */
const UNSAFE_AFTER_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` cut to {@link MAX_LOGGED_CHARS} characters (`…` marks a cut), JSON-quoted (C0 controls such as ESC,
 * CR and LF become `\u001b`, `\r`, `\n`), with the characters JSON leaves raw escaped the same way.
 */
export function quoteForLog(text: string): string {
  let shown = text;
  if (text.length > MAX_LOGGED_CHARS) {
    shown = text.slice(0, MAX_LOGGED_CHARS);
    // Do not split a surrogate pair: a lone high surrogate would be escaped, but reads as garbage.
    if (/[\ud800-\udbff]$/.test(shown)) shown = shown.slice(0, -1);
    shown += '…';
  }
  return JSON.stringify(shown).replace(UNSAFE_AFTER_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// 字数 by the 方格纸 rule, the same rule as fazhi_prep/scoring/counting.py:
// every code point takes one cell, whitespace none, and a run of ASCII
// letters/digits takes ceil(n / 2) cells (two a cell). Tested in the browser
// on tests/fixtures/char_count_vectors.json, the server's own vectors.

// Copied character for character from counting.WHITESPACE (a server test
// compares the two).
export const WHITESPACE =
  "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" +
  "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" +
  "\u2028\u2029\u202f\u205f\u3000" +
  "\u200b\u200c\u200d\u2060\ufeff";

const SPACE = new Set(WHITESPACE);

export function isAsciiAlnum(ch) {
  const c = ch.charCodeAt(0);
  return ch.length === 1 && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));
}

export function isSpace(ch) {
  return SPACE.has(ch);
}

/** Cells the text takes on 方格纸. */
export function charCount(text) {
  let count = 0;
  let run = 0;
  for (const ch of text || "") { // for…of walks code points, as Python's str does
    if (isAsciiAlnum(ch)) {
      run += 1;
      continue;
    }
    if (run) {
      count += Math.ceil(run / 2);
      run = 0;
    }
    if (!SPACE.has(ch)) count += 1;
  }
  if (run) count += Math.ceil(run / 2);
  return count;
}

/**
 * Where a count stands against the limit: "none" (no limit), "under" (below
 * M of M–N, or below the suggested floor of N字), "within" or "over".
 * `floor` comes from the server (the engine's soft-floor rule).
 */
export function limitState(count, { min = null, max = null, floor = null } = {}) {
  if (!max) return { state: "none", text: "" };
  const low = min || floor || 0;
  if (count > max) return { state: "over", text: `超出上限 ${count - max} 字` };
  if (count < low) {
    const kind = min ? "最少" : "建议不少于";
    return { state: "under", text: `距${kind} ${low} 字还差 ${low - count} 字` };
  }
  return { state: "within", text: "字数符合要求" };
}

/** Did-you-mean suggestions for misspelt field names and values. */
import { quote } from "./at";

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (OSA). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The closest candidate to `word` (edit distance), when close enough to be a likely typo: a
 * distance of at most max(1, floor(length / 3)), or a difference in case only. Ties go to the
 * candidate listed first; undefined when nothing is close or `word` is itself a candidate.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.includes(word)) return undefined;
  const sameLetters = candidates.find((c) => c.toLowerCase() === word.toLowerCase());
  if (sameLetters !== undefined) return sameLetters;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a long word costs nothing to rule out.
    if (Math.abs(word.length - candidate.length) >= bestDistance) continue;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "x"?` when a candidate is close, else an empty string. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const close = didYouMean(word, candidates);
  return close === undefined ? "" : `; did you mean ${quote(close)}?`;
}

/** `"a", "b" or "c"`: the accepted values, for messages. */
export function oneOf(values: readonly string[]): string {
  const quoted = values.map((v) => quote(v));
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

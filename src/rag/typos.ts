// Typing slips in a request ("recieve", "invocies", "custmer") mended against the words the
// catalogue knows: a word of six letters or more that the catalogue lacks becomes the nearest word
// with the same first letter within one edit (two from nine letters on), so neither side of the
// ranking loses it. Shorter words are left alone: at five letters, real words ("stuff", "three",
// "truck") sat one edit from catalogue words ("staff", "there", "track") far more often than slips.

/** Optimal string alignment distance (edits, with adjacent swaps), or max + 1 once it is beyond max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Real words one edit from a catalogue word that a slip rule cannot tell apart (a change of one
 * consonant): "chance" is no "change", "quality" no "qualify".
 */
const NOT_SLIPS = new Set(['chance', 'quality', 'equality', 'handle', 'handled', 'handling']);
const INFLECTED = /(ing|ed)$/;
const sameLetters = (a: string, b: string) => [...a].sort().join('') === [...b].sort().join('');

/** A plural's "s" alone is no slip: the stemmer meets plurals ("collection"), and "taking" is no "takings". */
const pluralOf = (word: string, candidate: string) => candidate === `${word}s` || word === `${candidate}s`;

/**
 * Whether candidate mends word rather than being another word: between two inflected forms
 * ("wanting" / "waiting", "writing" / "waiting") only letters swapped are a slip.
 */
function mends(word: string, candidate: string): boolean {
  const bothInflected = INFLECTED.test(word) && INFLECTED.test(candidate) && word.length === candidate.length;
  return !bothInflected || sameLetters(word, candidate);
}

/** Requests are free text: bound what a long-running server remembers of them. */
const MEMO_LIMIT = 10_000;

export type Corrector = (text: string) => string;

/**
 * Words typed as they sound, too short for the edit-distance mender: "wat invoices r still open",
 * "can u tel me". Mended before the intent is read, so the question stays a question.
 */
const TEXTSPEAK = new Map([
  ['wat', 'what'],
  ['wot', 'what'],
  ['wht', 'what'],
  ['r', 'are'],
  ['u', 'you'],
  ['ur', 'your'],
  ['tel', 'tell'],
  ['plz', 'please'],
  ['thru', 'through'],
  ['cud', 'could'],
  ['wud', 'would'],
  ['hav', 'have'],
  ['dunno', 'do not know'],
  ['wanna', 'want to'],
]);

/**
 * A corrector: words in known stay as they are; others may become one of targets (the words that
 * decide a ranking: names, synonyms, the thesaurus), never a word that only a description uses.
 */
export function correctorOf(known: Set<string>, targets: Set<string>): Corrector {
  const byLength = new Map<number, string[]>();
  for (const w of targets) byLength.set(w.length, [...(byLength.get(w.length) ?? []), w]);
  const memo = new Map<string, string>();
  const mend = (word: string): string => {
    const spoken = TEXTSPEAK.get(word);
    if (spoken) return spoken;
    if (word.length < 6 || known.has(word) || NOT_SLIPS.has(word) || /[0-9]/.test(word)) return word;
    let fixed = memo.get(word);
    if (fixed !== undefined) return fixed;
    if ([`${word}s`, word.slice(0, -1)].some((w) => targets.has(w) && pluralOf(word, w))) return word;
    const max = word.length >= 9 ? 2 : 1;
    let best = max + 1;
    fixed = word;
    for (let len = word.length - max; len <= word.length + max; len += 1) {
      for (const candidate of byLength.get(len) ?? []) {
        // Slips rarely hit the first letter; requiring it keeps "water" from becoming "later".
        if (candidate[0] !== word[0] || !mends(word, candidate)) continue;
        const d = editDistance(word, candidate, max);
        if (d < best) {
          best = d;
          fixed = candidate;
        }
      }
    }
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(word, fixed);
    return fixed;
  };
  return (text) => text.toLowerCase().replace(/[a-z]+/g, mend);
}

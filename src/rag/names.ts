// Proper names in a request ("just unloaded 30 tents from Outdoor Supply Co", "Feb - Mark"): words
// capitalised inside a clause name a customer, supplier, product or person, so find_operation
// must not read them as verbs or things ("Supply" is no supplying, "Mark" no marking, "Bakery"
// no product). Only the casing tells them apart, so they are set aside before the request is
// lowercased. Acronyms (BACS, SKU, VAT), months and days, and the first word of a clause (or after a comma:
// "hi, What…") stay. A name followed only by a vague word ("the Jones thing", "the Baker account")
// says nothing of what to do with it: first find who that is.

const CALENDAR = new Set(
  (
    'january february march april may june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun'
  ).split(' '),
);

/** A word starting with one capital and going on in lower case: "Supply", "Müller", "O'Brien". */
const CAPITALISED = /^\p{Lu}[\p{Ll}'’]+$/u;

/** Words that, after a name, say only that something concerns that party. */
const VAGUE = /^(thing|things|stuff|situation|business|matter|mess|saga|account|lot|people|crowd|lads)$/;

/**
 * The request with its proper names blanked out, whether it had any, and whether a name is only
 * followed by a vague word (`vague`).
 */
export function withoutNames(request: string): { text: string; named: boolean; vague: boolean } {
  let named = false;
  let vague = false;
  let afterName = false;
  let clauseStart = true;
  const parts = request.split(/(\s+)/);
  for (const [i, token] of parts.entries()) {
    if (/^\s*$/.test(token)) continue;
    const word = token.replace(/^[^\p{L}]+|[^\p{L}'’]+$/gu, '').replace(/['’]s$/u, '');
    const name = !clauseStart && CAPITALISED.test(word) && !CALENDAR.has(word.toLowerCase());
    if (afterName && !name && VAGUE.test(word.toLowerCase())) vague = true;
    // "Harris's account" is that party's own record, which the rest of the request says what to do with.
    afterName = name && !/['’]s?[^\p{L}]*$/u.test(token);
    clauseStart = /^[-–—]+$|[.!?:;,]$/.test(token);
    if (!name) continue;
    named = true;
    parts[i] = token.replace(/\p{L}[\p{L}'’]*/u, '');
  }
  return { text: parts.join(''), named, vague };
}

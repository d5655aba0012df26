// What a request asks for, read from its words rather than matched to tool texts: its actions
// (verbs of tool names, through the thesaurus), the things it names (nouns of tool names), whether
// it reads or writes, and how well each tool's verb_noun name fits that. It gives find_operation a
// ranking signal that needs no embedding model and no per-tool phrase for every wording.
import { ACTION_WORDS, THING_WORDS } from './thesaurus.js';
import { intentOf, rawWords, stem } from './terms.js';

type Kind = 'read' | 'write';
/** Verbs that ask to look, not to change anything. */
const READ_VERBS = new Set(['get', 'list', 'search', 'check', 'verify', 'reconcile', 'forecast', 'run']);
const VERBS = new Set(Object.keys(ACTION_WORDS));

interface Word {
  raw: string;
  stem: string;
  /** It opens a clause after the first: no phrase runs into it ("the shop sign, take them off"). */
  opens: boolean;
}
function wordsOf(text: string): Word[] {
  const opens = new Set(clauseStarts(text));
  return rawWords(text).map((raw, i) => ({ raw, stem: stem(raw), opens: i > 0 && opens.has(i) }));
}
/** Stems match, except that a short word must be the same word: "not" is no "note", "buy" no "buyer". */
const same = (a: Word, b: Word) => (a.raw.length <= 3 || b.raw.length <= 3 ? a.raw === b.raw : a.stem === b.stem);

/** Each key's words and phrases as word sequences, longest first: "open up" (get) wins over "open" (create). */
function phrasesOf(table: Record<string, string[]>): [string, Word[]][] {
  return Object.entries(table)
    .flatMap(([key, words]) => [key, ...words].map((w): [string, Word[]] => [key, wordsOf(w)]))
    .filter(([, seq]) => seq.length > 0)
    .sort((a, b) => b[1].length - a[1].length);
}
const ACTION_PHRASES = phrasesOf(ACTION_WORDS);
const THING_PHRASES = phrasesOf(THING_WORDS);

/** After these a word is a noun: "close the books" does not ask to book anything. */
const DETERMINERS = new Set([
  'the',
  'a',
  'an',
  'our',
  'my',
  'their',
  'his',
  'her',
  'this',
  'that',
  'these',
  'those',
  'your',
  'its',
  'of',
]);

interface Found {
  key: string;
  start: number;
  end: number;
}

/** Particles that may stand after the object of a phrasal verb: "send order 7 out", "buy mugs from". */
const PARTICLES = new Set(['in', 'out', 'off', 'up', 'back', 'from', 'down', 'away', 'against']);
const MAX_OBJECT = 3;

/**
 * The positions of seq's words from words[i], skipping determiners inside it ("summary of their
 * account") and up to three words of an object before a particle, or null.
 */
function matchAt(words: Word[], i: number, seq: Word[], taken: boolean[]): number[] | null {
  const at: number[] = [];
  let k = i;
  for (const [j, w] of seq.entries()) {
    // Determiners do not count towards the object: "put the price of the large teapot up".
    let gap = 0;
    while (
      j > 0 &&
      k < words.length &&
      !same(words[k]!, w) &&
      (DETERMINERS.has(words[k]!.raw) || (PARTICLES.has(w.raw) && j === seq.length - 1 && gap < MAX_OBJECT))
    ) {
      if (words[k]!.opens) return null;
      if (!DETERMINERS.has(words[k]!.raw)) gap += 1;
      k += 1;
    }
    if (k >= words.length || taken[k] || !same(words[k]!, w) || (j > 0 && words[k]!.opens)) return null;
    at.push(k);
    k += 1;
  }
  return at;
}

/** A verb after these states what did not happen ("haven't paid", "not shipped"): it asks no action. */
const NEGATIONS = new Set(['not', 't', 'never', 'no', 'yet']);
/**
 * A verb in a clause of time or condition sets the scene ("run the checks before I close october"):
 * it asks nothing while another verb asks ("how long before we run out" has no other).
 */
const SUBORDINATORS = new Set(['before', 'after', 'until', 'till', 'once', 'when', 'whenever', 'unless', 'since']);
const SUBJECTS = new Set(['i', 'we', 'you', 'they', 'he', 'she', 'it', 'someone', 'somebody']);
function subordinate(words: Word[], i: number): boolean {
  const prev = words[i - 1]?.raw ?? '';
  return SUBORDINATORS.has(prev) || (SUBJECTS.has(prev) && SUBORDINATORS.has(words[i - 2]?.raw ?? ''));
}

/** Words that tell who got in touch ("Mrs Patel rang") never name a thing: "rang" is no "range". */
const CONTACTED = new Set(['rang', 'rung', 'phoned', 'called', 'emailed', 'texted', 'said', 'says', 'told']);
/** Participles of a verb that is also a noun: "credit notes we've issued" names no support issue. */
const PARTICIPLES = new Set(['issued']);
const skipsThing = (w: Word) => CONTACTED.has(w.raw) || PARTICIPLES.has(w.raw);

/** Every phrase found, on words that no longer phrase has taken. */
/** "called them", "rang back": a call made, not a name to search by ("the customer called Lee"). */
const CALL_OBJECTS = new Set([
  'them',
  'him',
  'her',
  'us',
  'me',
  'back',
  'today',
  'yesterday',
  'earlier',
  'about',
  'to',
  'and',
]);
const phoned = (words: Word[], i: number) => CONTACTED.has(words[i]!.raw) && CALL_OBJECTS.has(words[i + 1]?.raw ?? '');
/** Nouns that share a stem with a verb of the thesaurus: "name Rebecca Tran" is a form's field, not "named". */
const NOUNS = new Set(['name', 'names']);

/** After these a state is said of something, not done to it: "which invoices are still open". */
const COPULAS = new Set(['is', 'are', 'was', 'were', 'still', 'stay', 'stays', 'remain', 'remains', 'being', 'been']);
const predicate = (words: Word[], i: number) => COPULAS.has(words[i - 1]?.raw ?? '') && STATES.has(words[i]!.raw);

function find(words: Word[], phrases: [string, Word[]][], verbs: boolean): Found[] {
  const taken = words.map((w, i) =>
    verbs ? phoned(words, i) || NOUNS.has(w.raw) || predicate(words, i) : skipsThing(w),
  );
  const found: Found[] = [];
  for (const [key, seq] of phrases) {
    for (let i = 0; i < words.length; i += 1) {
      const prev = words[i - 1]?.raw ?? '';
      if (verbs && (DETERMINERS.has(prev) || NEGATIONS.has(prev))) continue;
      const at = matchAt(words, i, seq, taken);
      if (!at) continue;
      if (seq.length > 1) for (const k of at) taken[k] = true;
      found.push({ key, start: i, end: at[at.length - 1]! });
    }
  }
  return found.sort((x, y) => x.start - y.start);
}

export interface Asked {
  actions: Set<string>;
  /** Things the request is about; those named only after a preposition ("for order 42") are context. */
  things: Set<string>;
  context: Set<string>;
  /** Things named in the plural ("invoices") or with a number after them ("order 42"). */
  plural: Set<string>;
  numbered: Set<string>;
  kind: Kind | null;
  /** An order that opens with a write verb ("upload the handbook"), however it is worded. */
  command: boolean;
  /** It asks who did something or what was done ("who voided invoice 240"): not to do it again. */
  audit: boolean;
  /** Things said to be missing ("no bill from the supplier yet"): their terms match nothing. */
  muted: Set<string>;
}

/** "for", "in", "to"… introduce what a request applies to ("invoices for customer 12"). */
const PREPOSITIONS = new Set(['for', 'in', 'on', 'to', 'from', 'with', 'at', 'by', 'into']);
/** Words before a command that do not change it: "could you please cancel order 4". */
const POLITE = new Set([
  'please',
  'pls',
  'can',
  'could',
  'would',
  'will',
  'you',
  'u',
  'i',
  'we',
  'want',
  'need',
  'to',
  'like',
  'd',
  'help',
  'me',
  'lets',
  'let',
  's',
  'just',
  'try',
  'quickly',
  'hey',
  'hi',
  'ok',
  'okay',
]);

/** A request that tells what happened ("Nordic Hotels asked for a quote") asks to record it. */
const TELLING = new Set([
  'says',
  'said',
  'rang',
  'phoned',
  'called',
  'emailed',
  'asked',
  'asking',
  'wants',
  'wanted',
  'complained',
  'complaining',
  'went',
  'arrived',
  'told',
  'reported',
  'just',
  'received',
  'got',
]);

const WISHES = new Set(['wants', 'wanted', 'asked', 'asking']);
const SEEING = new Set(['the', 'to', 'proof', 'copies', 'copy', 'details', 'figures', 'numbers', 'list']);

/** "who touched the records", "who deleted that": a question about past actions is one for the audit log. */
const AUDIT_THINGS = ['tool', 'call'].map(stem);
/** "what did user 4 do", "everything user 4 changed": a user's actions are in the audit log too. */
const DID = new Set(['did', 'do', 'done', 'doing', 'changed', 'touched', 'edited', 'deleted']);
/** Past forms without -ed: "who made changes to order 1500", "who put that through". */
const PAST = new Set(['did', 'made', 'took', 'put', 'sent', 'wrote', 'ran', 'set', 'gave']);
const AUDIT_KEYS = new Set(['tool', 'call']);
const CHANGING = new Set([
  'changing',
  'editing',
  'deleting',
  'removing',
  'touching',
  'messing',
  'fiddling',
  'altering',
]);
/**
 * "everything Tom did in the system", "what has Kiri changed today": with the name set aside
 * (src/rag/names.ts) a past action ends its clause or runs into where or when, never into an object.
 */
const DID_LAST =
  /\b(everything|anything|what|all) (that )?([a-z]+ )?(did|done|changed|touched|edited|deleted)( (in|on|to|with|last|this|today|yesterday|since|over|lately|recently)\b|$)/;
/** "every record_payment call since 1 Dec", "who ran void_invoice": a tool named as it is called is one for the audit log. */
const TOOL_CALLS =
  /\b[a-z]+(_[a-z]+)+ (calls?|runs?|invocations?|usage)\b|\b(ran|run|runs|used|uses|called|calls|invoked|triggered) [a-z]+(_[a-z]+)+\b/;
/** "every time someone voided an invoice", "each time anyone ran a refund": past actions, counted. */
const EVERY_TIME =
  /\b(every|each|any) ?time (someone|somebody|anyone|anybody|a user|users?|staff) [a-z]+ed\b|\b(every|each|any) ?time (someone|somebody|anyone|anybody) (ran|did|made|put|sent|gave|took|set)\b/;

function asksWhoDidIt(task: string, words: Word[], things: Found[]): boolean {
  if (TOOL_CALLS.test(task) || EVERY_TIME.test(task) || DID_LAST.test(words.map((w) => w.raw).join(' '))) return true;
  const user = things.find((t) => t.key === 'user' && isNumber(words[t.end + 1]?.raw));
  const after = user ? words.slice(user.end + 2).map((w) => w.raw) : [];
  if (after.some((w) => DID.has(w)) || / been up to\b/.test(` ${after.join(' ')}`)) return true;
  // "who changed…", "can we see who deleted…"; not "customers who ordered…", where who starts a relative clause.
  const who = words.findIndex((w, i) => w.raw === 'who' && !things.some((t) => t.end === i - 1));
  if (who < 0) return false;
  const verb = words.findIndex((w, i) => i > who && i <= who + 2 && (/ed$/.test(w.raw) || PAST.has(w.raw)));
  // "who's been in the system changing prices": a change going on is in the log too.
  if (words.slice(who + 1, who + 7).some((w) => CHANGING.has(w.raw))) return true;
  return verb > 0 && !things.some((t) => t.start <= verb && verb <= t.end && !AUDIT_KEYS.has(t.key));
}

const PERMISSION = /^(can|could|may|should|must) (i|we)\b/;
const WANTING = new Set(['wants', 'want', 'wanted', 'needs', 'ordered', 'like']);
const ORDER = stem('order');
const PRICE = /[£$€]\s?[0-9]/;
const PRODUCT = stem('product');
const POINTERS = new Set(['that', 'this', 'it', 'them']);
const isNumber = (w: string | undefined) => w !== undefined && /^[0-9]/.test(w);
const isPlural = (w: string) => w.length > 3 && w.endsWith('s') && stem(w) !== w;

/** Words that are a state when they describe things in the plural: "open complaints", "new leads". */
const STATES = new Set([
  'open',
  'new',
  'closed',
  'pending',
  'draft',
  'confirmed',
  'cancelled',
  'canceled',
  'unpaid',
  'paid',
  'overdue',
  'lost',
  'won',
  'active',
  'disabled',
  'recent',
  'latest',
]);
/** The last of the things named one after another from start: "support tickets" ends in tickets. */
function headOf(things: Found[], start: number): Found | undefined {
  let head = things.find((t) => t.start === start);
  for (let next = head; next; next = things.find((t) => t.start === head!.end + 1)) head = next;
  return head;
}

const isState = (w: string) => STATES.has(w) || /[a-z]{3}ed$/.test(w);

/** A state, or a participle ("rejected approvals", "open support tickets"), just before things in the plural. */
function asAdjective(a: Found, words: Word[], things: Found[]): Found {
  if (a.start !== a.end || !isState(words[a.start]!.raw)) return a;
  const head = headOf(things, a.end + 1);
  return head && isPlural(words[head.end]!.raw) ? { ...a, key: 'list' } : a;
}

/**
 * A request that opens by naming things in the plural ("orders waiting to ship", "bills we sent
 * this month", "draft orders nobody confirmed yet") describes records to see: its verbs say which
 * ones, not what to do.
 */
function opensWithPlural(words: Word[], opening: number, actions: Found[], things: Found[]): boolean {
  const lead = actions.find((a) => a.start === opening && a.key === 'list');
  let start = lead ? lead.end + 1 : opening;
  // "all the draft orders nobody's confirmed": a determiner after "all" changes nothing.
  while (start < words.length && DETERMINERS.has(words[start]!.raw)) start += 1;
  // A state the thesaurus does not know as a verb still describes them: "draft orders", "unpaid bills".
  while (start < words.length && isState(words[start]!.raw) && !things.some((t) => t.start === start)) start += 1;
  // The noun phrase's head is its last thing: "credit notes", "support issues".
  const head = headOf(things, start);
  return head !== undefined && isPlural(words[head.end]!.raw) && !isNumber(words[head.end + 1]?.raw);
}

/** Where each clause of the request starts: a write verb there ("…, update it pls") gives an order. */
function clauseStarts(task: string): number[] {
  const starts: number[] = [];
  let at = 0;
  // The separators are kept (odd parts): "so", "and then" are words, and the positions after them
  // must stay those of the whole request.
  for (const [i, part] of task.split(/([,;:.!?&]+|\s[-–—]+\s|\b(?:and then|then|so)\b)/).entries()) {
    if (i % 2 === 0) starts.push(at);
    at += rawWords(part).length;
  }
  return starts;
}

/** See Asked.muted. Only "no": "not shipped yet" describes orders by what they still await. */
function mutedOf(words: Word[]): Set<string> {
  const muted = new Set<string>();
  for (const [i, w] of words.entries()) {
    // "no bill from the supplier yet", "no email yet": a thing that is not there yet.
    const yet = words.slice(i + 1, i + 6).findIndex((x) => x.raw === 'yet');
    if (words[i - 1]?.raw === 'no' && yet >= 0 && !words.slice(i, i + yet + 1).some((x) => x.opens)) muted.add(w.raw);
  }
  return muted;
}

/** Statuses of leads and tickets (TOOLS.md) that a record is moved to. */
const STATUS_VALUES = new Set(['pending', 'resolved', 'closed', 'contacted', 'qualified', 'reopened']);
const MOVED_TO = new Set(['to', 'as', 'on', 'into']);

/** What an action on a bare number is done to: "confirm 1055", "void 240", "convert 31". */
const IMPLIED: Record<string, string> = {
  confirm: 'order',
  fulfill: 'order',
  cancel: 'order',
  void: 'invoice',
  convert: 'lead',
  score: 'lead',
  decide: 'approval',
};
/** Words that may follow such a number; a noun there makes it a quantity ("bin 12 of the chains"). */
const AFTER_ID = new Set(['and', 'for', 'pls', 'please', 'now', 'today', 'as', 'but', 'because', 'it', 'so', 'then']);
function impliedThings(words: Word[], actions: Found[], asked: Asked) {
  for (const a of actions) {
    const thing = IMPLIED[a.key];
    const after = words[a.end + 2];
    if (!thing || !isNumber(words[a.end + 1]?.raw) || (after && !after.opens && !AFTER_ID.has(after.raw))) continue;
    asked.things.add(stem(thing));
    asked.numbered.add(stem(thing));
  }
}

export function askedOf(task: string): Asked {
  const words = wordsOf(task);
  const asked: Asked = {
    actions: new Set(),
    things: new Set(),
    context: new Set(),
    plural: new Set(),
    numbered: new Set(),
    kind: null,
    command: false,
    audit: false,
    muted: mutedOf(words),
  };
  const things = find(words, THING_PHRASES, false);
  const verbs = find(words, ACTION_PHRASES, true);
  const main = verbs.filter((a) => !subordinate(words, a.start));
  const actions = (main.length > 0 ? main : verbs).map((a) => asAdjective(a, words, things));
  for (const a of actions) asked.actions.add(a.key);
  let firstThing = Infinity;
  for (const t of things) {
    const thing = stem(t.key);
    // A thing after a preposition is context when something was named before it.
    const context =
      firstThing < t.start && words.slice(Math.max(0, t.start - 3), t.start).some((w) => PREPOSITIONS.has(w.raw));
    (context ? asked.context : asked.things).add(thing);
    firstThing = Math.min(firstThing, t.start);
    if (isPlural(words[t.end]!.raw)) asked.plural.add(thing);
    const next = words[t.end + 1]?.raw;
    if (isNumber(next) || (next === 'inv' && isNumber(words[t.end + 2]?.raw))) asked.numbered.add(thing);
  }
  for (const t of asked.context) if (asked.things.has(t)) asked.context.delete(t);
  // "Mrs Ellis wants 6 hanging baskets", "customer 5 ordered 2 benches": a quantity wanted is an order.
  const wanted = !intentOf(task).question && words.some((w, i) => WANTING.has(w.raw) && isNumber(words[i + 1]?.raw));
  if (wanted) {
    asked.things.add(ORDER);
    asked.actions.add('create');
    // Its number is a quantity, not an order's: "ordered 2 benches".
    if (things.every((t) => t.key !== 'order' || !isNumber(words[t.end + 1]?.raw) || WANTING.has(words[t.end]!.raw)))
      asked.numbered.delete(ORDER);
  }
  // "solar lights are now £12.99": a price that changes, with nothing else named, is a product's.
  if (things.length === 0 && PRICE.test(task) && actions.some((a) => a.key === 'update')) asked.things.add(PRODUCT);
  asked.audit = asksWhoDidIt(task, words, things);
  if (asked.audit) for (const t of AUDIT_THINGS) asked.things.add(t);
  impliedThings(words, actions, asked);
  // "bump them to qualified", "put ticket 8 on pending": a record moved to a status is updated.
  // "lead 80 - qualified": a status given straight after the record's number moves it there too.
  const moved =
    !intentOf(task).question &&
    words.some(
      (w, i) =>
        STATUS_VALUES.has(w.raw) && (MOVED_TO.has(words[i - 1]?.raw ?? '') || (w.opens && isNumber(words[i - 1]?.raw))),
    );
  if (moved) asked.actions.add('update');
  const openingOf = (from: number) => {
    let i = from;
    // "is possible to cancel…", "is it possible to…": an English learner's polite order.
    const possible = (j: number) =>
      words[j]?.raw === 'is' && (words[j + 1]?.raw === 'possible' || words[j + 2]?.raw === 'possible');
    if (possible(i)) i += words[i + 1]!.raw === 'possible' ? 2 : 3;
    while (i < words.length && POLITE.has(words[i]!.raw)) i += 1;
    return i;
  };
  const opening = openingOf(0);
  const openings = new Set(clauseStarts(task).map(openingOf));
  // An order opens with the verb's plain form: "shipping times to Ireland" names a topic.
  const gerund = (a: Found) => /[a-z]{3}ing$/.test(words[a.start]!.raw) && a.start === a.end;
  asked.command = actions.some((a) => openings.has(a.start) && !READ_VERBS.has(a.key) && !gerund(a));
  // In an order the opening verb is the action; a later single verb-like word is a noun ("forget
  // the note on…") unless "and" joins a second order. An order about "that" ("…, record that")
  // points at what the other clauses say, so their verbs stay.
  // "I raised it against the wrong customer" tells what was done (past), it points at nothing to do.
  const pointing = actions.some(
    (a) =>
      openings.has(a.start) &&
      !/ed$/.test(words[a.end]!.raw) &&
      (POINTERS.has(words[a.end]!.raw) || POINTERS.has(words[a.end + 1]?.raw ?? '')),
  );
  // "can I give a customer a refund without a receipt" asks whether it is allowed, not to do it;
  // "can I post invoices with my login" whether the caller may.
  const { policy, ownAccess } = intentOf(task);
  if (asked.command && PERMISSION.test(task) && (policy || ownAccess)) asked.command = false;
  if (asked.command && !pointing) {
    // A later clause in the past ("…, I raised it against the wrong customer") says what was done.
    const past = (a: Found) => a.start > opening && /[a-z]{3}ed$/.test(words[a.start]!.raw);
    const kept = (a: Found) =>
      (openings.has(a.start) && !past(a)) || a.end > a.start || words[a.start - 1]?.raw === 'and';
    asked.actions = new Set(actions.filter(kept).map((a) => a.key));
  }
  if (!asked.command && opensWithPlural(words, opening, actions, things)) {
    for (const a of actions) if (!READ_VERBS.has(a.key) && a.key !== 'list') asked.actions.delete(a.key);
    asked.actions.add('list');
    asked.kind = 'read';
    return asked;
  }
  const writes = actions.some((a) => !READ_VERBS.has(a.key));
  // "find the customer called…" opens by asking to look: what it tells is only how to find it.
  const looks = actions.some((a) => openings.has(a.start) && READ_VERBS.has(a.key));
  // "the auditor wants the ledger balances", "wants to see the statement": someone's wish to see something.
  const toSee = (i: number) => WISHES.has(words[i]!.raw) && SEEING.has(words[i + 1]?.raw ?? '');
  const telling =
    !looks && words.some((w, i) => TELLING.has(w.raw) && !NEGATIONS.has(words[i - 1]?.raw ?? '') && !toSee(i));
  // What happened is recorded: a new record, or a change to the one its number names.
  // "got a cheque from customer 230" numbers only the context: its thing says what to do with it.
  const changed = [...asked.numbered].some((t) => asked.things.has(t));
  if (telling && !writes && !intentOf(task).question && (changed || asked.numbered.size === 0))
    asked.actions.add(changed ? 'update' : 'create');
  // A bare noun phrase ("invoices for customer 12", "colour options for the armchair") asks to see.
  asked.kind = asked.command
    ? 'write'
    : intentOf(task).question
      ? 'read'
      : writes || telling || wanted || moved
        ? 'write'
        : actions.length > 0 || things.length > 0
          ? 'read'
          : null;
  return asked;
}

export interface ToolShape {
  verb: string | null;
  things: string[];
  kind: Kind;
}

/** A tool name read as verb_noun; report names (trial_balance, ar_aging) are all nouns. */
export function shapeOf(name: string, readOnly: boolean): ToolShape {
  const parts = name.split('_');
  const verb = VERBS.has(parts[0]!) && parts.length > 1 ? parts[0]! : null;
  return { verb, things: (verb ? parts.slice(1) : parts).map(stem), kind: readOnly ? 'read' : 'write' };
}

function thingFit(tool: ToolShape, asked: Asked): number {
  const weights = tool.things.map((t): number => (asked.things.has(t) ? 1 : asked.context.has(t) ? 0.5 : 0));
  return 0.6 * Math.max(...weights) + (0.4 * weights.reduce((s, w) => s + w, 0)) / weights.length;
}

function actionFit(tool: ToolShape, asked: Asked): number {
  if (tool.kind === 'write') return tool.verb && asked.actions.has(tool.verb) ? 1 : asked.kind === 'write' ? 0.3 : 0;
  if (asked.kind !== 'read') return 0;
  // Among reads: "show order 42" wants one (get), "which invoices" or "all orders" wants a list.
  const head = tool.things[tool.things.length - 1]!;
  let fit = 0.4;
  if (tool.verb && asked.actions.has(tool.verb)) fit += 0.3;
  if (tool.verb === 'get' && asked.numbered.has(head)) fit += 0.3;
  if ((tool.verb === 'list' || tool.verb === 'search') && asked.plural.has(head)) fit += 0.3;
  return Math.min(1, fit);
}

/** How well a tool's name fits what was asked, in [0, 1]: the thing matters most, then the action. */
export function fitOf(tool: ToolShape, asked: Asked): number {
  const thing = thingFit(tool, asked);
  return 0.6 * thing + 0.4 * actionFit(tool, asked) * (thing > 0 ? 1 : 0.5);
}

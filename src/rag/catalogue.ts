// find_operation's ranking: the tool catalogue (name, title, description and the everyday
// vocabulary of src/rag/vocabulary/) scored by BM25 over weighted fields, by how its verb_noun name
// fits the request's action and things (src/rag/intent.ts) and, when an embedding model is
// configured, by cosine similarity to the tool's text, examples and questions; they are fused into
// one calibrated score in [0, 1]. Typing slips are mended first. Term statistics and vectors are
// cached per process (the catalogue is static). Questions move reads above writes, commands writes
// above reads, and policy and how-to questions go to search_documents.
import { isZeroVector, type Embedder } from './embedder.js';
import { askedOf, fitOf, shapeOf, type Asked, type ToolShape } from './intent.js';
import { withoutNames } from './names.js';
import { intentOf, rawWords, stem, terms } from './terms.js';
import { ACTION_WORDS, THING_WORDS } from './thesaurus.js';
import { correctorOf, type Corrector } from './typos.js';
import { vocabularyOf } from './vocabulary/index.js';

export interface CatalogueEntry {
  name: string;
  title: string;
  description: string;
  readOnly: boolean;
}
export interface Ranked {
  entry: CatalogueEntry;
  score: number;
}
export type MatchLevel = 'good' | 'weak' | 'none';

/** Calibrated on tests/fixtures/find-operation-requests.json (tuning half): see bench/find-operation.mjs. */
export const GOOD_MATCH = 0.45;
export const NO_MATCH = 0.2;
export const DOCUMENT_TOOL = 'search_documents';
const DOCUMENT = stem('document');

const K1 = 1.2;
const B = 0.4;
/** Keyword score at which the keyword side reads 0.5. */
const KEYWORD_HALF = 6;
const QUESTION_WRITE_PENALTY = 0.75;
/** The mirror, milder: an order opening with a write verb ("add…", "cancel…") rarely wants a read. */
const COMMAND_READ_PENALTY = 0.9;
/** "who voided invoice 240" names the write it asks about: doing it again is the last thing wanted. */
const AUDIT_WRITE_PENALTY = 0.75;
/**
 * Weights of keywords, embedding and the name's fit to what was asked (src/rag/intent.ts), set on
 * the labelled set with and without its example requests (the fit is noisier than BM25 over the
 * vocabulary: more weight lost more requests than it found).
 */
const W_FIT = 0.1;
const W_VECTOR = 0.25;
const W_KEYWORD = 1 - W_FIT - W_VECTOR;

interface Index {
  entries: CatalogueEntry[];
  tf: Map<string, number>[];
  length: number[];
  avgLength: number;
  df: Map<string, number>;
  shapes: ToolShape[];
  correct: Corrector;
}

function fieldsOf(e: CatalogueEntry): [string, number][] {
  const v = vocabularyOf(e.name);
  return [
    [e.name, 3],
    [e.title, 2],
    [e.description, 0.6],
    ...v.synonyms.map((s): [string, number] => [s, 2]),
    ...v.examples.map((s): [string, number] => [s, 1]),
    ...v.questions.map((s): [string, number] => [s, 1]),
  ];
}

const indexes = new Map<string, Index>();

function indexOf(entries: CatalogueEntry[]): Index {
  const key = entries.map((e) => e.name).join(',');
  let index = indexes.get(key);
  if (index) return index;
  const tf = entries.map((e) => {
    const counts = new Map<string, number>();
    for (const [text, weight] of fieldsOf(e))
      for (const t of new Set(terms(text))) counts.set(t, (counts.get(t) ?? 0) + weight);
    return counts;
  });
  const length = tf.map((m) => [...m.values()].reduce((s, x) => s + x, 0));
  const df = new Map<string, number>();
  for (const m of tf) for (const t of m.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const thesaurus = [ACTION_WORDS, THING_WORDS].flatMap((table) =>
    Object.entries(table).flatMap(([key, words]) => [key, ...words].flatMap(rawWords)),
  );
  const targets = new Set([
    ...thesaurus,
    ...entries.flatMap((e) => [e.name, e.title, ...vocabularyOf(e.name).synonyms].flatMap(rawWords)),
  ]);
  const known = new Set([...targets, ...entries.flatMap((e) => fieldsOf(e).flatMap(([text]) => rawWords(text)))]);
  index = {
    entries,
    tf,
    length,
    avgLength: length.reduce((s, x) => s + x, 0) / Math.max(1, length.length),
    df,
    shapes: entries.map((e) => shapeOf(e.name, e.readOnly)),
    correct: correctorOf(known, targets),
  };
  indexes.set(key, index);
  return index;
}

/** BM25 of the task's terms, with the thesaurus' tool-name words for what it asks added to them. */
function keywordScores(index: Index, task: string, asked: Asked): number[] {
  const muted = new Set([...asked.muted].map(stem));
  const told = terms(task).filter((t) => !t.split('_').some((part) => muted.has(part)));
  const query = [...new Set([...told, ...[...asked.actions].map(stem), ...asked.things])];
  const n = index.entries.length;
  return index.tf.map((m, i) =>
    query.reduce((sum, t) => {
      const f = m.get(t);
      if (!f) return sum;
      const df = index.df.get(t)!;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      return sum + (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * index.length[i]!) / index.avgLength));
    }, 0),
  );
}

const vectorCache = new Map<string, Promise<{ owner: number[]; vectors: number[][] }>>();

function toolVectors(embedder: Embedder, entries: CatalogueEntry[]) {
  const key = `${embedder.model}|${entries.map((e) => e.name).join(',')}`;
  let cached = vectorCache.get(key);
  if (!cached) {
    const owner: number[] = [];
    const texts: string[] = [];
    entries.forEach((e, i) => {
      const v = vocabularyOf(e.name);
      for (const t of [
        `${e.name.replace(/_/g, ' ')}. ${e.title}. ${v.synonyms.join(', ')}`,
        ...v.examples,
        ...v.questions,
      ]) {
        owner.push(i);
        texts.push(t);
      }
    });
    cached = embedder.embed(texts).then((vectors) => ({ owner, vectors }));
    cached.catch(() => vectorCache.delete(key));
    vectorCache.set(key, cached);
  }
  return cached;
}

/** Best cosine of the task to each tool's texts, or null when the model knows none of its words. */
async function vectorScores(embedder: Embedder, entries: CatalogueEntry[], task: string): Promise<number[] | null> {
  const [{ owner, vectors }, [query]] = await Promise.all([toolVectors(embedder, entries), embedder.embed([task])]);
  if (isZeroVector(query)) return null;
  const best = entries.map(() => -1);
  vectors.forEach((v, k) => {
    const cos = v.reduce((s, x, j) => s + x * query![j]!, 0);
    if (cos > best[owner[k]!]!) best[owner[k]!] = cos;
  });
  return best;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * A quoted passage of four words or more is what to write ("save this to conversation 12: '…'"), not
 * what to do; an apostrophe between letters ("we're") is inside it, not its end.
 */
const QUOTED = /(^|[\s:(])['"‘“]((?:[^'"‘’“”]|(?<=\p{L})['’](?=\p{L}))+)['"’”](?=$|[\s,.;:!?)])/gu;
const withoutQuotedText = (request: string) =>
  request.replace(QUOTED, (whole, before: string, inside: string) =>
    inside.trim().split(/\s+/).length >= 4 ? `${before} ` : whole,
  );

/**
 * Every entry scored in [0, 1], best first. Without an embedder (or when the model knows none of
 * the task's words) the keyword side alone decides.
 */
export async function rankOperations(
  embedder: Embedder | undefined,
  entries: CatalogueEntry[],
  request: string,
): Promise<Ranked[]> {
  const index = indexOf(entries);
  const { text, named, vague } = withoutNames(withoutQuotedText(request));
  const task = index.correct(text);
  const asked = askedOf(task);
  const keyword = keywordScores(index, task, asked).map((s) => s / (s + KEYWORD_HALF));
  const vector = embedder ? await vectorScores(embedder, entries, task) : null;
  const intent = intentOf(task);
  // "open complaints", "all draft invoices": only verbs that look, so a statement that asks to see.
  const onlyReads = asked.kind === 'read' && asked.actions.size > 0;
  const scored = entries.map((entry, i) => {
    const semantic = vector ? clamp01((vector[i]! - 0.3) / 0.6) : 0;
    const fit = fitOf(index.shapes[i]!, asked);
    let score = vector
      ? W_KEYWORD * keyword[i]! + W_VECTOR * semantic + W_FIT * fit
      : (1 - W_FIT) * keyword[i]! + W_FIT * fit;
    if ((intent.question || onlyReads) && !asked.command && !entry.readOnly) score *= QUESTION_WRITE_PENALTY;
    if (asked.command && entry.readOnly) score *= COMMAND_READ_PENALTY;
    if (asked.audit && !entry.readOnly) score *= AUDIT_WRITE_PENALTY;
    return { entry, score };
  });
  scored.sort((a, b) => b.score - a.score || (a.entry.name < b.entry.name ? -1 : 1));
  // "upload the new handbook" names a document but asks for a write, not what a policy says.
  // "list the finance policy docs" asks for the documents themselves, not what they say.
  const listsDocuments = asked.actions.has('list') && asked.plural.has(DOCUMENT);
  if (intent.policy && !asked.command && !listsDocuments) moveUp(scored, DOCUMENT_TOOL, 0, GOOD_MATCH);
  if (asked.command && BULK.test(task) && !/[0-9]/.test(task)) liftList(scored);
  if (named && !IDENTIFIER.test(request.replace(COUNTS, ' '))) {
    if (vague) moveUp(scored, VAGUE_LOOKUP, 0);
    else liftLookup(index, scored);
  }
  return scored.map((r) => ({ entry: r.entry, score: Math.round(clamp01(r.score) * 10_000) / 10_000 }));
}

/** A number or a code ("order 42", "INV-2026-0110", "TWL-WHT") identifies a record without a lookup. */
const IDENTIFIER = /[0-9]|\b[A-Z]{2,}-[A-Z0-9-]+\b/;
/**
 * Numbers that count, price, date or time something name no record: "3 cases of syrup for Hotel
 * Marlowe at £38", "before my meeting at 3", "before my 2 o'clock", "since 2025".
 */
const COUNTS =
  /[£$€]\s?[0-9][0-9,.]*|\b[0-9][0-9,.]*\s?(%|percent|k|x|cases?|bags?|boxes|packs?|kg|kilos?|g|oz|ml|units?|pcs|pieces|bottles?|tins?|crates?|cartons?|pallets?|dozen|am|pm|hours?|hrs?|mins?|minutes?|days?|weeks?|months?|years?|st|nd|rd|th)\b|\b(at|by|before|after|until|till|around) [0-9]{1,2}([:.][0-9]{2})?\b|\b[0-9]{1,2} ?o['’ ]?clock\b|\b[0-9]{1,2}:[0-9]{2}\b|\b(19|20)[0-9]{2}\b/gi;
/** The lookup that turns a name into the id that tools about that thing need. */
const LOOKUPS = new Map([
  [stem('customer'), 'search_customers'],
  [stem('product'), 'search_products'],
]);
/**
 * "the Bendigo invoice", "the draft for St Kilda Spokes": a tool that needs one invoice's or order's
 * id is preceded by finding whose it is (a list of them already filters by the customer it names).
 */
const RECORD_LOOKUPS = new Map([
  [stem('invoice'), 'search_customers'],
  [stem('order'), 'search_customers'],
]);

/**
 * A record named by its name ("how much does Willow & Fern owe us?") is looked up before a tool
 * that needs its id can run: the lookup follows the first of the top three tools about that thing,
 * unless that tool creates the thing.
 */
function liftLookup(index: Index, scored: { entry: CatalogueEntry; score: number }[]) {
  for (const [i, r] of scored.slice(0, 3).entries()) {
    const shape = index.shapes[index.entries.indexOf(r.entry)]!;
    const lookup = shape.things
      .map((t) => LOOKUPS.get(t) ?? (shape.verb === 'list' ? undefined : RECORD_LOOKUPS.get(t)))
      .find((name) => name !== undefined);
    if (!lookup || shape.verb === 'create') continue;
    // The best tool is get_product, which needs the id that search_products finds by name: the
    // search comes first. A get lower down is only a candidate: its lookup follows it.
    const own = i === 0 && r.entry.name === lookup.replace(/^search_(.*)s$/, 'get_$1');
    moveUp(scored, lookup, own ? 0 : i + 1);
    return;
  }
}

/** "confirm all of Jess's drafts", "void every draft from March": many records, none named by number. */
const BULK = /\b(all|every|each)\b/;

/** A change to many records starts from their list: the list follows the change it is for. */
function liftList(scored: { entry: CatalogueEntry; score: number }[]) {
  const [verb, ...things] = scored[0]!.entry.name.split('_');
  if (scored[0]!.entry.readOnly || verb === 'create' || things.length === 0) return;
  moveUp(scored, `list_${things.join('_')}s`, 1);
}

/** "sort out the Jones thing": a party named and nothing said about it is found first. */
const VAGUE_LOOKUP = 'search_customers';

/**
 * Moves the tool `name`, if it ranks below `to`, up to that place, scored at least as the tool it
 * passes there and at least `floor`. A tool the caller may not call is not in the list: nothing moves.
 */
function moveUp(scored: { entry: CatalogueEntry; score: number }[], name: string, to: number, floor = 0) {
  const at = scored.findIndex((x) => x.entry.name === name);
  if (at <= to) return;
  const [hit] = scored.splice(at, 1);
  scored.splice(to, 0, { entry: hit!.entry, score: Math.max(hit!.score, scored[to]!.score, floor) });
}

export function matchLevel(best: number | undefined): MatchLevel {
  if (best === undefined || best < NO_MATCH) return 'none';
  return best >= GOOD_MATCH ? 'good' : 'weak';
}

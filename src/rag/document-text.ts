// A document's text as ingest reads it: in parts, in order, with what ingest must know before the
// first part is written (its hash for the unchanged-content skip, its first heading for the title,
// its length for the load's size). A text in memory is cut into parts; a file is read in parts
// twice (files.ts), once to learn these and once to store them, so no whole-file string is built.
import { createHash, type Hash } from 'node:crypto';

export interface DocumentText {
  /** sha256 (hex) of the whole text as UTF-8. */
  readonly hash: string;
  /** Its length in UTF-16 code units. */
  readonly length: number;
  /** The text of its first Markdown "# " heading, or null. */
  readonly heading: string | null;
  /** It has nothing but whitespace. */
  readonly blank: boolean;
  /** The text in order; a file's reader throws if the file no longer has the hash above. */
  parts(): AsyncIterable<string>;
}

/** How much of a text in memory one stored part holds (documents.content holds the first, sql/020). */
export const PART_LENGTH = 2 ** 20;

const LINE_END = /[\n\r\u2028\u2029]/;
const HEADING = /^#\s+(.+)$/m;

/** What a text's parts say about the whole, part by part: hash, first heading, blankness, length. */
export class TextSummary {
  private readonly sha: Hash = createHash('sha256');
  private line = '';
  length = 0;
  heading: string | null = null;
  blank = true;

  add(part: string): void {
    this.sha.update(part, 'utf8');
    this.length += part.length;
    if (this.blank && part.trim()) this.blank = false;
    if (this.heading !== null) return;
    // Lines are tested whole: the incomplete last line waits for the next part (bounded by one line's length).
    const text = this.line + part;
    let end = text.length;
    while (end > 0 && !LINE_END.test(text[end - 1]!)) end--;
    if (end === 0) {
      this.line = text.length > PART_LENGTH ? '' : text;
      return;
    }
    this.heading = HEADING.exec(text.slice(0, end))?.[1]?.trim() ?? null;
    this.line = text.slice(end);
  }

  finish(): { hash: string; length: number; heading: string | null; blank: boolean } {
    if (this.heading === null) this.heading = HEADING.exec(this.line)?.[1]?.trim() ?? null;
    this.line = '';
    return { hash: this.sha.digest('hex'), length: this.length, heading: this.heading, blank: this.blank };
  }
}

/** Cuts a string in parts of at most PART_LENGTH, never between the two halves of a surrogate pair. */
export function* partsOf(text: string): Generator<string> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + PART_LENGTH);
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end]!)) end--;
    yield text.slice(at, end);
    at = end;
  }
}

/** A text given whole (an upload, a PDF's extracted text): NUL removed and lone surrogates replaced. */
export function wholeText(raw: string): DocumentText {
  const text = raw.replaceAll('\u0000', '').toWellFormed();
  const summary = new TextSummary();
  for (const part of partsOf(text)) summary.add(part);
  return {
    ...summary.finish(),
    async *parts() {
      yield* partsOf(text);
    },
  };
}

// Splits a document into chunks for embedding. Blocks are Markdown headings and paragraphs
// (blank-line separated); a heading starts a new chunk and travels with the text under it,
// and each chunk records its section heading. Chunks fill up to
// `size` characters; the next chunk repeats the last `overlap` characters' worth of whole
// sentences so a fact cut at a boundary is still found. A paragraph longer than `size` is cut
// at sentence ends, and a sentence longer than `size` at word boundaries.

export interface ChunkOptions {
  /** Target maximum characters per chunk (default 1000). */
  size?: number;
  /** Characters of trailing context repeated at the start of the next chunk (default 150). */
  overlap?: number;
}

export interface Chunk {
  index: number;
  heading: string | null;
  text: string;
}

const HEADING = /^#{1,6}\s+(.+?)\s*#*\s*$/;

function sentences(text: string): string[] {
  return (
    text
      .match(/[^.!?。]+(?:[.!?。]+["')\]]*|$)\s*/gu)
      ?.map((s) => s.trim())
      .filter(Boolean) ?? [text]
  );
}

/** Pieces no longer than size: sentences, and words for a runaway sentence. */
function pieces(paragraph: string, size: number): string[] {
  if (paragraph.length <= size) return [paragraph];
  const out: string[] = [];
  for (const sentence of sentences(paragraph)) {
    if (sentence.length <= size) {
      out.push(sentence);
      continue;
    }
    let line = '';
    for (const word of sentence.split(/\s+/)) {
      if (line && line.length + word.length + 1 > size) {
        out.push(line);
        line = '';
      }
      // A single "word" longer than size (a URL, a base64 blob) is cut hard.
      for (let w = word; w.length > 0; w = w.slice(size)) {
        if (w.length > size) out.push(w.slice(0, size));
        else line = line ? `${line} ${w}` : w;
        if (w.length <= size) break;
      }
    }
    if (line) out.push(line);
  }
  return out;
}

function tail(text: string, overlap: number): string {
  if (overlap <= 0) return '';
  const kept: string[] = [];
  let length = 0;
  for (const s of sentences(text).reverse()) {
    if (length + s.length > overlap) break;
    kept.unshift(s);
    length += s.length + 1;
  }
  return kept.join(' ');
}

const SEPARATOR = /\n\s*\n/g;
/**
 * A paragraph longer than this is taken in parts (cut after a sentence or a space), so a file
 * without blank lines never makes the chunker hold all of it; the parts chunk as one paragraph.
 */
export const MAX_BLOCK = 2 ** 16;
const isHeadings = (block: string) => block.split('\n').every((l) => HEADING.test(l));

/** Where to cut a paragraph that outgrew MAX_BLOCK: after its last sentence end, else its last space. */
function cutPoint(text: string): number {
  const window = text.slice(0, MAX_BLOCK);
  const sentence = /[.!?。]["')\]]*\s+(?=\S)/gu;
  let at = -1;
  for (let m = sentence.exec(window); m; m = sentence.exec(window)) at = m.index + m[0].length;
  if (at > 0) return at;
  const space = window.search(/\s\S*$/);
  return space > 0 ? space + 1 : MAX_BLOCK;
}

/**
 * Chunks a text given in parts, in order: push() returns the chunks each part completed, end()
 * the rest. Blocks are found across part boundaries, so the chunks are those of the whole text
 * (chunkText); it holds one paragraph (at most MAX_BLOCK characters) and one chunk at a time.
 */
export class Chunker {
  private readonly size: number;
  private readonly overlap: number;
  private index = 0;
  /** Text after the last blank line seen, still growing; a CR that may start a CRLF waits in cr. */
  private pending = '';
  private cr = false;
  /** pending is the rest of a paragraph whose head was already chunked (see MAX_BLOCK). */
  private continues = false;
  /** A block of headings only, glued to the block under it when that arrives. */
  private headings: string | null = null;
  private heading: string | null = null;
  private current = '';
  private currentHeading: string | null = null;
  private out: Chunk[] = [];

  constructor(options: ChunkOptions = {}) {
    this.size = Math.max(100, options.size ?? 1000);
    this.overlap = Math.min(Math.max(0, options.overlap ?? 150), Math.floor(this.size / 2));
  }

  push(part: string): Chunk[] {
    let text = (this.cr ? '\r' : '') + part;
    this.cr = text.endsWith('\r');
    if (this.cr) text = text.slice(0, -1);
    this.pending += text.replace(/\r\n?/g, '\n');
    let last = 0;
    for (const m of this.pending.matchAll(SEPARATOR)) {
      this.block(this.pending.slice(last, m.index!), this.continues);
      this.continues = false;
      last = m.index! + m[0].length;
    }
    this.pending = this.pending.slice(last);
    // A runaway paragraph: its head is chunked now, and the rest joins it as the same paragraph.
    while (this.pending.length > 2 * MAX_BLOCK) {
      const at = cutPoint(this.pending);
      this.block(this.pending.slice(0, at), this.continues);
      this.continues = true;
      this.pending = this.pending.slice(at);
    }
    return this.take();
  }

  end(): Chunk[] {
    this.block(this.pending + (this.cr ? '\n' : ''), this.continues);
    this.continues = false;
    this.pending = '';
    if (this.headings !== null) this.place(this.headings, false);
    this.headings = null;
    this.flush();
    return this.take();
  }

  private take(): Chunk[] {
    const done = this.out;
    this.out = [];
    return done;
  }

  private block(raw: string, continued: boolean): void {
    const block = raw.trim();
    if (!block) return;
    // A heading standing alone is glued to the block under it, so they are never split.
    if (continued) this.place(block, true);
    else if (this.headings !== null) {
      const glued = `${this.headings}\n${block}`;
      this.headings = isHeadings(glued) ? glued : null;
      if (this.headings === null) this.place(glued, false);
    } else if (isHeadings(block)) this.headings = block;
    else this.place(block, false);
  }

  private place(block: string, continued: boolean): void {
    const h = continued ? null : HEADING.exec(block.split('\n')[0]!);
    if (h) {
      // A section starts a new chunk: retrieval then cites the section, not its neighbour.
      this.heading = h[1]!;
      this.flush();
    }
    let first = !continued;
    for (const piece of pieces(block.replace(/\s*\n\s*/g, h ? '\n' : ' '), this.size)) {
      if (this.current && this.current.length + piece.length + 2 > this.size) {
        const carried = tail(this.current, this.overlap);
        this.flush();
        this.current = carried;
      }
      if (!this.current) this.currentHeading = this.heading;
      this.current = this.current ? `${this.current}${first ? '\n\n' : ' '}${piece}` : piece;
      first = false;
    }
  }

  private flush(): void {
    const text = this.current.trim();
    if (text) this.out.push({ index: this.index++, heading: this.currentHeading, text });
    this.current = '';
  }
}

export function chunkText(text: string, options: ChunkOptions = {}): Chunk[] {
  const chunker = new Chunker(options);
  return [...chunker.push(text), ...chunker.end()];
}

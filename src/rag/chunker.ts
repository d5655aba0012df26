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

/** A heading standing alone is glued to the block under it, so they are never split. */
function joinHeadings(blocks: string[]): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    const previous = out[out.length - 1];
    if (previous?.split('\n').every((l) => HEADING.test(l))) out[out.length - 1] = `${previous}\n${block}`;
    else out.push(block);
  }
  return out;
}

export function chunkText(text: string, options: ChunkOptions = {}): Chunk[] {
  const size = Math.max(100, options.size ?? 1000);
  const overlap = Math.min(Math.max(0, options.overlap ?? 150), Math.floor(size / 2));
  const blocks = joinHeadings(
    text
      .replace(/\r\n?/g, '\n')
      .split(/\n\s*\n/)
      .map((b) => b.trim())
      .filter(Boolean),
  );
  const chunks: Chunk[] = [];
  let heading: string | null = null;
  let current = '';
  let currentHeading: string | null = null;
  const flush = () => {
    if (current.trim()) chunks.push({ index: chunks.length, heading: currentHeading, text: current.trim() });
    current = '';
  };
  for (const block of blocks) {
    const h = HEADING.exec(block.split('\n')[0]!);
    if (h) {
      // A section starts a new chunk: retrieval then cites the section, not its neighbour.
      heading = h[1]!;
      flush();
    }
    let first = true;
    for (const piece of pieces(block.replace(/\s*\n\s*/g, h ? '\n' : ' '), size)) {
      if (current && current.length + piece.length + 2 > size) {
        const carried = tail(current, overlap);
        flush();
        current = carried;
      }
      if (!current) currentHeading = heading;
      current = current ? `${current}${first ? '\n\n' : ' '}${piece}` : piece;
      first = false;
    }
  }
  flush();
  return chunks;
}

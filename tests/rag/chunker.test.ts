import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chunker, chunkText, MAX_BLOCK } from '../../src/rag/chunker.js';

/** The chunks of text fed to a Chunker in parts of the given lengths, in turn. */
function inParts(text: string, lengths: number[], size: number) {
  const chunker = new Chunker({ size, overlap: 30 });
  const out = [];
  for (let at = 0, k = 0; at < text.length; at += lengths[k++ % lengths.length]!)
    out.push(...chunker.push(text.slice(at, at + lengths[k % lengths.length]!)));
  return [...out, ...chunker.end()];
}

describe('chunker', () => {
  it('returns no chunks for an empty or blank file', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText(' \n\n \t\n')).toEqual([]);
  });

  it('keeps a heading with the paragraph under it and records it', () => {
    const text = `# Returns\n\n${'Intro sentence. '.repeat(40)}\n\n## Refunds\n\nRefunds are paid within 14 days of receiving the goods.`;
    const chunks = chunkText(text, { size: 300, overlap: 0 });
    const refund = chunks.find((c) => c.text.includes('Refunds are paid'))!;
    expect(refund.text.startsWith('## Refunds')).toBe(true);
    expect(refund.heading).toBe('Refunds');
    expect(chunks.every((c) => !/^#+ [^\n]*$/.test(c.text))).toBe(true); // no chunk is a lone heading
  });

  it('cuts one huge paragraph at sentence ends, and a huge word hard, within the size', () => {
    const paragraph = Array.from({ length: 200 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const chunks = chunkText(paragraph, { size: 400, overlap: 0 });
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.every((c) => c.text.length <= 400)).toBe(true);
    expect(chunks.every((c) => /\.$/.test(c.text))).toBe(true);
    const blob = chunkText('x'.repeat(2500), { size: 1000 });
    expect(blob.map((c) => c.text.length)).toEqual([1000, 1000, 500]);
  });

  it('repeats the trailing sentences of a chunk at the start of the next (overlap)', () => {
    const paragraphs = Array.from(
      { length: 6 },
      (_, i) => `Paragraph ${i} starts. It has a second sentence. It ends here ${i}.`,
    ).join('\n\n');
    const chunks = chunkText(paragraphs, { size: 150, overlap: 40 });
    expect(chunks.length).toBeGreaterThan(1);
    const lastSentence = chunks[0]!.text.split('. ').pop()!;
    expect(chunks[1]!.text.startsWith(lastSentence.trim())).toBe(true);
  });

  it('handles unicode without breaking characters', () => {
    const text =
      '## Überblick\n\nZahlungsziel: 30 Tage netto. Skonto 2 % bei Zahlung binnen 10 Tagen. 日本語の文章です。終わり。 Emoji 🚚 delivery.';
    const chunks = chunkText(text, { size: 120, overlap: 20 });
    expect(chunks.map((c) => c.text).join(' ')).toContain('🚚');
    expect(chunks[0]!.heading).toBe('Überblick');
    for (const c of chunks) expect(c.text).toBe(c.text.toWellFormed());
  });

  it('never loses a word and never exceeds the size (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zé]{1,12}[.!?]?$/), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 100, max: 600 }),
        (words, size) => {
          const text = words.join(' ');
          const chunks = chunkText(text, { size, overlap: 0 });
          expect(chunks.every((c) => c.text.length <= size)).toBe(true);
          expect(
            chunks
              .map((c) => c.text)
              .join(' ')
              .split(/\s+/),
          ).toEqual(text.split(/\s+/));
        },
      ),
    );
  });

  it('chunks a text given in parts exactly as the whole text, wherever the parts are cut (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '\n',
        '\n\n',
        '\r\n',
        '\r\n\r\n',
        '\r',
        ' ',
        '  \n \n',
        '# Head',
        '\n## Sub\n',
        '| a | b |',
        '. ',
      ),
      fc.stringMatching(/^[a-zé ]{1,40}[.!?]?$/),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 200 }),
        fc.integer({ min: 100, max: 500 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 20 }),
        (pieces, size, lengths) => {
          const text = pieces.join('');
          expect(inParts(text, lengths, size)).toEqual(chunkText(text, { size, overlap: 30 }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes a paragraph with no blank line in parts of at most MAX_BLOCK, losing no word', () => {
    const paragraph = Array.from({ length: 30_000 }, (_, i) => `Line ${i} of a log without blank lines.`).join('\n');
    expect(paragraph.length).toBeGreaterThan(4 * MAX_BLOCK);
    const chunks = inParts(paragraph, [4096], 1000);
    expect(chunks).toEqual(chunkText(paragraph, { size: 1000, overlap: 30 }));
    expect(chunks.every((c) => c.text.length <= 1000)).toBe(true);
    const words = chunkText(paragraph, { size: 1000, overlap: 0 })
      .map((c) => c.text)
      .join(' ')
      .split(/\s+/);
    expect(words).toEqual(paragraph.split(/\s+/));
  });
});

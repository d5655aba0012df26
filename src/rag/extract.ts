// Turns a document file's bytes into text: Markdown and plain text as UTF-8, PDF through unpdf
// (pdf.js). The content is checked, not only the name: binary bytes are never indexed as text
// (a database file once was), and a PDF that does not parse is a clear error.
import { extractText, getDocumentProxy } from 'unpdf';
import { invalid } from '../domain/shared/errors.js';

const TEXT_EXTENSIONS = ['.md', '.markdown', '.txt', '.text', ''];
export const SUPPORTED_EXTENSIONS = [...TEXT_EXTENSIONS, '.pdf'];

/** Acrobat looks for the header within the first 1024 bytes; pdf.js accepts the same. */
const PDF_HEADER_WINDOW = 1024;
/** Text in a legacy 8-bit encoding keeps a few undecodable bytes; binary data has many. */
const MAX_NON_TEXT_SHARE = 0.1;

async function pdfText(bytes: Buffer, path: string): Promise<string> {
  if (!bytes.subarray(0, PDF_HEADER_WINDOW).includes('%PDF-'))
    throw invalid(`path: ${path} is not a PDF (it does not start with %PDF-)`);
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { text } = await extractText(pdf, { mergePages: false });
    return (text as string[]).join('\n\n');
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
    throw invalid(`path: ${path} could not be read as a PDF (${reason})`);
  }
}

const NON_TEXT = /[\uFFFD\u0001-\u0008\u000E-\u001A\u001C-\u001F]/g;
const noNul = (bytes: Buffer, path: string) => {
  if (bytes.includes(0)) throw invalid(`path: ${path} holds binary data (NUL bytes), not text`);
};
function assertText(nonText: number, length: number, path: string): void {
  // U+FFFD marks bytes that are not UTF-8; C0 controls other than whitespace do not occur in text.
  if (length > 0 && nonText / length > MAX_NON_TEXT_SHARE) {
    throw invalid(
      `path: ${path} holds binary data (${Math.round((nonText / length) * 100)}% of it is not UTF-8 text), not text`,
    );
  }
}

function plainText(bytes: Buffer, path: string): string {
  noNul(bytes, path);
  const text = new TextDecoder('utf-8').decode(bytes);
  assertText(text.match(NON_TEXT)?.length ?? 0, text.length, path);
  return text;
}

/**
 * A Markdown or text file's text part by part, as plainText would read it whole: the same text,
 * and the same refusals (a NUL byte as soon as it is read, too many non-text characters at the end).
 */
export async function* plainTextParts(bytes: AsyncIterable<Buffer>, path: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let nonText = 0;
  let length = 0;
  const counted = (text: string) => {
    nonText += text.match(NON_TEXT)?.length ?? 0;
    length += text.length;
    return text;
  };
  for await (const part of bytes) {
    noNul(part, path);
    const text = counted(decoder.decode(part, { stream: true }));
    if (text) yield text;
  }
  const rest = counted(decoder.decode());
  assertText(nonText, length, path);
  if (rest) yield rest;
}

/** The text of a file's bytes by its extension (one of SUPPORTED_EXTENSIONS); path names it in errors. */
export async function documentText(bytes: Buffer, ext: string, path: string): Promise<string> {
  return ext === '.pdf' ? pdfText(bytes, path) : plainText(bytes, path);
}

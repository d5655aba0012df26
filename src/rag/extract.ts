// Reads a document's text: Markdown and plain text as UTF-8, PDF through unpdf (pdf.js).
// Paths are confined to a documents root so a remote client cannot read arbitrary files.
import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { DomainError, invalid } from '../domain/shared/errors.js';

export const TEXT_EXTENSIONS = ['.md', '.markdown', '.txt', '.text', ''];
export const SUPPORTED_EXTENSIONS = [...TEXT_EXTENSIONS, '.pdf'];

/** Resolves path inside root, refusing anything (including symlinks) that leads outside it. */
export async function confinedPath(root: string, path: string): Promise<string> {
  const absoluteRoot = await realpath(root);
  const inside = (p: string) => p === absoluteRoot || p.startsWith(absoluteRoot + sep);
  const outside = () => new DomainError('FORBIDDEN', `Document path ${path} is outside the documents folder ${absoluteRoot} (ERP_DOCS_DIR)`);
  const lexical = resolve(absoluteRoot, path);
  if (!inside(lexical)) throw outside(); // refuse before probing the file system outside the root
  let target: string;
  try {
    target = await realpath(lexical);
  } catch {
    throw new DomainError('NOT_FOUND', `Document file ${path} does not exist under ${absoluteRoot}`);
  }
  if (!inside(target)) throw outside(); // a symlink that leads out
  return target;
}

export async function extractFileText(file: string): Promise<string> {
  const ext = extname(file).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.includes(ext)) throw invalid(`Cannot read ${ext} files; use Markdown, plain text or PDF`);
  const bytes = await readFile(file);
  if (ext === '.pdf') {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { text } = await extractText(pdf, { mergePages: false });
    return (text as string[]).join('\n\n');
  }
  return bytes.toString('utf8');
}

// Reads a document file for ingest without trusting the name a client gave: only a regular file
// whose real path lies under the documents root and outside the database's data folder, checked
// with lstat before it is opened and fstat after, read with caps on size and time (DESIGN.md
// "Security model"; issue 13: a FIFO used to hang the call, a data-dir file got indexed).
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { DomainError, invalid } from '../domain/shared/errors.js';
import { type DocumentText, TextSummary, wholeText } from './document-text.js';
import { documentText, plainTextParts, SUPPORTED_EXTENSIONS } from './extract.js';

export interface ReadLimits {
  maxBytes: number;
  /** For opening, reading and parsing together; a tool holds its transaction meanwhile. */
  timeLimitMs: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: 20 * 2 ** 20, timeLimitMs: 10_000 };

export interface DocumentFolder {
  /** ERP_DOCS_DIR: every path is resolved inside it. */
  root: string;
  /** ERP_DATA_DIR: never readable, even when it lies inside root. */
  dataDir?: string;
}

export interface DocumentFile {
  /** Canonical path relative to the root, '/'-separated: the document's identity. */
  path: string;
  text: string;
}

/** A PostgreSQL (or PGlite) data folder holds this file; its presence marks one we were not told of. */
const DATA_DIR_MARKER = 'PG_VERSION';
const CHUNK_BYTES = 2 ** 20;
// O_NONBLOCK: a FIFO swapped in after the lstat check still cannot block open(); O_NOFOLLOW: nor can a symlink.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

const inside = (dir: string, p: string) => p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
/** A '/'-separated relative path with a segment such as .env or .git. */
export const isHidden = (path: string) => path.split('/').some((segment) => segment.startsWith('.') && segment !== '.');
const forbidden = (path: string, reason: string) => new DomainError('FORBIDDEN', `path: ${path} ${reason}`);
const refused = (path: string, reason: string) => invalid(`path: ${path} ${reason}`);

export function formatBytes(n: number): string {
  if (n < 2 ** 20) return `${n} bytes`;
  const [unit, size] = n >= 2 ** 30 ? ['GB', 2 ** 30] : ['MB', 2 ** 20];
  return `${Math.ceil((n / size) * 10) / 10} ${unit}`; // rounded up, so a file just over the limit never reads as equal to it
}

function kindOf(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}

function fsRefusal(path: string, error: unknown): Error {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new DomainError('NOT_FOUND', `path: ${path} does not exist under the documents folder (ERP_DOCS_DIR)`);
    case 'ELOOP':
      return refused(path, 'is a loop of symlinks');
    case 'ENAMETOOLONG':
      return refused(path, 'is too long a name');
    case 'EACCES':
    case 'EPERM':
      return forbidden(path, 'is not readable by the server');
    default:
      return error as Error;
  }
}

async function isDataDir(dir: string): Promise<boolean> {
  try {
    return (await lstat(join(dir, DATA_DIR_MARKER))).isFile();
  } catch {
    return false;
  }
}

/** The real path behind a client's name for a file, refused unless it is a regular file we may read. */
export async function resolveDocumentPath(
  folder: DocumentFolder,
  path: string,
): Promise<{ file: string; path: string; info: Stats }> {
  if (path.includes('\0')) throw refused(JSON.stringify(path), 'contains a NUL character');
  // resolve() would drop the slash and read ok.md for "ok.md/": a name that says folder is refused.
  if (/[\\/]\.?$/.test(path)) throw refused(path, 'names a folder (it ends with a slash); name a file');
  const root = await realpath(folder.root).catch(() => {
    throw new DomainError('UNAVAILABLE', 'The documents folder (ERP_DOCS_DIR) does not exist on the server');
  });
  const outside = () => forbidden(path, 'is outside the documents folder (ERP_DOCS_DIR)');
  const lexical = resolve(root, path);
  if (!inside(root, lexical)) throw outside(); // refused before the file system outside the root is probed
  const file = await realpath(lexical).catch((error) => {
    throw fsRefusal(path, error);
  });
  if (!inside(root, file)) throw outside(); // a symlink that leads out
  const dataDir = folder.dataDir && (await realpath(folder.dataDir).catch(() => resolve(folder.dataDir!)));
  let insideData = dataDir !== undefined && inside(dataDir, file);
  for (let dir = file; !insideData && inside(root, dir); dir = dirname(dir)) {
    insideData = await isDataDir(dir);
    if (dir === root) break;
  }
  if (insideData) throw forbidden(path, "is inside the database's data folder, which is never readable");
  const canonical = relative(root, file).split(sep).join('/');
  // With the default root (the working directory) .env, .npmrc and .git/config would be in reach.
  if (isHidden(canonical))
    throw forbidden(path, 'is hidden (a name starting with a dot); hidden files and folders are never read');
  const info = await lstat(file).catch((error) => {
    throw fsRefusal(path, error);
  });
  const kind = kindOf(info);
  if (kind) throw refused(path, `is ${kind}, not a regular file`);
  const ext = extname(file).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.includes(ext))
    throw refused(path, `is a ${ext} file; only Markdown, plain text and PDF are read`);
  return { file, path: canonical, info };
}

/** Runs work until the deadline; a late result is dropped (and its failure kept handled). */
async function beforeDeadline<T>(work: Promise<T>, deadline: number, late: () => Error): Promise<T> {
  work.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), Math.max(0, deadline - Date.now()));
  });
  try {
    if (Date.now() >= deadline) throw late();
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** An opened file's bytes in parts, each read before the deadline; a file that grew past maxBytes is refused. */
async function* readParts(
  handle: FileHandle,
  path: string,
  limits: ReadLimits,
  deadline: () => number,
  late: () => Error,
): AsyncGenerator<Buffer> {
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limits.maxBytes + 1 - total));
    const { bytesRead } = await beforeDeadline(handle.read(buffer, 0, buffer.length, null), deadline(), late);
    if (bytesRead === 0) return;
    total += bytesRead;
    if (total > limits.maxBytes) throw refused(path, `is over ${formatBytes(limits.maxBytes)}, the limit`);
    yield buffer.subarray(0, bytesRead);
  }
}

/** Opens the file resolveDocumentPath found, checked again once open: the name may have been pointed elsewhere since lstat. */
async function openChecked(
  found: { file: string; info: Stats },
  path: string,
  limits: ReadLimits,
  deadline: number,
  late: () => Error,
): Promise<FileHandle> {
  const opening = open(found.file, OPEN_FLAGS);
  const handle = await beforeDeadline(opening, deadline, late).catch((error) => {
    void opening.then((h) => h.close()).catch(() => {}); // an open that lands after the deadline is closed, not leaked
    throw fsRefusal(path, error);
  });
  try {
    const info = await handle.stat();
    if (info.dev !== found.info.dev || info.ino !== found.info.ino)
      throw refused(path, 'changed while it was being opened; try again');
    if (info.size > limits.maxBytes)
      throw refused(path, `is ${formatBytes(info.size)}; the limit is ${formatBytes(limits.maxBytes)}`);
    return handle;
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/**
 * The file's bytes in parts, opened and closed here. `deadline` gives each read's deadline: one
 * for the whole read, or a fresh one per read while ingest stores and embeds between reads.
 */
async function* fileParts(
  found: { file: string; info: Stats },
  path: string,
  limits: ReadLimits,
  deadline: () => number,
): AsyncGenerator<Buffer> {
  let timedOut = false;
  const late = () => {
    timedOut = true;
    return refused(path, `took longer than ${limits.timeLimitMs / 1000} s to read`);
  };
  const handle = await openChecked(found, path, limits, deadline(), late);
  try {
    yield* readParts(handle, path, limits, deadline, late);
  } finally {
    // After a timeout a read may still be pending; close() would wait for it, so it is not awaited.
    const closing = handle.close().catch(() => {});
    if (!timedOut) await closing;
  }
}

async function resolveWithinLimit(folder: DocumentFolder, path: string, limits: ReadLimits) {
  const found = await resolveDocumentPath(folder, path);
  if (found.info.size > limits.maxBytes)
    throw refused(path, `is ${formatBytes(found.info.size)}; the limit is ${formatBytes(limits.maxBytes)}`);
  return found;
}

/** A document file's canonical path and text, or a one-line refusal naming the path argument. */
export async function readDocumentFile(
  folder: DocumentFolder,
  path: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<DocumentFile> {
  return readFound(await resolveWithinLimit(folder, path, limits), path, limits);
}

/** A resolved file's text, read whole within the time limit. */
async function readFound(
  found: { path: string; file: string; info: Stats },
  path: string,
  limits: ReadLimits,
): Promise<DocumentFile> {
  const deadline = Date.now() + limits.timeLimitMs;
  const parts: Buffer[] = [];
  for await (const part of fileParts(found, path, limits, () => deadline)) parts.push(part);
  const late = () => refused(path, `took longer than ${limits.timeLimitMs / 1000} s to read`);
  const text = documentText(Buffer.concat(parts), extname(found.file).toLowerCase(), path);
  return { path: found.path, text: await beforeDeadline(text, deadline, late) };
}

/**
 * A document file's canonical path and its text in parts (document-text.ts). A Markdown or text
 * file is read twice, part by part: first, within the time limit, to check it is text and learn
 * its hash and heading; then as ingest stores and chunks it, each read within the time limit, and
 * refused at the end if the file no longer has that hash. A PDF is parsed whole (pdf.js needs
 * all of its bytes).
 */
export async function openDocumentFile(
  folder: DocumentFolder,
  path: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<{ path: string; text: DocumentText }> {
  const found = await resolveWithinLimit(folder, path, limits);
  if (extname(found.file).toLowerCase() === '.pdf') {
    const whole = await readFound(found, path, limits);
    return { path: whole.path, text: wholeText(whole.text) };
  }
  const deadline = Date.now() + limits.timeLimitMs;
  const scan = new TextSummary();
  for await (const text of plainTextParts(
    fileParts(found, path, limits, () => deadline),
    path,
  ))
    scan.add(text);
  const summary = scan.finish();
  const eachRead = () => Date.now() + limits.timeLimitMs;
  return {
    path: found.path,
    text: {
      ...summary,
      async *parts() {
        const again = new TextSummary();
        for await (const text of plainTextParts(fileParts(found, path, limits, eachRead), path)) {
          again.add(text);
          yield text;
        }
        if (again.finish().hash !== summary.hash) throw refused(path, 'changed while it was being ingested; try again');
      },
    },
  };
}

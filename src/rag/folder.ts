// Ingests files and folders (recursively) for the operator's command line and the demo seed: each
// supported file in its own transaction, read with the same checks as ingest_document (files.ts)
// and named by its canonical path under the documents root.
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Db } from '../db/types.js';
import { analyzeDocuments } from '../domain/documents/content.js';
import type { Embedder } from './embedder.js';
import { SUPPORTED_EXTENSIONS } from './extract.js';
import { type DocumentFolder, isHidden, openDocumentFile, type ReadLimits } from './files.js';
import { ingestDocument, type IngestResult } from './ingest.js';

const under = (dir: string, p: string) => p === dir || p.startsWith(dir + sep);

/**
 * The supported files named or found under the named folders. Hidden entries and database data
 * folders (dataDir, and any folder holding a PG_VERSION) are left out, as the reader would refuse
 * them: `erp-mcp ingest .` with the default settings would otherwise meet ./.erp-data and .git.
 */
export async function collectFiles(paths: string[], dataDir?: string): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths.map((x) => resolve(x))) {
    const info = await stat(p);
    if (!info.isDirectory()) {
      files.push(p); // named explicitly: the reader says why, if it refuses it
      continue;
    }
    const entries = await readdir(p, { recursive: true, withFileTypes: true });
    const dataDirs = entries.filter((e) => e.isFile() && e.name === 'PG_VERSION').map((e) => e.parentPath);
    if (dataDir) dataDirs.push(resolve(dataDir));
    const wanted = (file: string) =>
      SUPPORTED_EXTENSIONS.includes(extname(file).toLowerCase()) &&
      extname(file) !== '' &&
      !isHidden(relative(p, file).split(sep).join('/')) &&
      !dataDirs.some((d) => under(d, file));
    for (const e of entries)
      if (e.isFile() && wanted(join(e.parentPath, e.name))) files.push(join(e.parentPath, e.name));
  }
  return [...new Set(files)].sort();
}

export interface FolderOptions extends DocumentFolder {
  /** Module for every file; default: the file's first folder under the root, or "general". */
  module?: string;
  tags?: string[];
  /** Size and time limits for each file; default DEFAULT_READ_LIMITS (the ingest_document tool's). */
  limits?: ReadLimits;
  onFile?: (file: string, result: IngestResult | Error) => void;
}

export async function ingestFiles(
  db: Db,
  embedder: Embedder,
  files: string[],
  options: FolderOptions,
): Promise<{ ingested: number; skipped: number; failed: number }> {
  const totals = { ingested: 0, skipped: 0, failed: 0 };
  await embedder.dimensions(); // a missing model fails the whole run once, with its reason, not every file
  for (const file of files) {
    try {
      // Checked and hashed before the transaction opens, so a slow or refused file never holds the
      // database; read again, part by part, as it is stored (an unchanged one is not read again).
      const { path, text } = await openDocumentFile(options, file, options.limits);
      const module = options.module ?? (path.includes('/') ? path.split('/')[0]! : 'general');
      const result = await db.transaction((tx) =>
        ingestDocument(tx, embedder, { source: 'file', path, text, module, tags: options.tags, actor: null }),
      );
      totals[result.skipped ? 'skipped' : 'ingested'] += 1;
      options.onFile?.(file, result);
    } catch (error) {
      totals.failed += 1;
      options.onFile?.(file, error as Error);
    }
  }
  if (totals.ingested > 0) await analyzeDocuments(db);
  return totals;
}

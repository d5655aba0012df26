// Ingests files and folders (recursively): each supported file in its own transaction, named by
// its path relative to a base folder. Used by `erp-mcp ingest` and the demo seed.
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Db } from '../db/types.js';
import type { Embedder } from './embedder.js';
import { extractFileText, SUPPORTED_EXTENSIONS } from './extract.js';
import { ingestDocument, type IngestResult } from './ingest.js';

export async function collectFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths.map((x) => resolve(x))) {
    const info = await stat(p);
    if (info.isDirectory()) {
      const entries = await readdir(p, { recursive: true, withFileTypes: true });
      for (const e of entries) if (e.isFile() && SUPPORTED_EXTENSIONS.includes(extname(e.name).toLowerCase()) && extname(e.name)) files.push(join(e.parentPath, e.name));
    } else files.push(p);
  }
  return [...new Set(files)].sort();
}

export interface FolderOptions {
  /** Paths are stored relative to this folder. */
  base: string;
  /** Module for every file; default: the file's first folder under base, or "general". */
  module?: string;
  tags?: string[];
  onFile?: (file: string, result: IngestResult | Error) => void;
}

export async function ingestFiles(db: Db, embedder: Embedder, files: string[], options: FolderOptions): Promise<{ ingested: number; skipped: number; failed: number }> {
  const totals = { ingested: 0, skipped: 0, failed: 0 };
  await embedder.dimensions(); // a missing model fails the whole run once, with its reason, not every file
  for (const file of files) {
    const path = relative(options.base, file).split(sep).join('/');
    const module = options.module ?? (path.includes('/') ? path.split('/')[0]! : 'general');
    try {
      const text = await extractFileText(file);
      const result = await db.transaction((tx) => ingestDocument(tx, embedder, { path, text, module, tags: options.tags }));
      totals[result.skipped ? 'skipped' : 'ingested'] += 1;
      options.onFile?.(file, result);
    } catch (error) {
      totals.failed += 1;
      options.onFile?.(file, error as Error);
    }
  }
  // Fresh statistics let search skip words that are in most chunks (informativeTerms in search.ts);
  // PGlite has no autovacuum to gather them on its own.
  if (totals.ingested > 0) await db.query('select erp_analyze_documents()');
  return totals;
}

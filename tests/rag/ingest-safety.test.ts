// ingest_document reads only regular files under the documents root (issue 13): what it refuses,
// how fast, and that a refusal writes nothing; and who may replace or delete whose document.
// Decision: a symlink inside the root to a regular file inside the root is read as its target and
// stored under the target's canonical path, so both names are one document.
import { execFileSync } from 'node:child_process';
import {
  appendFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.js';
import { DEFAULT_READ_LIMITS, readDocumentFile } from '../../src/rag/files.js';
import { collectFiles, ingestFiles } from '../../src/rag/folder.js';
import { count, dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { connect, testDocsRoot, testEmbedder, type TestClient } from '../helpers/mcp.js';

interface Ingested {
  document_id: number;
  path: string;
  chunks: number;
  skipped: boolean;
}

/** A docs root with every kind of thing a client might name, and a PGlite data dir inside it. */
async function makeDocsRoot() {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'erp-docs-')));
  const outside = await realpath(await mkdtemp(join(tmpdir(), 'erp-outside-')));
  await writeFile(join(outside, 'secret.md'), '# Secret\n\nPayroll figures nobody may index.');
  await writeFile(join(root, 'ok.md'), '# Refund policy\n\nRefunds are paid within 14 days.');
  await writeFile(join(root, 'shared.md'), '# Shared\n\nA document anybody may read.');
  await mkdir(join(root, 'folder.md'));
  execFileSync('mkfifo', [join(root, 'pipe.md')]);
  await symlink(join(outside, 'secret.md'), join(root, 'escape.md'));
  await symlink('/dev/zero', join(root, 'zero.md'));
  await symlink('ok.md', join(root, 'alias.md'));
  await writeFile(join(root, '.env'), 'DATABASE_URL=postgres://app:secret@db/erp\n');
  await symlink('.env', join(root, 'env.md'));
  await writeFile(join(root, 'x.pdf'), Buffer.from([0x00, 0xff, 0x10, 0x00, 0x42, 0x99, 0x00, 0x7f, 0x00, 0x01]));
  await writeFile(join(root, 'broken.pdf'), '%PDF-1.7\nthis is not a PDF body at all\n%%EOF\n');
  await writeFile(join(root, 'huge.md'), '');
  await truncate(join(root, 'huge.md'), 3 * 1024 ** 3); // sparse: costs no disk
  await writeFile(
    join(root, 'nul.md'),
    Buffer.concat([Buffer.from('# Looks like text\n\n'), Buffer.alloc(64), Buffer.from('then zeros')]),
  );
  await writeFile(
    join(root, 'latin.txt'),
    Buffer.from([...Buffer.from('Price list: caf'), 0xe9, ...Buffer.from(' au lait 2.50\n')]),
  );
  const socket: Server = createServer();
  await new Promise<void>((done) => socket.listen(join(root, 'sock.md'), done));
  // A real PGlite data dir inside the docs root, as with the defaults (ERP_DOCS_DIR=., ERP_DATA_DIR=./.erp-data).
  const dataDir = join(root, '.erp-data');
  const pglite = await openPglite({ dataDir, loadDataDir: new Blob([await readFile(inject('pgliteTemplate'))]) });
  await pglite.exec("insert into settings (key, value) values ('secret_note', '\"finance-only revenue\"')");
  await pglite.close();
  await writeFile(join(dataDir, 'notes.md'), '# Notes\n\nA text file inside the data dir.');
  await symlink('.erp-data/PG_VERSION', join(root, 'version.md'));
  const relation = (await readdir(join(dataDir, 'base'), { recursive: true, withFileTypes: true })).find((e) =>
    e.isFile(),
  )!;
  return {
    root,
    outside,
    dataDir,
    relationFile: join(relation.parentPath, relation.name).slice(root.length + 1),
    close: async () => {
      await new Promise((done) => socket.close(done));
      await rm(root, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    },
  };
}

describe.each(dbKinds)('ingest safety on %s', (kind) => {
  let docs: Awaited<ReturnType<typeof makeDocsRoot>>;
  let db: TestDb;
  let admin: TestClient;
  let sales: TestClient;

  beforeAll(async () => {
    docs = await makeDocsRoot();
    db = await freshDb(kind);
    const rag = { embedder: testEmbedder, docsRoot: docs.root, dataDir: docs.dataDir };
    admin = await connect(db, { rag });
    sales = await connect(db, { role: 'sales', rag });
  });
  afterAll(async () => {
    await admin?.close();
    await sales?.close();
    await db?.close();
    await docs?.close();
  });

  const written = async () => ({ documents: await count(db, 'documents'), chunks: await count(db, 'document_chunks') });

  /** Calls ingest_document expecting a refusal: quick, one line, naming the path, nothing written. */
  async function refused(client: TestClient, args: Record<string, unknown>) {
    const before = await written();
    const started = performance.now();
    const error = await client.fail('ingest_document', { module: 'x', ...args });
    expect(performance.now() - started, JSON.stringify(args)).toBeLessThan(2000);
    expect(await written()).toEqual(before);
    return error;
  }

  it.each([
    ['folder.md', 'is a directory, not a regular file'],
    ['pipe.md', 'is a FIFO, not a regular file'],
    ['sock.md', 'is a socket, not a regular file'],
  ])('refuses %s before opening it, quickly, writing nothing', async (path, reason) => {
    expect(await refused(sales, { path })).toEqual({ code: 'INVALID_INPUT', message: `path: ${path} ${reason}` });
  });

  it('refuses a trailing slash instead of reading the file it names', async () => {
    for (const path of ['ok.md/', 'ok.md/.', 'folder.md/']) {
      expect(await refused(sales, { path })).toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^path: .* names a folder/),
      });
    }
  });

  it('refuses ../ escapes, absolute paths and symlinks that lead out of the root, or to a device', async () => {
    for (const path of [
      '../x.md',
      'folder.md/../../x.md',
      `${docs.outside}/secret.md`,
      '/etc/passwd',
      'escape.md',
      'zero.md',
    ]) {
      expect(await refused(sales, { path }), path).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/^path: .* is outside the documents folder/),
      });
    }
  });

  it('refuses hidden files such as .env, by name or through a symlink, since the default root is the working directory', async () => {
    for (const path of ['.env', 'env.md']) {
      expect(await refused(sales, { path }), path).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/^path: .* is hidden/),
      });
    }
  });

  it('caps the size: a 3 GB sparse file is refused from its size, without reading it', async () => {
    expect(await refused(sales, { path: 'huge.md' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^path: huge\.md is 3 GB; the limit is 20 MB$/),
    });
  });

  it('checks the content type: binary bytes never become text, a PDF must parse', async () => {
    expect(await refused(sales, { path: 'x.pdf' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'path: x.pdf is not a PDF (it does not start with %PDF-)',
    });
    expect(await refused(sales, { path: 'broken.pdf' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^path: broken\.pdf could not be read as a PDF/),
    });
    expect(await refused(sales, { path: 'nul.md' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'path: nul.md holds binary data (NUL bytes), not text',
    });
  });

  it('still reads a text file with a stray non-UTF-8 byte, and a real PDF', async () => {
    await writeFile(join(docs.root, 'warranty.pdf'), await readFile(join(testDocsRoot, 'drill-warranty.pdf')));
    expect((await sales.ok<Ingested>('ingest_document', { path: 'latin.txt', module: 'sales' })).chunks).toBe(1);
    expect(
      (await sales.ok<Ingested>('ingest_document', { path: 'warranty.pdf', module: 'sales' })).chunks,
    ).toBeGreaterThan(0);
  });

  it('never reads the data dir, even inside the docs root: database files, text in it, and symlinks into it', async () => {
    for (const path of [
      '.erp-data/PG_VERSION',
      docs.relationFile,
      '.erp-data/notes.md',
      'version.md',
      './.erp-data/../.erp-data/base',
    ]) {
      expect(await refused(sales, { path }), path).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/^path: .* is inside the database's data folder/),
      });
    }
  });

  it('recognises a database data dir by its PG_VERSION even when the server was not told where it is', async () => {
    const unaware = await connect(db, { role: 'sales', rag: { embedder: testEmbedder, docsRoot: docs.root } });
    try {
      expect(await refused(unaware, { path: docs.relationFile })).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refused(unaware, { path: '.erp-data/notes.md' })).toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await unaware.close();
    }
  });

  it('reads a symlink inside the root as its target, under the canonical path: one document for both names', async () => {
    const direct = await admin.ok<Ingested>('ingest_document', { path: 'ok.md', module: 'policies' });
    const viaLink = await admin.ok<Ingested>('ingest_document', { path: 'alias.md', module: 'policies' });
    expect(viaLink).toMatchObject({ document_id: direct.document_id, path: 'ok.md', skipped: true });
    expect(
      await admin.ok<Ingested>('ingest_document', { path: `${docs.root}/./ok.md`, module: 'policies' }),
    ).toMatchObject({ document_id: direct.document_id });
  });

  it('a text upload named like a file-backed document is a document of its own and never replaces the file', async () => {
    const file = await admin.ok<Ingested>('ingest_document', { path: 'ok.md', module: 'policies' });
    const before = await db.query('select content, content_hash from documents where id = $1', [file.document_id]);
    const text = await sales.ok<Ingested>('ingest_document', {
      path: 'ok.md',
      text: '# Refund policy\n\nRefunds are never paid.',
      module: 'policies',
    });
    expect(text.document_id).not.toBe(file.document_id);
    // Not a matter of rights: an admin's text upload of that name replaces the text document, not the file.
    const again = await admin.ok<Ingested>('ingest_document', {
      path: 'ok.md',
      text: '# Refund policy\n\nRefunds are paid in cash.',
      module: 'policies',
    });
    expect(again.document_id).toBe(text.document_id);
    expect(await db.query('select content, content_hash from documents where id = $1', [file.document_id])).toEqual(
      before,
    );
    expect(await db.query("select source from documents where path = 'ok.md' order by source")).toEqual([
      { source: 'file' },
      { source: 'text' },
    ]);
  });

  it('sales may neither replace nor delete what an admin ingested, by path or by text; the admin may', async () => {
    const file = await admin.ok<Ingested>('ingest_document', { path: 'shared.md', module: 'policies' });
    const note = await admin.ok<Ingested>('ingest_document', {
      path: 'notes/board.md',
      text: '# Board\n\nThe board meets monthly.',
      module: 'ops',
    });
    await appendFile(join(docs.root, 'shared.md'), '\nEdited by sales.');
    const forbidden = {
      code: 'FORBIDDEN',
      message: expect.stringMatching(/was ingested by admin@erp\.local; only an admin may replace or delete it$/),
    };
    expect(await refused(sales, { path: 'shared.md' })).toMatchObject(forbidden);
    expect(await refused(sales, { path: 'notes/board.md', text: '# Board\n\nThe board never meets.' })).toMatchObject(
      forbidden,
    );
    for (const id of [file.document_id, note.document_id]) {
      expect(await sales.fail('delete_document', { document_id: id })).toMatchObject(forbidden);
    }
    expect(
      await db.query('select id from documents where id = any($1) order by id', [[file.document_id, note.document_id]]),
    ).toHaveLength(2);
    expect((await admin.ok<Ingested>('ingest_document', { path: 'shared.md', module: 'policies' })).skipped).toBe(
      false,
    );
  });

  it('records who ingested a document; its owner may replace and delete it, and so may an admin', async () => {
    const mine = await sales.ok<Ingested>('ingest_document', {
      path: 'notes/mine.md',
      text: '# Mine\n\nVersion one.',
      module: 'sales',
    });
    const [owner] = await db.query<{ email: string }>(
      'select u.email from documents d join users u on u.id = d.ingested_by where d.id = $1',
      [mine.document_id],
    );
    expect(owner!.email).toBe('sales@test.local');
    expect(
      await sales.ok<Ingested>('ingest_document', {
        path: 'notes/mine.md',
        text: '# Mine\n\nVersion two.',
        module: 'sales',
      }),
    ).toMatchObject({ document_id: mine.document_id, skipped: false });
    await sales.ok('delete_document', { document_id: mine.document_id });
    const theirs = await sales.ok<Ingested>('ingest_document', {
      path: 'notes/theirs.md',
      text: '# Theirs\n\nA note.',
      module: 'sales',
    });
    await admin.ok('delete_document', { document_id: theirs.document_id });
  });

  it('run_query sees the new columns of reporting.documents', async () => {
    const cols = await db.owner.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_schema = 'reporting' and table_name = 'documents' order by ordinal_position",
    );
    expect(cols.map((c) => c.column_name)).toEqual([
      'id',
      'module',
      'path',
      'tags',
      'title',
      'content',
      'content_hash',
      'model_id',
      'created_at',
      'updated_at',
      'source',
      'ingested_by',
    ]);
  });
});

describe('the same checks outside MCP', () => {
  let docs: Awaited<ReturnType<typeof makeDocsRoot>>;
  beforeAll(async () => {
    docs = await makeDocsRoot();
  });
  afterAll(async () => {
    await docs?.close();
  });

  it('erp-mcp ingest walks past the data dir, hidden files, FIFOs and symlinks, and refuses what is named outright', async () => {
    const found = (await collectFiles([docs.root], docs.dataDir)).map((f) => f.slice(docs.root.length + 1));
    expect(found).toEqual(['broken.pdf', 'huge.md', 'latin.txt', 'nul.md', 'ok.md', 'shared.md', 'x.pdf']);
    const db = await freshDb('pglite');
    try {
      const failures: string[] = [];
      const started = performance.now();
      const totals = await ingestFiles(
        db,
        testEmbedder,
        [...found.map((f) => join(docs.root, f)), join(docs.root, 'pipe.md'), join(docs.outside, 'secret.md')],
        {
          root: docs.root,
          dataDir: docs.dataDir,
          onFile: (_file, outcome) => void (outcome instanceof Error && failures.push(outcome.message)),
        },
      );
      expect(performance.now() - started).toBeLessThan(5000);
      expect(totals).toEqual({ ingested: 3, skipped: 0, failed: 6 });
      expect(failures).toEqual([
        expect.stringContaining('could not be read as a PDF'),
        expect.stringContaining('is 3 GB'),
        expect.stringContaining('NUL bytes'),
        expect.stringContaining('is not a PDF'),
        expect.stringContaining('is a FIFO'),
        expect.stringContaining('is outside the documents folder'),
      ]);
      expect((await db.query<{ path: string }>('select path from documents order by path')).map((r) => r.path)).toEqual(
        ['latin.txt', 'ok.md', 'shared.md'],
      );
    } finally {
      await db.close();
    }
  });

  it('caps the bytes read and the time taken, with one-line refusals', async () => {
    const folder = { root: docs.root, dataDir: docs.dataDir };
    await expect(readDocumentFile(folder, 'ok.md', { ...DEFAULT_READ_LIMITS, maxBytes: 10 })).rejects.toThrow(
      /^path: ok\.md is \d+ bytes; the limit is 10 bytes$/,
    );
    await expect(readDocumentFile(folder, 'ok.md', { ...DEFAULT_READ_LIMITS, timeLimitMs: 0 })).rejects.toThrow(
      'path: ok.md took longer than 0 s to read',
    );
    expect(await readDocumentFile(folder, 'alias.md')).toEqual({
      path: 'ok.md',
      text: '# Refund policy\n\nRefunds are paid within 14 days.',
    });
  });
});

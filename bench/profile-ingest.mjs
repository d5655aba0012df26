// Ingest ÷ raw embedding, repeated and interleaved, with where the ingest's time goes (not part of
// the bench; a profiling aid): node bench/profile-ingest.mjs [paragraphs…]; DATABASE_URL adds PostgreSQL.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPglite } from '../dist/db/pglite.js';
import { openPostgres } from '../dist/db/postgres.js';
import { migrate } from '../dist/db/migrate.js';
import { createEmbedder } from '../dist/rag/embedder.js';
import { chunkText } from '../dist/rag/chunker.js';
import { ingestDocument } from '../dist/rag/ingest.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const modelDir = process.env.ERP_MODEL_DIR ?? join(root, '../shared/models');
const model = process.env.ERP_EMBED_MODEL ?? 'local/glove-100d-sif';
const sizes = process.argv.slice(2).map(Number);

const files = (await readdir(join(root, 'demo/documents'), { recursive: true })).filter((f) => f.endsWith('.md'));
const src = (await Promise.all(files.map((f) => readFile(join(root, 'demo/documents', f), 'utf8')))).join('\n');
const sentences = src
  .replace(/[#|*`-]+/g, ' ')
  .split(/(?<=[.!?])\s+|\n+/)
  .map((t) => t.replace(/\s+/g, ' ').trim())
  .filter((t) => t.split(' ').length >= 5);
let x = 5;
const pick = (xs) => {
  x = (x * 1664525 + 1013904223) >>> 0;
  return xs[x % xs.length];
};
const textOf = (n) =>
  Array.from({ length: n }, () => [pick(sentences), pick(sentences), pick(sentences)].join(' ')).join('\n\n');

const embedder = createEmbedder({ modelDir, model });
await embedder.embed(['warm up']);

/** A transaction handle that adds up the time its statements are outstanding, by kind of statement. */
function timed(tx, spent) {
  return new Proxy(tx, {
    get(target, key) {
      if (key !== 'query') return target[key];
      return (text, ...rest) => {
        const kind = /^\s*(\w+(?: into \w+| from \w+|\s+\w+)?)/.exec(text)?.[1].replace(/\s+/g, ' ') ?? text;
        const s = performance.now();
        return target.query(text, ...rest).finally(() => {
          spent[kind] = (spent[kind] ?? 0) + performance.now() - s;
        });
      };
    },
  });
}

async function once(kind, db, n, round) {
  const text = textOf(n);
  const texts = chunkText(text, { size: 400, overlap: 0 }).map((c) => c.text);
  let s = performance.now();
  await embedder.embed(texts);
  const raw = texts.length / ((performance.now() - s) / 1000);
  const spent = {};
  s = performance.now();
  const r = await db.transaction((tx) =>
    ingestDocument(
      timed(tx, spent),
      embedder,
      { source: 'text', path: `p/${n}/${round}`, text, module: 'p', actor: null },
      { size: 400, overlap: 0 },
    ),
  );
  const total = performance.now() - s;
  const rate = r.chunks / (total / 1000);
  const top = Object.entries(spent)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');
  console.log(
    `${kind} ${r.chunks} chunks: ingest ${rate.toFixed(0)}/s raw ${raw.toFixed(0)}/s = ${(rate / raw).toFixed(2)}× (${total.toFixed(0)} ms; ${top})`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'erp-prof-'));
const dbs = [['pglite', await openPglite({ dataDir: join(dir, 'pg') })]];
if (process.env.DATABASE_URL) dbs.push(['postgres', await openPostgres(process.env.DATABASE_URL, { max: 4 })]);
for (const [, db] of dbs) await migrate(db);
for (let round = 0; round < 2; round++)
  for (const n of sizes.length ? sizes : [500, 2000]) for (const [kind, db] of dbs) await once(kind, db, n, round);
for (const [, db] of dbs) await db.close();
await rm(dir, { recursive: true, force: true });
await embedder.close();

// npm run bench — every figure is a ratio against a floor measured in the same run, on the same
// machine, so results compare across machines. Not part of the tests. Writes
// bench/results/<date>.md. Env: DATABASE_URL (PostgreSQL parts), BENCH_QUICK=1 (smaller sizes),
// BENCH_ONLY=latency,overhead,o2c,rag,cold,shared,size,findop (some sections, results not written),
// ERP_MODEL_DIR/ERP_EMBED_MODEL (default ../shared/models, local/glove-100d-sif).
import { spawn } from 'node:child_process';
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { openDb } from '../dist/db/index.js';
import { openPglite } from '../dist/db/pglite.js';
import { openPostgres } from '../dist/db/postgres.js';
import { migrate } from '../dist/db/migrate.js';
import { seedDemo } from '../dist/demo/seed.js';
import { requireUserByEmail } from '../dist/domain/platform/users.js';
import { createToken } from '../dist/domain/platform/tokens.js';
import { getOrder } from '../dist/domain/sales/order-queries.js';
import { searchCustomers } from '../dist/domain/sales/customers.js';
import { createMcpServer } from '../dist/server.js';
import { startHttpServer } from '../dist/http.js';
import { createEmbedder } from '../dist/rag/embedder.js';
import { ingestDocument } from '../dist/rag/ingest.js';
import { openDocumentFile } from '../dist/rag/files.js';
import { chunkText } from '../dist/rag/chunker.js';
import { searchDocuments } from '../dist/rag/search.js';
import { toVector } from '../dist/domain/documents/models.js';
import { registerEmbeddingModel } from '../dist/rag/models.js';
import { TOOLSETS } from '../dist/domain/platform/roles.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (section) => !only || only.includes(section);
const modelDir = process.env.ERP_MODEL_DIR ?? join(root, '../shared/models');
const model = process.env.ERP_EMBED_MODEL ?? 'local/glove-100d-sif';
const lines = [];
const out = (s = '') => {
  console.log(s);
  lines.push(s);
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => `${x.toFixed(2)} ms`;
async function timeIt(n, fn) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    t.push(performance.now() - s);
  }
  return t;
}
const row = (...cells) => out(`| ${cells.join(' | ')} |`);

async function inMemoryClient(db, user) {
  const server = createMcpServer({ db, user, toolsets: [...TOOLSETS] });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'bench', version: '0' });
  await Promise.all([server.connect(b), client.connect(a)]);
  return client;
}

async function overhead(kind, db) {
  const user = await requireUserByEmail(db, 'admin@erp.local');
  const [{ id: orderId }] = await db.query("select id from orders where status = 'fulfilled' order by id limit 1");
  const n = quick ? 100 : 300;
  const warm = (f) => timeIt(30, f); // JIT and plan caches warm before anything is timed
  await warm(() => db.transaction((tx) => getOrder(tx, orderId)));
  await warm(() => db.transaction((tx) => searchCustomers(tx, { query: 'co', limit: 20 })));
  // run_query's floor: the same SQL on the tables, in a transaction, as the server's own role.
  const [{ customer_id: customerId }] = await db.query('select customer_id from orders where id = $1', [orderId]);
  const adHoc = {
    sql: 'select id, status, total, created_at from orders where customer_id = $1 order by id desc limit 20',
    params: [customerId],
  };
  await warm(() => db.transaction((tx) => tx.query(adHoc.sql, adHoc.params)));
  const floors = {
    run_query: await timeIt(n, () => db.transaction((tx) => tx.query(adHoc.sql, adHoc.params))),
    get_order: await timeIt(n, () => db.transaction((tx) => getOrder(tx, orderId))),
    search_customers: await timeIt(n, () => db.transaction((tx) => searchCustomers(tx, { query: 'co', limit: 20 }))),
  };
  const transports = {};
  transports['in-memory'] = await inMemoryClient(db, user);
  const token = (await db.transaction((tx) => createToken(tx, user.id, 'bench'))).token;
  const http = await startHttpServer({ db, host: '127.0.0.1', port: 0, toolsets: [...TOOLSETS] });
  const hc = new Client({ name: 'bench', version: '0' });
  await hc.connect(
    new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  transports.http = hc;
  if (kind === 'postgres') {
    const sc = new Client({ name: 'bench', version: '0' });
    await sc.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(root, 'dist/cli.js'), 'stdio'],
        env: { ...process.env, DATABASE_URL: db.url },
      }),
    );
    transports.stdio = sc;
  }
  // Context for the HTTP rows: one loopback request that does nothing but `select 1`.
  const healthz = new URL('/healthz', http.url);
  await warm(() => fetch(healthz).then((r) => r.text()));
  const plain = await timeIt(n, () => fetch(healthz).then((r) => r.text()));
  row(kind, 'http', 'GET /healthz (select 1), for scale', ms(pct(plain, 50)), ms(pct(plain, 95)), '', '');
  for (const [name, client] of Object.entries(transports)) {
    for (const [tool, args] of [
      ['get_order', { order_id: orderId }],
      ['search_customers', { query: 'co', limit: 20 }],
      ['run_query', adHoc],
    ]) {
      await warm(() => client.callTool({ name: tool, arguments: args }));
      const t = await timeIt(n, () => client.callTool({ name: tool, arguments: args }));
      const f = floors[tool];
      row(kind, name, tool, ms(pct(t, 50)), ms(pct(t, 95)), ms(pct(f, 50)), `${(pct(t, 50) / pct(f, 50)).toFixed(2)}×`);
    }
    await client.close();
  }
  await http.close();
}

/** One order-to-cash cycle: 6 audited calls; onCall(name, ms) sees each call's client-side time. */
async function o2cCycle(c, { customerId, productId }, onCall) {
  const call = async (name, args) => {
    const s = performance.now();
    const r = await c.callTool({ name, arguments: args });
    onCall?.(name, performance.now() - s);
    if (r.isError) throw new Error(`${name}: ${r.content[0].text}`);
    return r.structuredContent;
  };
  const o = await call('create_order', { customer_id: customerId, items: [{ product_id: productId, quantity: 1 }] });
  await call('confirm_order', { order_id: o.id });
  await call('fulfill_order', { order_id: o.id });
  const inv = await call('create_invoice', { customer_id: customerId, order_ids: [o.id], tax_rate: '0.0825' });
  await call('post_invoice', { invoice_id: inv.id });
  await call('record_payment', {
    customer_id: customerId,
    amount: '10.83',
    method: 'bank',
    allocations: [{ invoice_id: inv.id, amount: '10.83' }],
  });
}

/** Order-to-cash over HTTP with 12 clients: all on one `erp-mcp http` process, then spread over three. */
async function scaleOut(db, productId, customerId) {
  const user = await requireUserByEmail(db, 'admin@erp.local');
  const token = (await db.transaction((tx) => createToken(tx, user.id, 'bench-scale'))).token;
  const ports = [0, 1, 2].map((i) => 4600 + i);
  const servers = ports.map((port) =>
    spawn(process.execPath, [join(root, 'dist/cli.js'), 'http', '--port', String(port)], {
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: 'ignore',
    }),
  );
  for (const port of ports) {
    for (
      let t = 0;
      t < 100 &&
      !(await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
      t++
    )
      await new Promise((r) => setTimeout(r, 100));
  }
  out(
    '\nOver HTTP, 12 clients, one PostgreSQL: one server against three (every server on this same 2-core machine).\n',
  );
  row('servers', 'throughput', 'scaling', 'calls');
  row('---', '---', '---', '---');
  let base;
  for (const spread of [1, 3]) {
    const clients = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const c = new Client({ name: 'bench', version: '0' });
        await c.connect(
          new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${ports[i % spread]}/mcp`), {
            requestInit: { headers: { Authorization: `Bearer ${token}` } },
          }),
        );
        return c;
      }),
    );
    const seconds = quick ? 3 : 8;
    const end = performance.now() + seconds * 1000;
    let done = 0;
    await Promise.all(
      clients.map(async (c) => {
        while (performance.now() < end) {
          await o2cCycle(c, { customerId, productId });
          done++;
        }
      }),
    );
    const rate = done / seconds;
    base ??= rate;
    row(
      spread,
      `${rate.toFixed(1)} cycles/s`,
      `${(rate / base).toFixed(2)}× of 1 server`,
      `${(6 * rate).toFixed(0)} tool calls/s`,
    );
    await Promise.all(clients.map((c) => c.close()));
  }
  for (const s of servers) s.kill();
}

/**
 * Samples pg_stat_activity for the bench database's other sessions until `end`: running, waiting
 * for the WAL flush, for a row lock (with the waiting statement's first words), or idle in a
 * transaction while this process works out its next statement.
 */
async function sampleBackends(url, end) {
  const mon = await openPostgres(url, { max: 1 });
  const counts = new Map();
  let samples = 0;
  while (performance.now() < end) {
    const rows = await mon.query(
      `select wait_event_type as type, wait_event as event, state, regexp_replace(left(query, 60), '\\s+', ' ', 'g') as query
       from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
    );
    samples++;
    for (const r of rows) {
      const words = r.query
        .replace(/\$\d+.*/, '')
        .trim()
        .split(' ')
        .slice(0, 4)
        .join(' ');
      const k =
        r.state === 'idle in transaction'
          ? 'idle in transaction (the server is working out its next statement)'
          : r.type === 'Lock'
            ? `waiting for a ${r.event} lock: ${words}…`
            : r.type === 'IO' || r.type === 'LWLock'
              ? `${r.event} (${words})`
              : r.type === 'Client'
                ? 'reading the next statement'
                : `running: ${words}…`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await mon.close();
  return { counts, samples };
}

async function orderToCash(db) {
  const user = await requireUserByEmail(db, 'admin@erp.local');
  const [{ id: productId }] = await db.query(
    "insert into products (sku, name, price, cost) values ('BENCH', 'Bench item', 10, 4) returning id",
  );
  await db.query('insert into stock (product_id) values ($1)', [productId]);
  const [{ id: customerId }] = await db.query("insert into customers (name) values ('Bench buyer') returning id");
  const setup = await inMemoryClient(db, user);
  await setup.callTool({ name: 'receive_stock', arguments: { product_id: productId, quantity: 1000000 } });
  const spent = new Map(); // tool → client-observed ms, in the 1-client run
  const cycle = (c, timed) =>
    o2cCycle(
      c,
      { customerId, productId },
      timed
        ? (name, ms) => {
            const t = spent.get(name) ?? { ms: 0, calls: 0 };
            t.ms += ms;
            t.calls += 1;
            spent.set(name, t);
          }
        : undefined,
    );
  let base;
  let inside = [];
  let waits = null;
  for (const n of [1, 4, 16]) {
    const clients = await Promise.all(Array.from({ length: n }, () => inMemoryClient(db, user)));
    const seconds = quick ? 3 : 8;
    let done = 0;
    const end = performance.now() + seconds * 1000;
    const since = (await db.query('select coalesce(max(id), 0) as id from tool_calls'))[0].id;
    const cpu = process.cpuUsage();
    const sampling = n === 16 ? sampleBackends(db.url, end) : null;
    await Promise.all(
      clients.map(async (c) => {
        while (performance.now() < end) {
          await cycle(c, n === 1);
          done++;
        }
      }),
    );
    if (sampling) waits = await sampling;
    const { user: u, system: sys } = process.cpuUsage(cpu);
    if (n === 1)
      inside = await db.query(
        'select tool_name, sum(duration_ms)::float8 as ms from tool_calls where id > $1 group by 1',
        [since],
      );
    const rate = done / seconds;
    base ??= rate;
    row(
      n,
      `${rate.toFixed(1)} cycles/s`,
      `${(rate / base).toFixed(2)}× of 1 client`,
      `${(6 * rate).toFixed(0)} tool calls/s`,
      `${((u + sys) / 1000 / done).toFixed(1)} ms`,
    );
    await Promise.all(clients.map((c) => c.close()));
  }
  const total = [...spent.values()].reduce((a, t) => a + t.ms, 0);
  out(
    '\nWhere the time goes (1 client): share of the cycle per tool, and how much of each call the server spends in the tool itself (validation and its transaction; the rest is the audit append, MCP and the transport).\n',
  );
  row('tool', 'share of cycle', 'client ms per call', 'in the tool itself');
  row('---', '---', '---', '---');
  for (const [tool, t] of spent) {
    const own = inside.find((r) => r.tool_name === tool)?.ms ?? 0;
    row(
      tool,
      `${((100 * t.ms) / total).toFixed(0)} %`,
      (t.ms / t.calls).toFixed(2),
      `${((100 * own) / t.ms).toFixed(0)} %`,
    );
  }
  if (waits) {
    out(
      `\nWhere the time goes at 16 clients: what the server's database sessions were doing, sampled every few ms (${waits.samples} samples; a session waiting for a row lock names the statement that waits).\n`,
    );
    row('session state', 'share');
    row('---', '---');
    const total = [...waits.counts.values()].reduce((a, b) => a + b, 0);
    for (const [k, v] of [...waits.counts].sort((a, b) => b[1] - a[1]).slice(0, 10))
      row(k, `${((100 * v) / total).toFixed(0)} %`);
  }
  const [{ n }] = await db.query('select count(*)::int as n from tool_calls');
  out(
    `(each cycle = 6 audited tool calls; ${n} audit rows written; check_books afterwards: ${(await setup.callTool({ name: 'check_books', arguments: {} })).structuredContent.ok ? 'green' : 'RED'})`,
  );
  await scaleOut(db, productId, customerId);
  await setup.close();
}

/** Chunk-sized texts made of the demo documents' sentences, recombined: real words, real spread. */
async function corpus(n, seed) {
  const files = (await readdir(join(root, 'demo/documents'), { recursive: true })).filter((f) => f.endsWith('.md'));
  const text = (await Promise.all(files.map((f) => readFile(join(root, 'demo/documents', f), 'utf8')))).join('\n');
  const sentences = text
    .replace(/[#|*`-]+/g, ' ')
    .split(/(?<=[.!?])\s+|\n+/)
    .map((t) => t.replace(/\s+/g, ' ').trim())
    .filter((t) => t.split(' ').length >= 5);
  const words = [...new Set(text.toLowerCase().match(/[a-z]{4,}/g))];
  let x = seed >>> 0;
  const pick = (xs) => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return xs[x % xs.length];
  };
  return Array.from({ length: n }, () =>
    [
      pick(sentences),
      pick(sentences),
      pick(sentences),
      `See also ${pick(words)}, ${pick(words)} and ${pick(words)}.`,
    ].join(' '),
  );
}

async function storeChunks(db, docId, modelId, texts, vectors, offset) {
  for (let i = 0; i < texts.length; i += 1000) {
    await db.query(
      `insert into document_chunks (document_id, chunk_index, content, embedding, model_id)
      select $1, $2::int + t.n::int - 1, t.c, t.v::vector, $5 from unnest($3::text[], $4::text[]) with ordinality as t(c, v, n)`,
      [docId, offset + i, texts.slice(i, i + 1000), vectors.slice(i, i + 1000).map(toVector), modelId],
    );
  }
}

/**
 * A huge Markdown file (40 MB, 8 in quick mode) through openDocumentFile and ingest, read and
 * stored in parts: chunks/s against raw embedding of the file's own first chunks (the same chunk
 * size), and the process's peak RSS growth during the ingest against the file's size.
 */
async function hugeFile(kind, db, embedder) {
  const bytes = (quick ? 8 : 40) * 2 ** 20;
  const folder = await mkdtemp(join(tmpdir(), 'erp-huge-'));
  const paragraphs = await corpus(2000, 3 * kind.length);
  const file = await open(join(folder, 'huge.md'), 'w');
  let written = 0;
  for (let section = 0; written < bytes; section++) {
    const part = `## Section ${section}\n\n${paragraphs.slice((section * 7) % 1900, ((section * 7) % 1900) + 7).join('\n\n')}\n\n`;
    await file.write(part);
    written += Buffer.byteLength(part);
  }
  await file.close();
  const limits = { maxBytes: 2 * bytes, timeLimitMs: 60_000 };
  const opened = await openDocumentFile({ root: folder }, 'huge.md', limits);
  const sample = [];
  for await (const part of opened.text.parts()) {
    sample.push(
      ...chunkText(part)
        .map((c) => c.text)
        .slice(0, 2000),
    );
    break;
  }
  let s = performance.now();
  await embedder.embed(sample);
  const raw = sample.length / ((performance.now() - s) / 1000);
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  s = performance.now();
  const ingested = await db.transaction((tx) =>
    ingestDocument(tx, embedder, { source: 'file', ...opened, module: 'bench', actor: null }),
  );
  const seconds = (performance.now() - s) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const rate = ingested.chunks / seconds;
  row(
    kind,
    `ingest a ${(written / 2 ** 20).toFixed(0)} MB file: ${ingested.chunks} chunks in ${seconds.toFixed(1)} s`,
    `${rate.toFixed(0)} chunks/s; peak RSS +${((peak - before) / 2 ** 20).toFixed(0)} MB`,
    `raw embedding ${raw.toFixed(0)} texts/s; file ${(written / 2 ** 20).toFixed(0)} MB`,
    `${(rate / raw).toFixed(2)}×; RSS growth ÷ file size ${((peak - before) / written).toFixed(2)}`,
    '',
  );
  await rm(folder, { recursive: true, force: true });
}

async function rag(kind, db) {
  const embedder = createEmbedder({ modelDir, model });
  await embedder.embed(['warm up']);
  // Ingest: the whole path (chunk, embed, write chunks with their HNSW and full-text index entries)
  // against embedding the same chunk texts alone.
  const paragraphs = await corpus(quick ? 500 : 2000, kind.length);
  const chunkTexts = chunkText(paragraphs.join('\n\n'), { size: 400, overlap: 0 }).map((c) => c.text);
  let s = performance.now();
  await embedder.embed(chunkTexts);
  const raw = chunkTexts.length / ((performance.now() - s) / 1000);
  s = performance.now();
  const ingested = await db.transaction((tx) =>
    ingestDocument(
      tx,
      embedder,
      { source: 'text', path: `bench/${kind}.md`, text: paragraphs.join('\n\n'), module: 'bench', actor: null },
      { size: 400, overlap: 0 },
    ),
  );
  const ingest = ingested.chunks / ((performance.now() - s) / 1000);
  row(
    kind,
    `ingest ${ingested.chunks} chunks`,
    `${ingest.toFixed(0)} chunks/s`,
    `raw embedding ${raw.toFixed(0)} texts/s`,
    `${(ingest / raw).toFixed(2)}×`,
    '',
  );
  // Search: grow the index to each size with embedded corpus text; compare search_documents
  // (embed + hybrid SQL) with embed + the bare HNSW top-10, and the HNSW top-10 with exact search.
  const m = await db.transaction((tx) => registerEmbeddingModel(tx, embedder));
  const [{ id: docId }] = await db.query("insert into documents (module, path) values ('bench', $1) returning id", [
    `bench/corpus-${kind}`,
  ]);
  const sizes = kind === 'postgres' ? (quick ? [10000] : [10000, 100000]) : [quick ? 2000 : 10000];
  let have = ingested.chunks;
  const nn = (extra) =>
    `select id, (embedding::vector(${m.dimensions}) <=> $1::vector(${m.dimensions}))::float8 as d from document_chunks where model_id = ${Number(m.id)} ${extra} order by embedding::vector(${m.dimensions}) <=> $1::vector(${m.dimensions}) limit 10`;
  const hnsw = (tx, v) => tx.query('set local hnsw.ef_search = 100').then(() => tx.query(nn(''), [toVector(v)]));
  for (const size of sizes) {
    const texts = await corpus(size - have, size);
    await storeChunks(db, docId, m.id, texts, await embedder.embed(texts), have);
    have = size;
    await db.query('select erp_analyze_documents()'); // what autovacuum (PostgreSQL) or `erp-mcp ingest` does after a load
    const queries = (await corpus(quick ? 20 : 50, 7 * size)).map((t) => t.split(' ').slice(2, 9).join(' '));
    const full = await timeIt(queries.length, (i) =>
      db.transaction((tx) => searchDocuments(tx, embedder, { query: queries[i], limit: 10 })),
    );
    const floor = await timeIt(queries.length, (i) =>
      db.transaction(async (tx) => hnsw(tx, (await embedder.embed([queries[i]]))[0])),
    );
    let hits = 0;
    for (const [v] of await Promise.all(queries.map((q) => embedder.embed([q])))) {
      const approx = await db.transaction((tx) => hnsw(tx, v));
      // Exact: the same ordering with the index disabled; ties at the 10th distance count as hits.
      const exact = await db.transaction(async (tx) => {
        await tx.query('set local enable_indexscan = off');
        return tx.query(nn(''), [toVector(v)]);
      });
      const tenth = exact[exact.length - 1].d + 1e-9;
      hits += approx.filter((r) => r.d <= tenth).length;
    }
    row(
      kind,
      `search @ ${size.toLocaleString('en')} chunks`,
      `p50 ${ms(pct(full, 50))}`,
      `embed + HNSW top-10 p50 ${ms(pct(floor, 50))}`,
      `${(pct(full, 50) / pct(floor, 50)).toFixed(2)}×`,
      `recall@10 ${(hits / (queries.length * 10)).toFixed(3)}`,
    );
  }
  // Last, so the search rows measure the sizes they name.
  await hugeFile(kind, db, embedder);
}

const withoutDatabaseUrl = ({ DATABASE_URL, ...rest }) => rest;

async function coldStart(kind, env) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const client = new Client({ name: 'bench', version: '0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(root, 'dist/cli.js'), 'stdio'],
      env: { ...withoutDatabaseUrl(process.env), ...env },
    });
    await client.connect(transport);
    await client.listTools();
    const ready = performance.now() - start;
    const pid = transport.pid;
    const rss = () =>
      new Promise((resolve) => {
        const p = spawn('ps', ['-o', 'rss=', '-p', String(pid)]);
        let o = '';
        p.stdout.on('data', (d) => (o += d));
        p.on('close', () => resolve(Number(o.trim()) / 1024));
      });
    const before = await rss();
    await client.callTool({ name: 'search_documents', arguments: { query: 'refund policy' } });
    const after = await rss();
    runs.push({ ready, before, after });
    await client.close();
  }
  const r = runs.sort((a, b) => a.ready - b.ready)[1];
  row(kind, `${(r.ready / 1000).toFixed(2)} s`, `${r.before.toFixed(0)} MB`, `${r.after.toFixed(0)} MB`);
}

// The owner of a data dir calls PGlite in-process; the other processes on it go through the
// owner's Unix socket. What that costs them, and how long a takeover after kill -9 takes.
async function sharedCost(dataDir) {
  const n = quick ? 100 : 300;
  const alone = await openPglite({ dataDir });
  const [{ id: orderId }] = await alone.query("select id from orders where status = 'fulfilled' order by id limit 1");
  const domainCall = (db) => () => db.transaction((tx) => getOrder(tx, orderId));
  await timeIt(30, domainCall(alone));
  const floor = await timeIt(n, domainCall(alone));
  await alone.close();
  row(
    'getOrder in a transaction',
    'PGlite in this process (the old, single-process path)',
    ms(pct(floor, 50)),
    ms(pct(floor, 95)),
    '1.00×',
  );
  const env = {
    ...withoutDatabaseUrl(process.env),
    ERP_DATA_DIR: dataDir,
    ERP_MODEL_DIR: modelDir,
    ERP_EMBED_MODEL: model,
  };
  const servers = [];
  for (const role of ['owner', 'guest']) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(root, 'dist/cli.js'), 'stdio'],
      env,
    });
    const client = new Client({ name: 'bench', version: '0' });
    await client.connect(transport);
    servers.push({ role, client, transport });
  }
  const { pid: ownerPid } = JSON.parse(await readFile(join(dataDir, 'erp-mcp.lock'), 'utf8'));
  if (servers[0].transport.pid !== ownerPid) throw new Error('the first stdio server should own the data dir');
  const guest = await openDb({ dataDir }); // this process, a guest of the first stdio server
  await timeIt(30, domainCall(guest));
  const viaSocket = await timeIt(n, domainCall(guest));
  row(
    'getOrder in a transaction',
    "from another process, through the owner's socket",
    ms(pct(viaSocket, 50)),
    ms(pct(viaSocket, 95)),
    `${(pct(viaSocket, 50) / pct(floor, 50)).toFixed(2)}×`,
  );
  const tool = { name: 'get_order', arguments: { order_id: orderId } };
  let ownerP50;
  for (const { role, client } of servers) {
    await timeIt(30, () => client.callTool(tool));
    const t = await timeIt(n, () => client.callTool(tool));
    ownerP50 ??= pct(t, 50);
    row(
      'get_order over stdio',
      `${role} process`,
      ms(pct(t, 50)),
      ms(pct(t, 95)),
      `${(pct(t, 50) / ownerP50).toFixed(2)}× of the owner`,
    );
  }
  const start = performance.now();
  process.kill(servers[0].transport.pid, 'SIGKILL');
  let failed = 0;
  while ((await servers[1].client.callTool(tool)).isError && failed < 100) failed++;
  row(
    'takeover after kill -9 of the owner',
    "until the guest's get_order answers again",
    ms(performance.now() - start),
    '',
    `${failed} call(s) answered UNAVAILABLE`,
  );
  await guest.close();
  await servers[1].client.close();
}

const date = new Date().toISOString().slice(0, 10);
out(`# erp-mcp benchmark ${date}`);
out(
  `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${quick ? ' (quick mode)' : ''}.`,
);
const dir = await mkdtemp(join(tmpdir(), 'erp-bench-'));
const databases = [];
const pglite = await openPglite({ dataDir: join(dir, 'pglite') });
await migrate(pglite);
await seedDemo(pglite);
databases.push(['pglite', pglite]);
if (process.env.DATABASE_URL) {
  // The bench's own database is named after DATABASE_URL's (erp_test → erp_test_bench), so runs
  // against different databases on one server never drop each other's.
  const u = new URL(process.env.DATABASE_URL);
  const benchDb = `${decodeURIComponent(u.pathname.slice(1)) || 'erp'}_bench`;
  if (!/^[a-z_][a-z0-9_]*$/.test(benchDb))
    throw new Error(`DATABASE_URL's database name makes no plain bench name: ${benchDb}`);
  const admin = await openPostgres(process.env.DATABASE_URL, { max: 1 });
  await admin.exec(`drop database if exists ${benchDb} with (force)`);
  await admin.exec(`create database ${benchDb}`);
  await admin.close();
  u.pathname = `/${benchDb}`;
  const pg = await openPostgres(u.toString(), { max: 20 });
  pg.url = u.toString();
  await migrate(pg);
  await seedDemo(pg);
  databases.push(['postgres', pg]);
} else out('DATABASE_URL not set: PostgreSQL rows skipped.');

out(
  '\n## 0. Per-call latency over stdio on PostgreSQL: erp-mcp against DBHub execute_sql on the same row, interleaved\n',
);
row('call', 'p50', 'p95', '÷ DBHub p50');
row('---', '---', '---', '---');
const pgForLatency = databases.find(([k]) => k === 'postgres');
if (pgForLatency && wanted('latency')) {
  await import('./latency.mjs').then(({ latencyBench }) =>
    latencyBench({ db: pgForLatency[1], url: pgForLatency[1].url, row, out, quick, pct, ms }),
  );
} else out('(skipped: no DATABASE_URL)');
out('\n## 1. Tool-call overhead (MCP call ÷ the same domain SQL in a transaction on the driver)\n');
row('db', 'transport', 'tool', 'p50', 'p95', 'floor p50', 'ratio');
row('---', '---', '---', '---', '---', '---', '---');
if (wanted('overhead')) for (const [kind, db] of databases) await overhead(kind, db);
out('\n## 2. Order-to-cash throughput on PostgreSQL (create → confirm → fulfil → invoice → post → pay)\n');
out(
  "All clients share one product and one customer, as a best seller does: confirm and fulfil lock its stock row, and post_invoice the invoice series, until they commit. Node CPU is this process's (clients and servers, in memory) per cycle.\n",
);
row('clients', 'throughput', 'scaling', 'calls', 'Node CPU per cycle');
row('---', '---', '---', '---', '---');
const pg = databases.find(([k]) => k === 'postgres');
if (pg && wanted('o2c')) await orderToCash(pg[1]);
else out('(skipped: no DATABASE_URL)');
out('\n## 3. Documents: ingest ÷ raw embedding; search p50 ÷ raw pgvector query; HNSW recall@10 vs exact\n');
row('db', 'what', 'measured', 'floor', 'ratio', 'recall');
row('---', '---', '---', '---', '---', '---');
if (wanted('rag')) for (const [kind, db] of databases) await rag(kind, db);
out('\n## 4. Cold start (spawn → initialize → tools/list answered, existing data) and memory\n');
row('db', 'ready', 'RSS after start', 'RSS after first search');
row('---', '---', '---', '---');
await pglite.close();
if (wanted('cold'))
  await coldStart('pglite', { ERP_DATA_DIR: join(dir, 'pglite'), ERP_MODEL_DIR: modelDir, ERP_EMBED_MODEL: model });
if (pg && wanted('cold')) {
  await coldStart('postgres', { DATABASE_URL: pg[1].url, ERP_MODEL_DIR: modelDir, ERP_EMBED_MODEL: model });
  await pg[1].close();
}
out('\n## 5. One PGlite data dir shared by several processes (p50, p95 over the same order)\n');
row('what', 'path', 'p50', 'p95', 'ratio');
row('---', '---', '---', '---', '---');
if (wanted('shared')) await sharedCost(join(dir, 'pglite'));
out(
  '\n## 6. tools/list size per role, every toolset on (characters; ≈ tokens = characters ÷ 4; ratio ÷ names + descriptions alone)\n',
);
if (wanted('size')) await import('./tools-list-size.mjs').then(({ reportToolsListSize }) => reportToolsListSize(row));
if (wanted('findop'))
  await import('./find-operation.mjs').then(({ findOperationBench }) =>
    findOperationBench({ out, row, modelDir, model }),
  );
if (!only) await writeFile(join(root, 'bench/results', `${date}.md`), `${lines.join('\n')}\n`);
await rm(dir, { recursive: true, force: true });
console.log(only ? '\n(BENCH_ONLY set: results not written)' : `\nWritten to bench/results/${date}.md`);
process.exit(0);

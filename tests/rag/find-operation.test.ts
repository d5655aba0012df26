import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankOperations, type CatalogueEntry } from '../../src/rag/catalogue.js';
import { toolVocabulary } from '../../src/rag/vocabulary/index.js';
import { allTools } from '../../src/tools/index.js';
import { freshDb, type TestDb } from '../helpers/db.js';
import { connect, testEmbedder, type TestClient } from '../helpers/mcp.js';

interface Found {
  operations: { name: string; score: number; input_schema: { type: string } }[];
  match: 'good' | 'weak' | 'none';
  not_allowed: { name: string; reason: string }[];
}

const entries: CatalogueEntry[] = allTools
  .filter((t) => t.name !== 'find_operation')
  .map((t) => ({ name: t.name, title: t.title, description: t.description, readOnly: t.annotations.readOnlyHint }));
const requests = (
  JSON.parse(readFileSync(new URL('../fixtures/find-operation-requests.json', import.meta.url), 'utf8')) as {
    requests: [string, string[]][];
  }
).requests;
const heldOut = requests.filter((_, i) => i % 2 === 1);

async function quality(embedder: typeof testEmbedder | undefined, set: [string, string[]][]) {
  let hit3 = 0;
  let rr = 0;
  for (const [query, right] of set) {
    const rank = (await rankOperations(embedder, entries, query)).findIndex((r) => right.includes(r.entry.name)) + 1;
    if (rank >= 1 && rank <= 3) hit3 += 1;
    if (rank >= 1) rr += 1 / rank;
  }
  return { hit3: hit3 / set.length, mrr: rr / set.length };
}

/** With the test model and with keywords alone, the first tool ranked for `query` is `best`. */
async function expectFirst(query: string, best: string) {
  for (const embedder of [testEmbedder, undefined])
    expect((await rankOperations(embedder, entries, query))[0]!.entry.name, query).toBe(best);
}

describe('find_operation ranking', () => {
  it('every tool but find_operation has synonyms and example requests, reads also the questions they answer', () => {
    for (const tool of allTools.filter((t) => t.name !== 'find_operation')) {
      const v = toolVocabulary[tool.name];
      expect(v, `${tool.name} has no vocabulary`).toBeDefined();
      expect(v!.synonyms.length, tool.name).toBeGreaterThanOrEqual(3);
      expect(v!.examples.length, tool.name).toBeGreaterThanOrEqual(2);
      if (tool.annotations.readOnlyHint) expect(v!.questions.length, tool.name).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(toolVocabulary).filter((name) => !allTools.some((t) => t.name === name))).toEqual([]);
  });

  it('the labelled set has at least 150 requests, each labelled with real tools', () => {
    expect(requests.length).toBeGreaterThanOrEqual(150);
    for (const [, right] of requests) for (const name of right) expect(entries.map((e) => e.name)).toContain(name);
  });

  it('finds a right tool in the top 3 for 97% of the held-out requests with the test model', async () => {
    const { hit3, mrr } = await quality(testEmbedder, heldOut);
    expect(hit3).toBeGreaterThanOrEqual(0.97);
    expect(mrr).toBeGreaterThanOrEqual(0.9);
  });

  it('finds a right tool in the top 3 for 95% of the held-out requests with plain keywords (no model)', async () => {
    const { hit3, mrr } = await quality(undefined, heldOut);
    expect(hit3).toBeGreaterThanOrEqual(0.95);
    expect(mrr).toBeGreaterThanOrEqual(0.85);
  });

  it('ranks reads above writes for questions', async () => {
    for (const [query, read] of [
      ['which invoices are unpaid?', 'list_invoices'],
      ['how many mugs are in stock?', 'get_stock'],
      ['any complaints from acme?', 'list_tickets'],
      ['show the payments we received', 'list_payments'],
    ] as const) {
      const [best] = await rankOperations(testEmbedder, entries, query);
      expect(best!.entry.name, query).toBe(read);
      expect(best!.entry.readOnly).toBe(true);
    }
  });

  it('sends policy and how-to questions to search_documents first', async () => {
    for (const query of [
      'what is our returns policy',
      'how do I handle a refund?',
      'what does the handbook say about holidays',
    ])
      await expectFirst(query, 'search_documents');
  });

  it("reads 'a new account' by what follows: a colleague's login, a customer's contact details, or the ledger's code", async () => {
    for (const [query, best] of [
      ['open a new account for our new bookkeeper sam@example.com', 'create_user'],
      ['create an account for Sofia, she starts monday as a sales rep', 'create_user'],
      ['set up a new account for Harbour Cafe, email jo@harbourcafe.example', 'create_customer'],
      ['new account for Pete Smith, 0207 555 1234, 12 High St', 'create_customer'],
      ['new account for Acme, their rep is Jo, jo@acme.example', 'create_customer'],
      ['new expense account 6100 for fuel', 'create_account'],
    ] as const)
      await expectFirst(query, best);
  });

  it('sends a how-to question after a dash, and "why can\'t I see…", where they belong', async () => {
    for (const [query, best] of [
      ['first week here — how do we book a boat in for a rigging job?', 'search_documents'],
      ["why can't I see any of the finance stuff", 'whoami'],
    ] as const)
      await expectFirst(query, best);
  });

  it("needs no model: keywords alone find a complaint's ticket", async () => {
    expect((await rankOperations(undefined, entries, 'log a complaint from a customer'))[0]!.entry.name).toBe(
      'create_ticket',
    );
  });

  it('scores in [0, 1]', async () => {
    for (const r of await rankOperations(testEmbedder, entries, 'bill acme for order 12'))
      expect(r.score).toSatisfy((s: number) => s >= 0 && s <= 1);
  });
});

describe('find_operation', () => {
  let db: TestDb;
  let mcp: TestClient;
  beforeAll(async () => {
    db = await freshDb('pglite');
    mcp = await connect(db);
  });
  afterAll(async () => {
    await mcp.close();
    await db.close();
  });

  it('returns the right tool with its input schema and a good match', async () => {
    const r = await mcp.ok<Found>('find_operation', { query: 'who owes us money', limit: 3 });
    expect(r.operations[0]!.name).toBe('ar_aging');
    expect(r.operations[0]!.input_schema.type).toBe('object');
    expect(r.match).toBe('good');
  });

  it('never returns itself', async () => {
    for (const query of ['find the right tool for a task', 'which tool should I use', 'find operation']) {
      const r = await mcp.ok<Found>('find_operation', { query, limit: 20 });
      expect(r.operations.map((o) => o.name)).not.toContain('find_operation');
    }
  });

  it('offers only tools the caller may use and names the better match it may not call', async () => {
    const viewer = await connect(db, { role: 'viewer' });
    const r = await viewer.ok<Found>('find_operation', { query: 'create an invoice for a customer', limit: 10 });
    expect(r.operations.map((o) => o.name)).not.toContain('create_invoice');
    expect(r.not_allowed.map((d) => d.name)).toContain('create_invoice');
    expect(r.not_allowed[0]!.reason).toMatch(/viewer/);
    await viewer.close();
  });

  it('answers "no good match" for words it does not know, without failing', async () => {
    for (const query of ['zzz', '12', 'qwxz vbnmk 42']) {
      const r = await mcp.ok<Found>('find_operation', { query });
      expect(r.match, query).toBe('none');
      expect(r.operations).toEqual([]);
    }
    const text = (await mcp.call('find_operation', { query: 'zzz' })).content[0] as { text: string };
    expect(text.text).toMatch(/No tool you may call matches/);
  });

  it('search_documents answers a query of unknown words with no hits instead of failing', async () => {
    for (const query of ['zzz', '12']) {
      const { hits } = await mcp.ok<{ hits: unknown[] }>('search_documents', { query });
      expect(Array.isArray(hits)).toBe(true);
    }
  });
});

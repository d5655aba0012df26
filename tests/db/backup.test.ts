// erp-mcp backup while a server runs on the embedded database, and erp-mcp restore into a new data
// dir: the restore holds exactly what was committed when the backup began, its audit chain and
// books verify, and new ids continue after the restored ones.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.js';
import { checkBooks } from '../../src/domain/finance/checks.js';
import { verifyAuditLog } from '../../src/domain/platform/audit.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const run = promisify(execFile);
let dir: string;
const env = () =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')) as Record<string, string>;
const erp = (args: string[]) =>
  run(process.execPath, [cli, ...args], { env: env() }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'erp-backup-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('backs up while a server writes, and restores exactly that into a new data dir that verifies', {
  timeout: 240_000,
}, async () => {
  const data = join(dir, 'data');
  const client = new Client({ name: 'backup', version: '0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'stdio'],
      env: { ...env(), ERP_DATA_DIR: data },
      stderr: 'ignore',
    }),
  );
  const ok = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    return r.structuredContent as { id: number };
  };
  const customer = await ok('create_customer', { name: 'Backed Up AG' });
  const product = await ok('create_product', { sku: 'BAK-1', name: 'Kept', price: '20.00', cost: '8.00' });
  await ok('receive_stock', { product_id: product.id, quantity: 10, unit_cost: '8.00' });
  const order = await ok('create_order', {
    customer_id: customer.id,
    items: [{ product_id: product.id, quantity: 2 }],
  });
  await ok('confirm_order', { order_id: order.id });
  await ok('fulfill_order', { order_id: order.id });
  const invoice = await ok('create_invoice', { customer_id: customer.id, order_ids: [order.id] });
  await ok('post_invoice', { invoice_id: invoice.id });
  await ok('record_payment', { customer_id: customer.id, amount: '15.00', method: 'bank' });

  const file = join(dir, 'erp.backup');
  const backedUp = await erp(['backup', file, '--data-dir', data]); // a guest of the running server
  expect(backedUp, backedUp.stderr).toMatchObject({ code: 0 });
  await ok('create_customer', { name: 'After The Backup' });
  expect(await erp(['backup', file, '--data-dir', data])).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('already exists'),
  });
  await client.close();

  const restored = join(dir, 'restored');
  const r = await erp(['restore', file, '--data-dir', restored]);
  expect(r.stderr).toMatch(/Restored \d+ rows of \d+ tables .*audit log verified; books balanced/);
  expect(r.code).toBe(0);
  expect(await erp(['restore', file, '--data-dir', restored])).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('is not empty'),
  });

  const db = await openPglite({ dataDir: restored });
  try {
    const names = (await db.query<{ name: string }>('select name from customers order by id')).map((c) => c.name);
    expect(names).toEqual(['Backed Up AG']);
    const [inv] = await db.query<{ invoice_number: string; status: string }>(
      'select invoice_number, status from invoices where id = $1',
      [invoice.id],
    );
    expect(inv).toMatchObject({ invoice_number: expect.stringMatching(/^INV-\d{4}-0001$/), status: 'posted' });
    expect((await db.transaction((tx) => verifyAuditLog(tx))).ok).toBe(true);
    expect((await db.transaction((tx) => checkBooks(tx))).ok).toBe(true);
    const [next] = await db.query<{ id: number }>(
      "insert into customers (name) values ('New After Restore') returning id",
    );
    expect(next!.id).toBeGreaterThan(customer.id);
  } finally {
    await db.close();
  }
});

it('refuses a file that is not a backup, and leaves no data dir behind', { timeout: 60_000 }, async () => {
  const bad = join(dir, 'not-a-backup.json');
  await writeFile(bad, '{"format":"something else"}\n');
  const target = join(dir, 'never');
  expect(await erp(['restore', bad, '--data-dir', target])).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('Not an erp-mcp backup'),
  });
  expect(await readdir(target).catch(() => 'absent')).toBe('absent');
});

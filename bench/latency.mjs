// Per-call latency over stdio on PostgreSQL, side by side with DBHub (@bytebase/dbhub, pinned):
// get_customer and get_order against DBHub's execute_sql reading the same row, and the bare
// statement on postgres.js as the floor. Calls are interleaved (erp, dbhub, raw, erp, …) so that
// whatever else the machine does falls on all three alike. DBHub is installed on demand into
// bench/.dbhub (git-ignored), never as a dependency of the project; where it cannot install,
// its column says so and the rest still runs.
import { spawn } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const root = fileURLToPath(new URL('..', import.meta.url));
const DBHUB = '@bytebase/dbhub@1.4.0';
const dbhubDir = join(root, 'bench/.dbhub');
const dbhubBin = join(dbhubDir, 'node_modules/@bytebase/dbhub/dist/index.js');

const run = (cmd, args, cwd) =>
  new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', (e) => resolve(e.message));
    p.on('close', (code) => resolve(code === 0 ? null : err.trim().split('\n').pop() || `exit ${code}`));
  });

/** The DBHub entry point, installing it first if needed; or why it is not there. */
async function ensureDbhub() {
  try {
    await access(dbhubBin);
    return { bin: dbhubBin };
  } catch {
    /* not installed yet */
  }
  await mkdir(dbhubDir, { recursive: true });
  await writeFile(join(dbhubDir, 'package.json'), '{ "private": true }\n');
  const problem = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', DBHUB], dbhubDir);
  if (problem) return { skipped: `${DBHUB} could not be installed (${problem})` };
  try {
    await access(dbhubBin);
    return { bin: dbhubBin };
  } catch {
    return { skipped: `${DBHUB} installed without ${dbhubBin}` };
  }
}

async function stdioClient(command, args, env) {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command, args, env: { ...process.env, ...env }, stderr: 'ignore' }));
  return client;
}

function checked(result, what) {
  if (result.isError) throw new Error(`${what}: ${result.content?.[0]?.text}`);
  return result;
}

/**
 * Runs the comparison against `url` (a PostgreSQL database with the demo data) and writes its rows
 * with `row`; `db` is a postgres.js-backed Db for the raw floor.
 */
export async function latencyBench({ db, url, row, out, quick, pct, ms }) {
  const n = quick ? 200 : 600;
  const [{ id: customerId }] = await db.query('select id from customers order by id limit 1');
  const [{ id: orderId }] = await db.query("select id from orders where status = 'fulfilled' order by id limit 1");
  const erp = await stdioClient(process.execPath, [join(root, 'dist/cli.js'), 'stdio'], { DATABASE_URL: url });
  const hub = await ensureDbhub();
  let dbhub = null;
  if (hub.bin) {
    const dsn = new URL(url);
    dsn.searchParams.set('sslmode', 'disable');
    dbhub = await stdioClient(process.execPath, [hub.bin, '--transport', 'stdio', `--dsn=${dsn}`]).catch((e) => {
      hub.skipped = `DBHub did not start (${e.message})`;
      return null;
    });
  }
  const cases = [
    ['get_customer', { customer_id: customerId }, `select * from customers where id = ${Number(customerId)}`],
    ['get_order', { order_id: orderId }, `select * from orders where id = ${Number(orderId)}`],
  ];
  for (const [tool, args, sql] of cases) {
    const calls = {
      [tool]: () => erp.callTool({ name: tool, arguments: args }).then((r) => checked(r, tool)),
      ...(dbhub
        ? {
            'DBHub execute_sql': () =>
              dbhub.callTool({ name: 'execute_sql', arguments: { sql } }).then((r) => checked(r, 'execute_sql')),
          }
        : {}),
      'postgres.js, bare statement': () => db.query(sql),
    };
    const times = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
    for (let i = 0; i < n + 50; i++) {
      for (const [name, call] of Object.entries(calls)) {
        const s = performance.now();
        await call();
        if (i >= 50) times[name].push(performance.now() - s); // the first 50 warm JIT and plan caches
      }
    }
    const hubP50 = dbhub ? pct(times['DBHub execute_sql'], 50) : null;
    for (const [name, t] of Object.entries(times)) {
      row(name, ms(pct(t, 50)), ms(pct(t, 95)), hubP50 ? `${(pct(t, 50) / hubP50).toFixed(2)}×` : '');
    }
    if (dbhub) out(`| ${tool} p50 ≤ DBHub p50 | ${pct(times[tool], 50) <= hubP50 ? 'yes' : 'NO'} | | |`);
  }
  if (!dbhub) out(`\n(DBHub skipped: ${hub.skipped})`);
  await erp.close();
  await dbhub?.close();
}

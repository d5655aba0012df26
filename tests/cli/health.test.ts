// What a newcomer sees when something is missing: one line naming the problem and the fix.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { explainStartupError } from '../../src/health.js';
import { ModelMissingError } from '../../src/rag/embedder.js';
import { testModelDir } from '../helpers/mcp.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const run = (args: string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );

describe('newcomer errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'erp-health-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('an unreachable DATABASE_URL says so in one line, without the password', async () => {
    const r = await run(['migrate'], { DATABASE_URL: 'postgres://me:secret@127.0.0.1:1/erp' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'erp-mcp: Cannot reach PostgreSQL at postgres://me:***@127.0.0.1:1/erp (ECONNREFUSED): start PostgreSQL or fix DATABASE_URL — or unset DATABASE_URL to use the embedded database',
    );
  });

  it('a PostgreSQL without pgvector is named with the fix', () => {
    const cfg = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/erp' });
    const line = explainStartupError(
      new Error(
        'could not open extension control file "/usr/share/postgresql/15/extension/vector.control": No such file',
      ),
      cfg,
    );
    expect(line).toBe(
      'PostgreSQL at postgres://u@db:5432/erp has no pgvector extension: install it (Debian/Ubuntu: apt install postgresql-<version>-pgvector; or run scripts/install-pgvector.sh) and retry',
    );
  });

  it('a missing embedding model is explained by its own message, which says what to set', () => {
    const cfg = loadConfig({});
    const missing = new ModelMissingError(
      'Embedding model not found: /nowhere has no config.json; set ERP_MODEL_DIR to the folder that contains local/x/',
    );
    expect(explainStartupError(missing, cfg)).toBe(missing.message);
    expect(explainStartupError(new Error('Embedding model not found'), cfg)).toBeUndefined();
  });

  it('health reports each check and fails on a missing model folder', async () => {
    const env = {
      ERP_DATA_DIR: join(dir, 'data'),
      ERP_MODEL_DIR: join(dir, 'no-models'),
      ERP_EMBED_MODEL: 'local/glove-100d-sif',
    };
    expect((await run(['migrate'], env)).code).toBe(0);
    const r = await run(['health'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ok {3}database: the embedded database/m);
    expect(r.stderr).toMatch(/^ok {3}migrations: all applied/m);
    expect(r.stderr).toContain(
      `FAIL embedding model: Embedding model not found: ${join(dir, 'no-models', 'local/glove-100d-sif')} has no config.json`,
    );
    const good = await run(['health'], { ...env, ERP_MODEL_DIR: testModelDir });
    expect(good.code).toBe(0);
    expect(good.stderr).toMatch(
      /^ok {3}embedding model: local\/glove-100d-sif from .+: loaded, 100-dimensional vectors$/m,
    );
  });

  it('health loads the model, and fails with the reason when a folder that looks right cannot load', async () => {
    const model = join(testModelDir, 'local/glove-100d-sif');
    const broken = join(dir, 'broken-models', 'local/glove-100d-sif');
    await mkdir(join(broken, 'onnx'), { recursive: true });
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json'])
      await writeFile(join(broken, file), await readFile(join(model, file)));
    for (const file of await readdir(join(model, 'onnx'))) await writeFile(join(broken, 'onnx', file), 'not a model');
    const r = await run(['health'], {
      ERP_DATA_DIR: join(dir, 'data'),
      ERP_MODEL_DIR: join(dir, 'broken-models'),
      ERP_EMBED_MODEL: 'local/glove-100d-sif',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^FAIL embedding model: Embedding model local\/glove-100d-sif could not be loaded from .*broken-models.* \(.*onnx.*\)/m,
    );
  });

  it('a port in use is one line naming the port and the setting', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const port = String((blocker.address() as { port: number }).port);
    const r = await run(['http', '--port', port], { ERP_DATA_DIR: join(dir, 'data') });
    blocker.close();
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `erp-mcp: Port ${port} on 127.0.0.1 is in use; choose another with --port or ERP_HTTP_PORT`,
    );
  });
});

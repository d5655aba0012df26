// Over stdio too, JSON-RPC's own errors: an empty batch or a message that is not JSON-RPC 2.0 is
// answered -32600 with its id, a line that is not JSON -32700, and the server goes on serving. A
// message the SDK's schema refuses (an object as progressToken) is answered too, not dropped.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';

const cli = join(import.meta.dirname, '../../dist/cli.js');

it("answers bad JSON-RPC lines on stdio with the spec's errors and keeps serving", { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'erp-rpc-'));
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')),
    ERP_DATA_DIR: join(dir, 'data'),
  } as Record<string, string>;
  const child = spawn(process.execPath, [cli, 'stdio'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () =>
    JSON.parse((await lines.next()).value as string) as { id: unknown; error?: { code: number }; result?: unknown };
  try {
    child.stdin!.write(
      '[]\n{"jsonrpc":"1.0","id":5,"method":"tools/list"}\nnot json\n42\n' +
        '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"whoami","arguments":{},"_meta":{"progressToken":{"a":1}}}}\n' +
        '{"jsonrpc":"2.0","id":6,"method":"ping"}\n',
    );
    expect(await next()).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await next()).toMatchObject({ id: 5, error: { code: -32600 } });
    expect(await next()).toMatchObject({ id: null, error: { code: -32700 } });
    expect(await next()).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await next()).toMatchObject({
      id: 9,
      error: { code: -32600, message: expect.stringContaining('progressToken') },
    });
    expect(await next()).toEqual({ jsonrpc: '2.0', id: 6, result: {} });
  } finally {
    // The server closes its embedded database on SIGTERM: the data dir is removed once it has exited.
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
});

// stdio's line checker on its own: a character split between two reads stays whole, and a line
// longer than the limit is refused once and skipped to its end without being held in memory.
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { checkedLines, type RpcError } from '../../src/jsonrpc.js';

async function through(chunks: Buffer[], maxLine?: number) {
  const input = new PassThrough();
  const errors: RpcError[] = [];
  const out = checkedLines(input, (e) => errors.push(e), maxLine);
  let text = '';
  out.on('data', (c: Buffer | string) => (text += c.toString()));
  const ended = new Promise((resolve) => out.on('end', resolve));
  for (const c of chunks) input.write(c);
  input.end();
  await ended;
  return { text, errors };
}

it('keeps a multi-byte character whole when a read splits it', async () => {
  const line = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"note":"€ café"}}}\n');
  const cut = line.indexOf(Buffer.from('€')) + 1;
  const { text, errors } = await through([line.subarray(0, cut), line.subarray(cut)]);
  expect(errors).toEqual([]);
  expect(text).toBe(line.toString('utf8'));
});

it('refuses an overlong line once, skips it to its end and passes the next line on', async () => {
  const ping = '{"jsonrpc":"2.0","id":2,"method":"ping"}\n';
  const long = `{"jsonrpc":"2.0","id":3,"method":"ping","params":{"_meta":{"x":"${'a'.repeat(300)}`;
  const chunks = [long.slice(0, 150), long.slice(150), 'tail"}}}\n', ping].map((s) => Buffer.from(s));
  const { text, errors } = await through(chunks, 100);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({
    id: null,
    error: { code: -32600, message: expect.stringContaining('longer than 100') },
  });
  expect(text).toBe(ping);
});

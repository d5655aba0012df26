// Conversations are private (issue 13): only their owner and admins read message text, in
// get_conversation and in the audit log (list_tool_calls), whoever else may read that log.
import { describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.js';
import { useServer, type TestClient } from '../helpers/mcp.js';

interface Row {
  id: number;
  tool_name: string;
  user_id: number;
  conversation_id: number | null;
  input_json: unknown;
  output_json: unknown;
}
interface Page {
  items: Row[];
  next_cursor: string | null;
}

describe.each(dbKinds)('conversation privacy on %s', (kind) => {
  /** Two non-admin users who may both read the audit log. */
  let alice: TestClient;
  let bob: TestClient;
  let conversation: number;
  const s = useServer(kind, async ({ connect }) => {
    alice = await connect({ role: 'finance', email: 'alice@privacy.test' });
    bob = await connect({ role: 'analyst', email: 'bob@privacy.test' });
    conversation = (await alice.ok<{ id: number }>('start_conversation')).id;
    await alice.ok('add_message', {
      conversation_id: conversation,
      sender: 'user',
      content: 'ALICE-SECRET-1: my salary review',
    });
    await alice.ok('get_conversation', { conversation_id: conversation });
    await alice.client.callTool({
      name: 'search_customers',
      arguments: { query: 'ALICE-SECRET-2' },
      _meta: { 'erp-mcp/conversation_id': conversation },
    });
  });
  const log = async (reader: TestClient, args: Record<string, unknown> = {}) =>
    (await reader.ok<Page>('list_tool_calls', { limit: 500, ...args })).items;
  const seen = async (reader: TestClient, args?: Record<string, unknown>) => JSON.stringify(await log(reader, args));

  it("get_conversation and add_message refuse another user's conversation", async () => {
    expect((await bob.fail('get_conversation', { conversation_id: conversation })).code).toBe('FORBIDDEN');
    expect((await bob.fail('add_message', { conversation_id: conversation, sender: 'bob', content: 'hi' })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await s.mcp.ok<{ items: { content: string }[] }>('get_conversation', { conversation_id: conversation }))
        .items[0]!.content,
    ).toContain('ALICE-SECRET-1');
  });

  it('list_tool_calls shows another user the calls of a conversation, with its text redacted', async () => {
    const rows = await log(bob);
    expect(JSON.stringify(rows)).not.toContain('ALICE-SECRET');
    const added = rows.find(
      (r) => r.tool_name === 'add_message' && (r.input_json as { sender: string }).sender === 'user',
    )!;
    expect(added.input_json).toMatchObject({
      conversation_id: conversation,
      sender: 'user',
      content: expect.stringContaining('redacted'),
    });
    expect(added.output_json).toMatchObject({
      conversation_id: conversation,
      content: expect.stringContaining('redacted'),
    });
    const read = rows.find((r) => r.tool_name === 'get_conversation' && r.user_id === added.user_id)!;
    expect((read.output_json as { items: { content: string }[] }).items[0]!.content).toContain('redacted');
    const tagged = rows.find((r) => r.tool_name === 'search_customers')!;
    expect(tagged.conversation_id).toBe(conversation);
    expect(JSON.stringify(tagged.input_json)).toContain('redacted');
  });

  it('the owner and admins read the whole log', async () => {
    for (const reader of [alice, s.mcp]) {
      const text = await seen(reader);
      expect(text).toContain('ALICE-SECRET-1');
      expect(text).toContain('ALICE-SECRET-2');
    }
  });

  it('a message too long for the audit log is redacted in its truncated preview too', async () => {
    const content = 'ALICE-LONG '.repeat(8000);
    await alice.ok('add_message', { conversation_id: conversation, sender: 'user', content });
    expect(await seen(bob, { tool_name: 'add_message' })).not.toContain('ALICE-LONG');
    const own = await log(alice, { tool_name: 'add_message', limit: 1 });
    expect(own[0]!.input_json).toMatchObject({ truncated: true, preview: expect.stringContaining('ALICE-LONG') });
  });

  it("an admin's reads of the log and of the database are not replayed to others through the log", async () => {
    await s.mcp.ok('list_tool_calls', { tool_name: 'add_message' });
    await s.mcp.ok('run_query', { sql: 'select content from messages' });
    const rows = await log(bob, { user_id: await idOf('admin@erp.local') });
    expect(JSON.stringify(rows)).not.toContain('ALICE-SECRET');
    const reads = rows.filter((r) => r.tool_name === 'list_tool_calls' || r.tool_name === 'run_query');
    expect(reads.map((r) => r.tool_name)).toContain('run_query');
    expect(new Set(reads.map((r) => r.output_json))).toEqual(new Set(['[redacted: what another user read]']));
    expect(reads[0]!.input_json).toMatchObject({ sql: 'select content from messages' });
  });

  it('each user keeps their own conversation; the other sees it redacted', async () => {
    const own = (await bob.ok<{ id: number }>('start_conversation')).id;
    await bob.ok('add_message', { conversation_id: own, sender: 'user', content: 'BOB-OWN note' });
    expect(await seen(bob, { tool_name: 'add_message' })).toContain('BOB-OWN');
    expect(await seen(alice, { tool_name: 'add_message' })).not.toContain('BOB-OWN');
  });

  it('redaction is on reading only: the audit chain still verifies', async () => {
    expect((await bob.ok<{ ok: boolean }>('verify_audit_log')).ok).toBe(true);
    const [stored] = await s.db.query<{ n: number }>(
      "select count(*)::int as n from tool_calls where input_json::text like '%ALICE-SECRET-1%'",
    );
    expect(stored!.n).toBeGreaterThan(0);
  });

  async function idOf(email: string): Promise<number> {
    const [row] = await s.db.query<{ id: number }>('select id from users where email = $1', [email]);
    return row!.id;
  }
});

import { describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.js';
import { connect, type TestClient, useServer } from '../helpers/mcp.js';

describe.each(dbKinds)('conversations on %s', (kind) => {
  let sales: TestClient;
  const s = useServer(kind, async (s) => {
    sales = await s.connect({ role: 'sales' });
  });

  it('keeps messages in order with pagination, and only the owner (or an admin) reads them', async () => {
    const c = await sales.ok<{ id: number }>('start_conversation');
    for (const [sender, content] of [
      ['user', 'Who owes us money?'],
      ['assistant', 'Three customers.'],
      ['user', 'Remind them.'],
    ]) {
      await sales.ok('add_message', { conversation_id: c.id, sender, content });
    }
    const first = await sales.ok<{ items: { content: string }[]; next_cursor: string }>('get_conversation', {
      conversation_id: c.id,
      limit: 2,
    });
    const rest = await sales.ok<{ items: { content: string }[]; next_cursor: null }>('get_conversation', {
      conversation_id: c.id,
      limit: 2,
      cursor: first.next_cursor,
    });
    expect([...first.items, ...rest.items].map((m) => m.content)).toEqual([
      'Who owes us money?',
      'Three customers.',
      'Remind them.',
    ]);
    expect(rest.next_cursor).toBeNull();
    expect((await s.mcp.ok<{ items: unknown[] }>('get_conversation', { conversation_id: c.id })).items).toHaveLength(3);
    const other = await connect(s.db, { role: 'finance' });
    expect((await other.fail('get_conversation', { conversation_id: c.id })).code).toBe('FORBIDDEN');
    expect((await other.fail('add_message', { conversation_id: c.id, sender: 'x', content: 'y' })).code).toBe(
      'FORBIDDEN',
    );
    expect((await sales.fail('start_conversation', { user_id: 1 })).code).toBe('FORBIDDEN');
    expect((await sales.fail('get_conversation', { conversation_id: 9999 })).code).toBe('NOT_FOUND');
    await other.close();
  });

  it('links tool calls to the conversation named in _meta, and refuses an unknown one', async () => {
    const c = await s.mcp.ok<{ id: number }>('start_conversation');
    await s.mcp.client.callTool({ name: 'whoami', arguments: {}, _meta: { 'erp-mcp/conversation_id': c.id } });
    const unknown = await s.mcp.client.callTool({
      name: 'search_customers',
      arguments: {},
      _meta: { 'erp-mcp/conversation_id': 987654 },
    });
    expect(unknown.content).toEqual([
      {
        type: 'text',
        text: expect.stringMatching(
          /^INVALID_INPUT: _meta\.erp-mcp\/conversation_id: conversation 987654 is not one of yours/,
        ),
      },
    ]);
    const rows = await s.db.query<{ tool_name: string; conversation_id: number | null }>(
      "select tool_name, conversation_id from tool_calls where tool_name in ('whoami', 'search_customers') order by id",
    );
    expect(rows).toEqual([
      { tool_name: 'whoami', conversation_id: c.id },
      { tool_name: 'search_customers', conversation_id: null },
    ]);
    expect((await s.mcp.ok<{ ok: boolean }>('verify_audit_log')).ok).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

describe.each(dbKinds)('prompts on %s', (kind) => {
  const s = useServer(kind);

  it('lists customer_briefing and month_end_close', async () => {
    const { prompts } = await s.mcp.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['customer_briefing', 'month_end_close']);
  });

  it("customer_briefing carries the customer's live data", async () => {
    const c = await s.mcp.ok<{ id: number }>('create_customer', { name: 'Briefed Bakery' });
    await s.mcp.ok('remember_customer_fact', { customer_id: c.id, key: 'owner', value: 'Marta' });
    const p = await s.mcp.client.getPrompt({ name: 'customer_briefing', arguments: { customer_id: String(c.id) } });
    const text = (p.messages[0]!.content as { text: string }).text;
    expect(text).toContain('Briefed Bakery');
    expect(text).toContain('Marta');
    await expect(
      s.mcp.client.getPrompt({ name: 'customer_briefing', arguments: { customer_id: '99999' } }),
    ).rejects.toThrow(/does not exist/);
  });

  it('month_end_close names the last day of the month and refuses a bad month', async () => {
    const p = await s.mcp.client.getPrompt({ name: 'month_end_close', arguments: { month: '2026-02' } });
    expect((p.messages[0]!.content as { text: string }).text).toContain('2026-02-28');
    await expect(s.mcp.client.getPrompt({ name: 'month_end_close', arguments: { month: '2026-13' } })).rejects.toThrow(
      /YYYY-MM/,
    );
  });
});

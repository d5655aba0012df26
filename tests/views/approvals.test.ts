// The approvals inbox in a real browser through the test host: approve and reject through the
// real server, four-eyes shown (and enforced) for the requester, no buttons for a viewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, dbKinds, type TestDb } from '../helpers/db.js';
import { connect, type TestClient } from '../helpers/mcp.js';
import { ensureViewBuilt, screenshots, startHost, type Host } from './host.js';

describe.each(dbKinds)('approvals inbox (%s)', (kind) => {
  let db: TestDb;
  let host: Host;
  let requester: TestClient;
  let approver: TestClient;
  let viewer: TestClient;
  const ids: number[] = [];

  const pending = async () =>
    (await approver.ok<{ items: { id: number }[] }>('list_approvals', { status: 'pending' })).items.map((a) => a.id);
  const ask = async (date: string) => {
    expect((await requester.fail('set_lock_date', { date })).code).toBe('APPROVAL_REQUIRED');
    ids.push(Math.max(...(await pending())));
  };

  beforeAll(async () => {
    ensureViewBuilt('approvals');
    [db, host] = await Promise.all([freshDb(kind), startHost()]);
    requester = await connect(db, { role: 'finance', email: 'fiona@test.local' });
    approver = await connect(db, { role: 'finance', email: 'frank@test.local' });
    viewer = await connect(db, { role: 'viewer' });
    await ask('2020-01-31');
    await ask('2020-02-29');
  });
  afterAll(async () => {
    await host?.close();
    for (const c of [requester, approver, viewer]) await c?.close();
    await db?.close();
  });

  it('approve in the inbox runs the call and leaves a decide_approval row by the approver in the audit log', async () => {
    const { view } = await host.open(approver, 'list_approvals', { status: 'pending' });
    const card = view.locator(`[data-approval-id="${ids[0]}"]`);
    await expect.poll(() => card.locator('h2').textContent()).toContain('set_lock_date');
    expect(await card.locator('.diff').textContent()).toContain('2020-01-31');
    await card.locator('[data-action="approve"]').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('executed');
    const [row] = await db.query<{ status: string; email: string }>(
      `select t.status, u.email from tool_calls t join users u on u.id = t.user_id
       where t.tool_name = 'decide_approval' and (t.input_json->>'approval_id')::int = $1`,
      [ids[0]],
    );
    expect(row).toEqual({ status: 'ok', email: 'frank@test.local' });
    expect((await approver.ok('get_approval', { approval_id: ids[0] })).status).toBe('executed');
  });

  it('reject in the inbox closes the approval with the reason given', async () => {
    const { view } = await host.open(approver, 'list_approvals', { status: 'pending' });
    const card = view.locator(`[data-approval-id="${ids[1]}"]`);
    await card.locator('input').fill('Not this month');
    await card.locator('[data-action="reject"]').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('rejected');
    expect(await approver.ok('get_approval', { approval_id: ids[1] })).toMatchObject({
      status: 'rejected',
      reason: 'Not this month',
    });
  });

  it('the requester sees the buttons disabled with the reason, and the server refuses them too', async () => {
    await ask('2020-03-31');
    const { view } = await host.open(requester, 'list_approvals', { status: 'pending' });
    const card = view.locator(`[data-approval-id="${ids[2]}"]`);
    await expect.poll(() => card.locator('[data-action="approve"]').isDisabled()).toBe(true);
    expect(await card.locator('[data-action="reject"]').isDisabled()).toBe(true);
    expect(await card.locator('[data-why-not]').textContent()).toMatch(/requested by you; another user must decide it/);
    expect((await requester.fail('decide_approval', { approval_id: ids[2], decision: 'approve' })).code).toBe(
      'FORBIDDEN',
    );
  });

  it('a viewer sees the inbox without any buttons', async () => {
    const { view } = await host.open(viewer, 'list_approvals', { status: 'pending' });
    await expect.poll(() => view.locator(`[data-approval-id="${ids[2]}"]`).count()).toBe(1);
    expect(await view.locator('button').count()).toBe(0);
  });

  it.runIf(kind === 'pglite')('screenshots in light and dark, wide and phone', async () => {
    await screenshots(host, approver, 'list_approvals', {}, 'approvals', async (view) => {
      await view.locator('[data-approval-id]').first().waitFor();
    });
  });
});

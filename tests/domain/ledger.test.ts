// The journal and document numbers through the domain functions on a fresh database: every
// entry balances, manual entries keep off the control accounts, numbers run without gaps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/types.js';
import { ACCOUNTS } from '../../src/domain/finance/accounts.js';
import { postJournalEntry, reverseJournalEntry } from '../../src/domain/finance/journal.js';
import { postEntry } from '../../src/domain/finance/ledger.js';
import { nextDocumentNumber } from '../../src/domain/finance/numbering.js';
import { setLockDate } from '../../src/domain/finance/periods.js';
import { trialBalance } from '../../src/domain/finance/reports.js';
import type { DomainError } from '../../src/domain/shared/errors.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';

describe.each(dbKinds)('ledger and numbering on %s', (kind) => {
  let db: TestDb;
  const tx = <T>(fn: (tx: Tx) => Promise<T>) => db.transaction(fn);
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('should have been refused');
      },
      (e: DomainError) => e,
    );
  const entries = async () => (await db.query<{ n: number }>('select count(*)::int as n from ledger_entries'))[0]!.n;

  beforeAll(async () => {
    db = await freshDb(kind);
  });
  afterAll(async () => db?.close());

  it('postEntry refuses an entry that does not balance, has no amounts, or a line both debit and credit', async () => {
    const base = { entry_date: '2031-01-10', memo: 'test', source: 'manual' as const };
    const cases: [Parameters<typeof postEntry>[1]['lines'], RegExp][] = [
      [
        [
          { account: ACCOUNTS.cash, debit: 100n },
          { account: ACCOUNTS.ownersEquity, credit: 99n },
        ],
        /^Entry does not balance: debits 1\.00 ≠ credits 0\.99$/,
      ],
      [
        [
          { account: ACCOUNTS.cash, debit: 0n },
          { account: ACCOUNTS.ownersEquity, credit: 0n },
        ],
        /needs either a positive debit or a positive credit/,
      ],
      [[{ account: ACCOUNTS.cash, debit: 5n, credit: 5n }], /needs either a positive debit or a positive credit/],
      [[], /^Entry has no amounts$/],
    ];
    for (const [lines, says] of cases)
      expect((await refusal(tx((t) => postEntry(t, { ...base, lines })))).message).toMatch(says);
    expect(await entries()).toBe(0);
  });

  it('a manual entry may not touch the control accounts or an unknown account', async () => {
    const entry = (account: string) => ({
      entry_date: '2031-01-10',
      memo: 'test',
      lines: [
        { account, debit: '10.00' },
        { account: ACCOUNTS.cash, credit: '10.00' },
      ],
    });
    for (const control of [ACCOUNTS.accountsReceivable, ACCOUNTS.inventory]) {
      expect((await refusal(tx((t) => postJournalEntry(t, entry(control), null)))).message).toBe(
        `Account ${control} is a control account; it moves only through invoices, payments and stock`,
      );
    }
    expect((await refusal(tx((t) => postJournalEntry(t, entry('6999'), null)))).code).toBe('NOT_FOUND');
    expect(await entries()).toBe(0);
  });

  it('a reversal swaps every debit and credit, the books stay balanced, and nothing is reversed twice', async () => {
    const id = await tx((t) =>
      postJournalEntry(
        t,
        {
          entry_date: '2031-01-15',
          memo: 'Rent',
          lines: [
            { account: ACCOUNTS.operatingExpenses, debit: '800.00' },
            { account: ACCOUNTS.cash, credit: '800.00' },
          ],
        },
        null,
      ),
    );
    const reversal = await tx((t) => reverseJournalEntry(t, id, '2031-01-16', null));
    const lines = await db.query(
      'select account, debit::text, credit::text from ledger_lines where entry_id = $1 order by account',
      [reversal],
    );
    expect(lines).toEqual([
      { account: '1000', debit: '800.00', credit: '0.00' },
      { account: '6000', debit: '0.00', credit: '800.00' },
    ]);
    const tb = await tx((t) => trialBalance(t, '2031-12-31'));
    expect(tb).toMatchObject({ total_debit: '1600.00', total_credit: '1600.00', balanced: true });
    expect((await refusal(tx((t) => reverseJournalEntry(t, id, undefined, null)))).message).toBe(
      `Journal entry ${id} was already reversed by entry ${reversal}`,
    );
  });

  it('no entry may be dated on or before the lock date', async () => {
    await tx((t) => setLockDate(t, '2031-01-31'));
    const e = await refusal(
      tx((t) =>
        postJournalEntry(
          t,
          {
            entry_date: '2031-01-31',
            memo: 'late',
            lines: [
              { account: ACCOUNTS.operatingExpenses, debit: '1.00' },
              { account: ACCOUNTS.cash, credit: '1.00' },
            ],
          },
          null,
        ),
      ),
    );
    expect(e).toMatchObject({
      code: 'CONFLICT',
      message: 'The entry is dated 2031-01-31, on or before the lock date 2031-01-31; date it later',
    });
  });

  it('document numbers run 0001, 0002 … per series and year; a rolled-back number is given again', async () => {
    expect(await tx((t) => nextDocumentNumber(t, 'INV', '2031-03-01'))).toBe('INV-2031-0001');
    expect(await tx((t) => nextDocumentNumber(t, 'INV', '2031-12-31'))).toBe('INV-2031-0002');
    expect(await tx((t) => nextDocumentNumber(t, 'CN', '2031-03-01'))).toBe('CN-2031-0001');
    expect(await tx((t) => nextDocumentNumber(t, 'INV', '2032-01-01'))).toBe('INV-2032-0001');
    await refusal(
      tx(async (t) => {
        expect(await nextDocumentNumber(t, 'INV', '2031-06-01')).toBe('INV-2031-0003');
        throw new Error('the posting failed');
      }),
    );
    expect(await tx((t) => nextDocumentNumber(t, 'INV', '2031-06-01'))).toBe('INV-2031-0003');
  });
});

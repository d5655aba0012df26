// Vocabulary of the finance toolset: invoices, payments, ledger and reports.
import type { VocabularyTable } from './types.js';

export const financeVocabulary: VocabularyTable = {
  create_invoice: {
    synonyms: ['bill', 'invoice customer', 'charge', 'new invoice', 'billing', 'draft invoice', 'send a bill', 'raise invoice'],
    examples: ['bill acme for their shipped orders', 'invoice order 42', 'charge customer 12 for consulting', 'make a bill for last week\'s deliveries'],
    questions: [],
  },
  post_invoice: {
    synonyms: ['finalise invoice', 'issue invoice', 'book invoice', 'send invoice', 'invoice number', 'finalize bill'],
    examples: ['post invoice 7', 'finalise the draft invoice and give it a number', 'issue the bill to the customer'],
    questions: [],
  },
  void_invoice: {
    synonyms: ['void', 'delete draft invoice', 'scrap invoice', 'discard bill', 'throw away draft'],
    examples: ['void draft invoice 7', 'delete the draft bill i made by mistake', 'discard the unposted invoice'],
    questions: [],
  },
  issue_credit_note: {
    synonyms: ['credit note', 'refund', 'credit memo', 'money back', 'partial refund', 'reimburse', 'correct posted invoice', 'give credit'],
    examples: ['refund the customer 50 on invoice 7', 'issue a credit note for the damaged goods', 'give acme money back for the returned mugs'],
    questions: [],
  },
  get_invoice: {
    synonyms: ['invoice details', 'bill details', 'invoice status', 'paid or not', 'open amount'],
    examples: ['show invoice inv-2024-0007', 'is invoice 7 paid', 'how much is still open on this bill'],
    questions: ['has invoice 7 been paid?', 'how much is left to pay on this invoice?', 'is this bill overdue?'],
  },
  list_invoices: {
    synonyms: ['invoices', 'bills we sent', 'billing history', 'overdue invoices', 'unpaid bills', 'open invoices', 'sent invoices', 'credit notes list', 'not paid yet', 'late invoices', 'past due', 'unsettled invoices'],
    examples: ['list unpaid invoices', 'show the bills we sent acme', 'which invoices are overdue', 'all draft invoices'],
    questions: ['which bills are late?', 'what did we invoice acme?', 'which invoices are unpaid?'],
  },
  record_payment: {
    synonyms: ['payment received', 'customer paid', 'money in', 'bank transfer received', 'cash received', 'receipt', 'settle invoice', 'book payment', 'cheque'],
    examples: ['acme paid 500 by bank transfer', 'record a payment of 120 from customer 12', 'we got a cheque for invoice 7', 'customer settled their bill'],
    questions: [],
  },
  allocate_payment: {
    synonyms: ['apply payment', 'allocate', 'match payment', 'unapplied credit', 'assign payment to invoice'],
    examples: ['apply payment 3 to invoice 9', 'use the customer\'s leftover credit on the new bill', 'match the unapplied money to invoice 12'],
    questions: [],
  },
  list_payments: {
    synonyms: ['payments', 'receipts', 'money received', 'incoming payments', 'payment history', 'unapplied payments'],
    examples: ['list payments received this month', 'show acme\'s payments', 'which payments are not applied yet'],
    questions: ['did acme pay us?', 'how much money came in?', 'when did customer 12 last pay?'],
  },
  post_journal_entry: {
    synonyms: ['journal entry', 'manual booking', 'book expense', 'accrual', 'general ledger entry', 'record rent', 'bookkeeping entry', 'owner capital'],
    examples: ['book the rent of 1200 for march', 'post an accrual for electricity', 'record the owner putting in 5000 capital', 'make a manual entry debit 6100 credit 1000'],
    questions: [],
  },
  reverse_journal_entry: {
    synonyms: ['reverse entry', 'undo booking', 'cancel journal entry', 'correct wrong booking', 'storno'],
    examples: ['reverse journal entry 14', 'undo the wrong rent booking', 'cancel the manual entry i posted yesterday'],
    questions: [],
  },
  get_journal_entry: {
    synonyms: ['journal entry details', 'booking details', 'ledger lines', 'posting'],
    examples: ['show journal entry 14', 'what was booked in entry 9'],
    questions: ['what accounts did entry 14 hit?', 'was this entry reversed?'],
  },
  set_lock_date: {
    synonyms: ['close the books', 'period close', 'lock period', 'month end close', 'year end close', 'freeze accounts'],
    examples: ['close the books for march', 'lock everything up to 31 december', 'freeze last month so nobody can post'],
    questions: [],
  },
  list_accounts: {
    synonyms: ['chart of accounts', 'account numbers', 'gl accounts', 'ledger accounts', 'nominal codes'],
    examples: ['show the chart of accounts', 'which account is rent', 'list the ledger accounts'],
    questions: ['what is account 4000?', 'which account number should i use for rent?'],
  },
  create_account: {
    synonyms: ['new account', 'add ledger account', 'new gl code', 'new expense category', 'nominal code'],
    examples: ['add an account for software subscriptions', 'create expense account 6500 marketing'],
    questions: [],
  },
  trial_balance: {
    synonyms: ['trial balance', 'debits and credits', 'account balances', 'tb', 'ledger totals'],
    examples: ['run a trial balance', 'show balances of all accounts', 'do debits equal credits'],
    questions: ['what is the balance of each account?', 'do the books balance?'],
  },
  income_statement: {
    synonyms: ['profit and loss', 'p&l', 'pnl', 'profit', 'net income', 'earnings', 'income statement', 'did we make money', 'expenses', 'loss'],
    examples: ['show the profit and loss for this year', 'how much profit did we make last quarter', 'p and l for march'],
    questions: ['are we profitable?', 'what were our expenses this year?', 'did we make money last month?'],
  },
  balance_sheet: {
    synonyms: ['balance sheet', 'assets', 'liabilities', 'equity', 'net worth', 'financial position', 'what we own and owe'],
    examples: ['show the balance sheet', 'what are our total assets', 'financial position at year end'],
    questions: ['what do we own and what do we owe?', 'how much equity do we have?'],
  },
  ar_aging: {
    synonyms: ['owed', 'we are owed', 'unpaid by customers', 'outstanding money', 'receivables', 'accounts receivable', 'who owes us money', 'debtors', 'outstanding balances', 'aging', 'ageing', 'late payers', 'overdue customers', 'collections', 'not paid', 'have not paid', 'late', 'pay late', 'overdue', 'behind on payments', 'slow payers', 'paid on time', 'chasing payment'],
    examples: ['who owes us money', 'show the aging report', 'which customers are late paying', 'how much is outstanding over 90 days'],
    questions: ['who owes us the most?', 'how much money are customers owing?', 'which debts are older than 60 days?'],
  },
  customer_statement: {
    synonyms: ['statement of account', 'customer statement', 'account statement', 'running balance', 'customer ledger'],
    examples: ['send acme a statement for this year', 'statement of account for customer 12', 'show everything billed and paid by acme'],
    questions: ['what is acme\'s running balance?', 'what has this customer been billed and paid?'],
  },
  check_books: {
    synonyms: ['integrity check', 'books check', 'health check', 'audit the accounts', 'sanity check', 'consistency check', 'accounting errors'],
    examples: ['check the books are consistent', 'run the accounting integrity checks', 'is anything wrong in the ledger'],
    questions: ['are the books in order?', 'is there any accounting inconsistency?'],
  },
};

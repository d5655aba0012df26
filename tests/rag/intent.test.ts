import { describe, expect, it } from 'vitest';
import { rankOperations, type CatalogueEntry } from '../../src/rag/catalogue.js';
import { askedOf, fitOf, shapeOf } from '../../src/rag/intent.js';
import { intentOf } from '../../src/rag/terms.js';
import { withoutNames } from '../../src/rag/names.js';
import { correctorOf, editDistance } from '../../src/rag/typos.js';
import { allTools } from '../../src/tools/index.js';

const entries: CatalogueEntry[] = allTools
  .filter((t) => t.name !== 'find_operation')
  .map((t) => ({ name: t.name, title: t.title, description: t.description, readOnly: t.annotations.readOnlyHint }));
const best = async (query: string) => (await rankOperations(undefined, entries, query))[0]!.entry.name;

describe('what a request asks for', () => {
  it('reads a polite command as its verb and thing, with the number marking one record', () => {
    const asked = askedOf('could you please cancel order 4');
    expect(asked.command).toBe(true);
    expect(asked.actions.has('cancel')).toBe(true);
    expect(asked.kind).toBe('write');
    expect([...asked.numbered]).toContain(shapeOf('get_order', true).things[0]);
  });

  it('maps everyday nouns to the words of tool names and keeps things after a preposition as context', () => {
    const asked = askedOf('bills from the vendor for customer 12');
    const [invoice] = shapeOf('list_invoices', true).things;
    const [customer] = shapeOf('get_customer', true).things;
    expect(asked.things.has(invoice!)).toBe(true);
    expect(asked.context.has(customer!)).toBe(true);
    expect(asked.plural.has(invoice!)).toBe(true);
  });

  it('does not read a noun after a determiner as a verb: "the books" books nothing', () => {
    expect(askedOf('close the books').actions.has('record')).toBe(false);
    expect(askedOf('book the rent').actions.has('record')).toBe(true);
  });

  it('reads a state word before things in the plural as a filter, not a command: "open complaints"', () => {
    const asked = askedOf('open complaints');
    expect(asked.actions.has('create')).toBe(false);
    expect(asked.command).toBe(false);
    expect(asked.kind).toBe('read');
  });

  it('reads states before a whole noun phrase in the plural as a filter: "open support tickets", "stale draft orders"', () => {
    expect(askedOf('open support tickets').actions.has('create')).toBe(false);
    expect(askedOf('stale draft orders from last week').kind).toBe('read');
  });

  it('asks no action of a verb in a clause of time: "before I close the month" closes nothing', () => {
    expect(askedOf('run the checks before I close the month').actions.has('lock')).toBe(false);
    expect(askedOf('once we approve it, show the ledger').actions.has('decide')).toBe(false);
  });

  it('hears a command after a dash, and a phrasal verb across an object with determiners', () => {
    expect(askedOf('her new number is 07700 900123 - can you change it').command).toBe(true);
    expect(askedOf('put the price of the garden hose up').actions.has('update')).toBe(true);
  });

  it('in an order, reads a later single verb-like word as a noun unless "and" or "that" joins it', () => {
    expect(askedOf('forget the note about deliveries for customer 3').actions.has('remember')).toBe(false);
    expect(askedOf('ship order 5 and invoice it').actions.has('fulfill')).toBe(true);
    expect(askedOf('Acme can now supply the oak chairs, record that').actions.has('link')).toBe(true);
    expect(askedOf('find the customer called Lee').kind).toBe('read');
  });

  it('reads a quantity wanted as an order, and "not doing … any more" as a change to the range', () => {
    const wants = askedOf('the golf club wants 12 planters for friday');
    expect(wants.actions.has('create')).toBe(true);
    expect(wants.things.has(shapeOf('create_order', false).things[0]!)).toBe(true);
    expect(askedOf("we're not doing the rattan sofas any more").actions.has('update')).toBe(true);
  });

  it('runs no phrase across a comma ("the shop sign, take them off" signs nothing off), and "who did the last…" asks the log', () => {
    expect(askedOf('we used two for the shop sign, take them off stock').actions.has('decide')).toBe(false);
    expect(askedOf('who did the last price change').things.has(shapeOf('list_tool_calls', true).things[0]!)).toBe(true);
  });

  it('asks no action of a negated verb: "orders that have not shipped" ships nothing', () => {
    expect(askedOf('orders that have not shipped').actions.has('fulfill')).toBe(false);
    expect(askedOf("customers who haven't paid").actions.has('record')).toBe(false);
  });

  it('joins a phrasal verb across its object: "send order 7 out" ships, "buy mugs from" names a supplier', () => {
    expect(askedOf('send order 7 out today').actions.has('fulfill')).toBe(true);
    expect(askedOf('who can we buy paper cups from').things.has(shapeOf('list_suppliers', true).things[0]!)).toBe(true);
  });

  it('reads a bare noun phrase as a read, and who got in touch as no thing ("rang" is no "range")', () => {
    expect(askedOf('payments for customer 3').kind).toBe('read');
    expect(askedOf('Mr Lee rang about a late parcel').things.has(shapeOf('get_product', true).things[0]!)).toBe(false);
  });

  it('fits a tool whose verb and thing were both asked for above one that shares only the thing', () => {
    const asked = askedOf('dispatch order 7');
    expect(fitOf(shapeOf('fulfill_order', false), asked)).toBeGreaterThan(fitOf(shapeOf('cancel_order', false), asked));
  });
});

describe('names', () => {
  it('sets aside words capitalised inside a clause, not acronyms, months or the first word of a clause', () => {
    const { text, named } = withoutNames('Pls book the pallet from Northgate Supply Co, BACS paid in March. Thanks');
    expect(named).toBe(true);
    expect(text).not.toMatch(/Northgate|Supply/);
    expect(text).toMatch(/Pls .*BACS .*March\. Thanks/);
    expect(withoutNames('hi, What can I do here?').named).toBe(false);
  });

  it('finds the customer first when a name is followed only by a vague word, not by a possessive', async () => {
    const ranked = (await rankOperations(undefined, entries, 'sort out the Jones thing')).map((r) => r.entry.name);
    expect(ranked[0]).toBe('search_customers');
    expect(withoutNames("put a note on Harris's account that they're slow payers").vague).toBe(false);
  });

  it('puts the lookup second when the best tool needs the id of a customer named by name', async () => {
    const ranked = (await rankOperations(undefined, entries, 'pull up Riverside Tiles, their orders and balance')).map(
      (r) => r.entry.name,
    );
    expect(ranked.indexOf('search_customers')).toBeLessThanOrEqual(1);
  });
});

describe('typing slips', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('recieve', 'receive', 2)).toBe(1);
    expect(editDistance('invoice', 'payment', 2)).toBe(3);
  });

  it('mends words of six letters or more to a known word with the same first letter, and leaves short or unknown words', () => {
    const correct = correctorOf(
      new Set(['customer', 'supplier', 'staff', 'stuff']),
      new Set(['customer', 'supplier', 'staff']),
    );
    expect(correct('custmer and suplier')).toBe('customer and supplier');
    expect(correct('xustomer')).toBe('xustomer');
    expect(correct('stuff, qwxzvb')).toBe('stuff, qwxzvb');
  });

  it('leaves real words one edit from a catalogue word: another inflected verb, a plural, a listed word', () => {
    const correct = correctorOf(new Set(['waiting', 'takings', 'change']), new Set(['waiting', 'takings', 'change']));
    expect(correct('wanting taking chance')).toBe('wanting taking chance');
    expect(correct('wiating')).toBe('waiting');
  });

  it('finds the tool for a request with slips, without a model', async () => {
    expect(await best('recored a paymnet of 200 from acme')).toBe('record_payment');
    expect(await best('cancle order 5')).toBe('cancel_order');
  });
});

describe('commands and questions', () => {
  it('a command that names a document writes it instead of searching policies', async () => {
    expect(await best('upload the staff handbook pdf')).toBe('ingest_document');
  });

  it('hears an indirect question as a question', () => {
    expect(intentOf('please let me know which quotes are still open').question).toBe(true);
    expect(intentOf('can you check whether order 5 went out').question).toBe(true);
    expect(intentOf('check the books').question).toBe(false);
  });

  it("sends a question about approval rules to the ERP's own policies, not to documents", async () => {
    expect(intentOf('what are the rules on approving a big refund').policy).toBe(false);
    expect(await best('what are the rules on approving a big refund')).toBe('list_approval_policies');
  });

  it("sends workplace matters and the shop's promises to the documents, whatever words they share with records", async () => {
    for (const query of [
      'am I allowed to wear trainers on shift?',
      'how do I book a day off',
      'what do we do if a plant dies under guarantee',
      'till what time do orders go out same-day',
      'can sales assistants give 15% off without checking with a manager',
    ])
      expect(intentOf(query).policy, query).toBe(true);
    expect(intentOf('what am I allowed to do here?').policy).toBe(false);
    expect(await best('can I claim back mileage for the supplier visit?')).toBe('search_documents');
  });

  it('hears a question reported or implied by a symptom as one', () => {
    expect(intentOf('customer 8 would like to know when the order ships').question).toBe(true);
    expect(intentOf('stock of the blue mugs looks way too low').question).toBe(true);
  });

  it('hears a question after a dash as one, and a record named by number in a statement as that record', () => {
    expect(intentOf("acct 150 - what's outstanding").question).toBe(true);
    expect(intentOf('put ticket 8 on pending, waiting on the supplier about the warranty').policy).toBe(false);
    expect(intentOf('what is the warranty on a frame?').policy).toBe(true);
    expect(intentOf('someone filled in the contact form asking about bulk pricing').policy).toBe(false);
  });

  it('reads who did something, or a tool named as it is called, as a question for the audit log', async () => {
    expect(askedOf('everything did in the system last week').audit).toBe(true);
    expect(askedOf('every record_payment call since 1 dec').audit).toBe(true);
    expect(askedOf('what did customer 88 order this year').audit).toBe(false);
    expect(await best('who voided invoice 240')).toBe('list_tool_calls');
  });

  it('reads the thing an action on a bare number is done to, but not a quantity', () => {
    const [order] = shapeOf('get_order', true).things;
    expect(askedOf('tried to confirm 1055 and it says not enough stock').numbered.has(order!)).toBe(true);
    expect(askedOf('bin 12 of the old chains').numbered.has(order!)).toBe(false);
  });

  it('sets aside a thing said to be missing yet: "no bill from the supplier yet"', () => {
    expect([...askedOf('received 50 x product 44, no bill from the supplier yet').muted]).toEqual(['bill']);
    expect(askedOf('customers with no orders this year').muted.size).toBe(0);
  });

  it('reads a record moved to a status as an update', () => {
    const asked = askedOf('talked to lead 30, they are keen, bump them to qualified');
    expect(asked.actions.has('update')).toBe(true);
    expect(asked.kind).toBe('write');
  });

  it('finds the customer first for a record named by its customer, and the list first for a change to all of them', async () => {
    const top3 = async (q: string) =>
      (await rankOperations(undefined, entries, q)).slice(0, 3).map((r) => r.entry.name);
    expect(await top3('scrap the draft for St Kilda Spokes, they have gone elsewhere')).toContain('search_customers');
    expect(await top3('pls confirm all the drafts from today')).toContain('list_orders');
    expect(await best('list the finance policy docs')).toBe('list_documents');
  });

  it('a how-to question still goes to search_documents', async () => {
    expect(await best('how do I add a discount to an order?')).toBe('search_documents');
  });
});

// Vocabulary of the sales toolset: customers, memory, products, orders, leads, tickets.
import type { VocabularyTable } from './types.js';

export const salesVocabulary: VocabularyTable = {
  create_customer: {
    synonyms: ['new customer', 'new client', 'add client', 'new account', 'register buyer', 'onboard customer'],
    examples: ['add a new customer called acme ltd', 'set up a new client account', 'register a buyer with email bob@x.com'],
    questions: [],
  },
  update_customer: {
    synonyms: ['edit customer', 'change client details', 'customer contact details', 'new email address', 'new phone number', 'rename customer'],
    examples: ['change the email of customer 12', 'update acme\'s phone number', 'fix the client\'s name spelling'],
    questions: [],
  },
  get_customer: {
    synonyms: ['customer details', 'client profile', 'customer record', 'account overview', 'customer 360', 'client info', 'customer balance', 'phone number', 'email address', 'contact details'],
    examples: ['show me customer 12', 'pull up acme\'s account', 'what do we know about this client', 'customer overview with open orders'],
    questions: ['how much does customer 12 owe?', 'what are the open orders of this client?', 'what is acme\'s balance?'],
  },
  search_customers: {
    synonyms: ['find customer', 'look up client', 'customer list', 'all customers', 'client directory', 'customer by name', 'customer by email'],
    examples: ['find the customer named muller', 'look up a client by email', 'list all our customers', 'search for acme'],
    questions: ['do we have a customer called smith?', 'which customers do we have?', 'what is the id of acme?'],
  },
  remember_customer_fact: {
    synonyms: ['make a note', 'note that', 'jot down', 'note about customer', 'remember preference', 'save customer note', 'customer preference', 'keep in mind'],
    examples: ['remember that acme prefers phone calls after 2pm', 'note that this client wants invoices by post', 'save a preference for customer 5'],
    questions: [],
  },
  get_customer_memory: {
    synonyms: ['customer notes', 'remembered facts', 'client preferences', 'what we noted'],
    examples: ['what notes do we have on acme', 'show the remembered preferences of customer 5'],
    questions: ['how does this customer like to be contacted?', 'what did we note about this client?'],
  },
  forget_customer_fact: {
    synonyms: ['delete customer note', 'remove preference', 'forget note', 'erase fact'],
    examples: ['forget acme\'s preferred contact', 'remove the note about delivery hours for customer 5'],
    questions: [],
  },
  create_product: {
    synonyms: ['start selling', 'new product line', 'launch product', 'new product', 'new item', 'add sku', 'add article', 'catalogue entry', 'new line item in catalogue'],
    examples: ['add a new product blue widget at 9.99', 'create a sku for the large mug', 'put a new item in the catalogue'],
    questions: [],
  },
  update_product: {
    synonyms: ['stop selling', 'no longer sell', 'phase out', 'change price', 'edit product', 'reprice', 'price increase', 'discontinue product', 'deactivate item', 'change cost', 'reorder point'],
    examples: ['raise the price of the red mug to 12', 'discontinue sku w-100', 'change the reorder point of widgets to 20', 'rename product 4'],
    questions: [],
  },
  get_product: {
    synonyms: ['product details', 'item info', 'price of', 'product price', 'sku details', 'article'],
    examples: ['show product 4', 'what does the blue widget cost', 'details of sku w-100'],
    questions: ['how much do we charge for the blue mug?', 'what is the price of sku w-100?', 'what is the cost of this item?'],
  },
  search_products: {
    synonyms: ['find product', 'catalogue', 'product list', 'items we sell', 'price list', 'look up sku', 'range', 'assortment', 'do we carry', 'do we stock', 'do we have any', 'do we offer', 'in the range', 'products matching'],
    examples: ['find products with mug in the name', 'list the catalogue', 'what items do we sell', 'search the product range for cables'],
    questions: ['do we sell usb cables?', 'which products do we have?', 'what is in our catalogue?', 'do we carry garden tools?', 'have we got anything for camping?'],
  },
  create_order: {
    synonyms: ['new order', 'sales order', 'place order', 'take an order', 'book an order', 'quote', 'customer wants to buy', 'order entry'],
    examples: ['create an order for acme: 10 blue mugs', 'customer 12 wants to buy 5 widgets', 'enter a new sales order', 'book an order for 3 chairs'],
    questions: [],
  },
  confirm_order: {
    synonyms: ['confirm', 'accept order', 'reserve stock', 'approve order', 'commit order', 'finalise order'],
    examples: ['confirm order 42', 'accept the draft order and reserve the goods', 'lock in order 17'],
    questions: [],
  },
  fulfill_order: {
    synonyms: ['ship', 'dispatch', 'deliver', 'fulfil', 'send out', 'shipment', 'goods out', 'pick and pack', 'shipped', 'went out', 'gone out', 'sent out', 'delivered', 'out the door', 'left the warehouse', 'handed to the courier'],
    examples: ['ship order 42', 'dispatch the confirmed order to the customer', 'mark order 17 as delivered', 'send the goods out for order 9'],
    questions: [],
  },
  cancel_order: {
    synonyms: ['cancel', 'call off order', 'abort order', 'customer changed mind', 'withdraw order', 'scrap order'],
    examples: ['cancel order 42', 'the customer no longer wants order 17', 'call off the draft order'],
    questions: [],
  },
  get_order: {
    synonyms: ['order details', 'order status', 'order lines', 'what was ordered', 'track order'],
    examples: ['show order 42', 'what is the status of order 17', 'what items are on order 9', 'where is order 42'],
    questions: ['has order 42 shipped?', 'what did the customer order?', 'was order 17 invoiced?'],
  },
  list_orders: {
    synonyms: ['back orders', 'on back order', 'orders not shipped yet', 'unshipped orders', 'orders', 'order list', 'open orders', 'recent orders', 'order history', 'order book', 'backlog', 'purchases by customer'],
    examples: ['list this week\'s orders', 'show acme\'s order history', 'all confirmed orders not shipped yet', 'orders from last month'],
    questions: ['which orders are still open?', 'what did acme buy this year?', 'how many orders came in today?'],
  },
  create_lead: {
    synonyms: ['new lead', 'prospect', 'enquiry', 'inquiry', 'potential customer', 'sales opportunity', 'interested party'],
    examples: ['log an enquiry from a company interested in 500 mugs', 'add a new prospect from the trade fair', 'someone emailed asking for a quote, record it'],
    questions: [],
  },
  score_lead: {
    synonyms: ['rescore lead', 'lead score', 'recalculate score', 'rate prospect', 'qualify lead'],
    examples: ['re-score lead 8', 'recalculate how likely lead 3 is to buy', 'refresh the lead score'],
    questions: [],
  },
  list_leads: {
    synonyms: ['leads', 'prospects', 'pipeline', 'sales funnel', 'hot leads', 'best leads', 'enquiries'],
    examples: ['show the hottest leads', 'list new prospects', 'which leads should we call first', 'show the sales pipeline'],
    questions: ['which prospects are most likely to buy?', 'how many leads are qualified?', 'who should sales call next?'],
  },
  update_lead_status: {
    synonyms: ['lead contacted', 'qualify', 'mark lost', 'lead stage', 'move lead', 'disqualify'],
    examples: ['mark lead 8 as contacted', 'lead 3 is not interested any more, mark it lost', 'move the prospect to qualified'],
    questions: [],
  },
  convert_lead: {
    synonyms: ['win lead', 'won', 'closed deal', 'turn prospect into customer', 'convert prospect', 'deal won'],
    examples: ['we won lead 8, make them a customer', 'convert the prospect to a customer', 'the deal closed, convert lead 3'],
    questions: [],
  },
  create_ticket: {
    synonyms: ['complaint', 'support case', 'issue', 'problem report', 'help desk', 'service request', 'customer complaint', 'raise a ticket', 'grievance'],
    examples: ['log a complaint from acme about a broken mug', 'customer says the delivery arrived damaged', 'open a support case for customer 12', 'file an issue for a client'],
    questions: [],
  },
  update_ticket: {
    synonyms: ['resolve ticket', 'close complaint', 'ticket status', 'close case', 'mark resolved', 'reopen ticket'],
    examples: ['close ticket 5', 'mark the complaint as resolved', 'set support case 9 to pending', 'the issue is fixed, close it'],
    questions: [],
  },
  list_tickets: {
    synonyms: ['tickets', 'complaints', 'support cases', 'open issues', 'support queue', 'help desk queue', 'customer problems'],
    examples: ['show open complaints', 'list support cases for acme', 'what tickets are still unresolved', 'any customer complaints this week'],
    questions: ['how many complaints are open?', 'has acme complained before?', 'which support cases are pending?'],
  },
};

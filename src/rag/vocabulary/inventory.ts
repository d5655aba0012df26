// Vocabulary of the inventory toolset: stock levels, movements, receipts, suppliers, reordering.
import type { VocabularyTable } from './types.js';

export const inventoryVocabulary: VocabularyTable = {
  get_stock: {
    synonyms: ['stock level', 'on hand', 'in stock', 'available quantity', 'units left', 'inventory of product', 'stock count', 'how many left'],
    examples: ['how many blue mugs do we have', 'stock of sku w-100', 'are widgets in stock', 'units available for product 4'],
    questions: ['how many units of this product are left?', 'do we have enough widgets?', 'is sku w-100 in stock?', 'what is the stock value of this item?'],
  },
  list_stock: {
    synonyms: ['stock levels', 'inventory list', 'stock overview', 'low stock', 'running low', 'warehouse contents', 'stock report', 'out of stock'],
    examples: ['show stock for all products', 'what is running low', 'list items below reorder point', 'inventory overview'],
    questions: ['which products are low on stock?', 'what do we have in the warehouse?', 'what is out of stock?'],
  },
  list_stock_movements: {
    synonyms: ['disappear', 'went missing', 'where did stock go', 'stock movements', 'ins and outs', 'stock history', 'inventory ledger', 'stock card', 'goods in and out', 'movement log', 'transactions of a product', 'stock changes'],
    examples: ['show the ins and outs of the blue mug', 'history of stock changes for sku w-100', 'what came in and went out this week', 'why did stock of widgets drop'],
    questions: ['when did we last receive widgets?', 'where did the missing units go?', 'what happened to the stock of product 4?'],
  },
  receive_stock: {
    synonyms: ['goods received', 'delivery arrived', 'receive delivery', 'restock', 'purchase received', 'book incoming goods', 'goods in', 'stock arrival'],
    examples: ['we got 100 mugs from the supplier today', 'book the delivery of 50 widgets', 'the shipment from our vendor arrived, add it to stock', 'receive 20 units at cost 4.50'],
    questions: [],
  },
  adjust_stock: {
    synonyms: ['stock correction', 'stock take', 'inventory count', 'write off', 'damaged goods', 'shrinkage', 'breakage', 'lost items', 'stocktake adjustment', 'scrap'],
    examples: ['after the count we have 3 fewer mugs', 'write off 5 broken glasses', 'correct the stock of widgets to 40', 'some items were stolen, adjust inventory'],
    questions: [],
  },
  create_supplier: {
    synonyms: ['new supplier', 'new vendor', 'add vendor', 'new manufacturer', 'wholesaler', 'supplier onboarding', 'distributor'],
    examples: ['add a new vendor called parts co', 'set up a supplier we will buy from', 'register a new wholesaler'],
    questions: [],
  },
  list_suppliers: {
    synonyms: ['suppliers', 'vendors', 'who we buy from', 'supplier list', 'manufacturers', 'wholesalers', 'sources'],
    examples: ['list our vendors', 'who do we buy from', 'show all suppliers'],
    questions: ['which vendors do we use?', 'how many products does each supplier provide?'],
  },
  link_supplier_product: {
    synonyms: ['supplier for product', 'vendor sku', 'lead time', 'supplier price', 'sourcing', 'assign supplier', 'buy from'],
    examples: ['parts co supplies the blue mug at 3.20 with 7 days lead time', 'link vendor 2 to product 4', 'set the supplier price for widgets'],
    questions: [],
  },
  reorder_suggestions: {
    synonyms: ['what to reorder', 'purchase suggestions', 'replenishment', 'restock list', 'buying list', 'purchase order proposal', 'shopping list', 'order more', 'order again', 'reorder', 'restock', 'running low', 'low on stock', 'top up', 'buy more', 'replenish', 'needs ordering', 'about to run out'],
    examples: ['what should we reorder', 'which products do we need to buy more of', 'make me a purchase list by supplier', 'what do i need to order from vendors'],
    questions: ['what should i buy this week?', 'which items need replenishing and from whom?', 'how much would restocking cost?', 'what are we about to run out of?', 'what needs ordering again?'],
  },
  reconcile_stock: {
    synonyms: ['stock reconciliation', 'stock discrepancies', 'inventory mismatch', 'stock consistency', 'check stock against movements'],
    examples: ['check stock matches the movements', 'find inventory discrepancies', 'reconcile inventory'],
    questions: ['does the stock add up?', 'are there any stock differences?'],
  },
};

// Vocabulary of the analytics and rag toolsets: reports, KPIs, forecasts, SQL, documents.
import type { VocabularyTable } from './types.js';

export const analyticsVocabulary: VocabularyTable = {
  sales_report: {
    synonyms: ['sales figures', 'revenue report', 'turnover', 'sales by month', 'best sellers', 'top customers', 'top products', 'margin by product', 'units sold'],
    examples: ['sales by month this year', 'which products sold best last quarter', 'top customers by revenue', 'how much did we sell in march'],
    questions: ['what were sales last week?', 'who are our biggest customers?', 'which product makes the most margin?', 'how many units did we sell?'],
  },
  kpi_snapshot: {
    synonyms: ['kpis', 'headline numbers', 'key figures', 'dashboard', 'metrics', 'how is the business doing', 'overview', 'dso', 'gross margin', 'conversion rate', 'big picture'],
    examples: ['give me the headline numbers', 'how is the business doing', 'show the kpi dashboard', 'what is our dso'],
    questions: ['how are we doing this year?', 'what is our gross margin?', 'what is the lead conversion rate?', 'how much inventory value do we hold?'],
  },
  forecast_demand: {
    synonyms: ['forecast', 'predict sales', 'demand planning', 'projection', 'expected sales', 'days of cover', 'future demand', 'how long will stock last'],
    examples: ['forecast demand for the blue mug', 'how many widgets will we sell next month', 'will we run out of mugs soon', 'predict sales of sku w-100'],
    questions: ['how long will our stock last?', 'how much will we sell next quarter?'],
  },
  run_query: {
    synonyms: ['sql', 'custom query', 'ad hoc report', 'database query', 'select statement', 'raw data', 'export data', 'custom analysis'],
    examples: ['run a sql query on orders', 'select count of customers by city', 'i need a custom report no other tool gives', 'query the database directly'],
    questions: ['what is the average order value by weekday?', 'can i query the raw tables?'],
  },
  ingest_document: {
    synonyms: ['upload document', 'add document', 'index file', 'import pdf', 'add to knowledge base', 'store manual', 'add policy document'],
    examples: ['upload our returns policy pdf', 'add the employee handbook to the library', 'index the new price list file'],
    questions: [],
  },
  search_documents: {
    synonyms: ['policy', 'policies', 'handbook', 'manual', 'procedure', 'guidelines', 'terms and conditions', 'knowledge base', 'documentation', 'rules', 'how to', 'how do i', 'warranty', 'returns policy'],
    examples: ['what is our returns policy', 'how do i handle a refund request', 'what does the handbook say about holidays', 'find the warranty terms', 'what are our payment terms'],
    questions: ['what is the policy for late deliveries?', 'how do we handle damaged goods?', 'are we allowed to give discounts over 20%?', 'what do our terms say about shipping?'],
  },
  list_documents: {
    synonyms: ['documents', 'library', 'uploaded files', 'document list', 'knowledge base contents', 'indexed files'],
    examples: ['what documents are in the library', 'list uploaded files', 'show all policy documents'],
    questions: ['which documents have been uploaded?', 'what is in the knowledge base?'],
  },
  delete_document: {
    synonyms: ['remove document', 'delete file', 'unindex', 'drop document', 'remove from library'],
    examples: ['delete document 3', 'remove the old price list from the library', 'take the outdated handbook out'],
    questions: [],
  },
};

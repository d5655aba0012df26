// One table of every tool's everyday vocabulary, keyed by tool name (tests/rag/find-operation.test.ts
// fails if a tool has none). find_operation itself has none: it is never a result of itself.
import { analyticsVocabulary } from './analytics.js';
import { financeVocabulary } from './finance.js';
import { inventoryVocabulary } from './inventory.js';
import { routerVocabulary } from './router.js';
import { salesVocabulary } from './sales.js';
import type { ToolVocabulary, VocabularyTable } from './types.js';

export type { ToolVocabulary } from './types.js';

export const toolVocabulary: VocabularyTable = {
  ...routerVocabulary,
  ...salesVocabulary,
  ...inventoryVocabulary,
  ...financeVocabulary,
  ...analyticsVocabulary,
};

const EMPTY: ToolVocabulary = { synonyms: [], examples: [], questions: [] };
export const vocabularyOf = (name: string): ToolVocabulary => toolVocabulary[name] ?? EMPTY;

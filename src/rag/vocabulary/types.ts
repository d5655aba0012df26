// The words people use for a tool, kept apart from its description (which is written for a model):
// synonyms, example requests as a user would type them, and the questions the tool answers.
export interface ToolVocabulary {
  /** Everyday words and phrases for what the tool does or shows. */
  synonyms: string[];
  /** Requests as a person types them ("bill acme for last week"). */
  examples: string[];
  /** Questions the tool answers (reads); empty for pure actions. */
  questions: string[];
}

export type VocabularyTable = Record<string, ToolVocabulary>;

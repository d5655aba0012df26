// router toolset: find_operation — which of my tools does this task need? Ranking lives in
// src/rag/catalogue.ts; this file only decides what the caller may see.
import { z } from 'zod';
import { matchLevel, NO_MATCH, rankOperations, type CatalogueEntry } from '../rag/catalogue.js';
import { ModelMissingError, type Embedder } from '../rag/embedder.js';
import { canCall, whyNot } from './access.js';
import { defineTool, type AnyTool } from './define.js';
import { describe } from './describe.js';
import { text } from './schemas.js';

const NAME = 'find_operation';
const entryOf = (t: AnyTool): CatalogueEntry => ({
  name: t.name,
  title: t.title,
  description: t.description,
  readOnly: t.annotations.readOnlyHint,
});

/**
 * Ranked with the embedding model when it loads; when it cannot (no ERP_MODEL_DIR and no internet),
 * on keywords alone, which rank nearly as well, rather than failing the call.
 */
async function ranked(embedder: Embedder | undefined, entries: CatalogueEntry[], query: string) {
  try {
    return {
      ranked: await rankOperations(embedder, entries, query),
      ranking: embedder ? 'model' : 'keywords',
    } as const;
  } catch (error) {
    if (!(error instanceof ModelMissingError)) throw error;
    return { ranked: await rankOperations(undefined, entries, query), ranking: 'keywords' } as const;
  }
}

const summaryOf = (o: {
  operations: { name: string; score: number }[];
  match: string;
  not_allowed: { name: string }[];
  ranking: string;
}) => {
  const list = o.operations.map((op) => `${op.name} (${op.score})`).join(', ');
  const denied = o.not_allowed.length
    ? `; your role cannot call ${o.not_allowed.map((d) => d.name).join(', ')}, which would match better`
    : '';
  const how = o.ranking === 'keywords' ? ' (ranked on keywords only: no embedding model is available)' : '';
  if (o.match === 'none') return `No tool you may call matches this task well${denied}${how}`;
  return `${o.match === 'good' ? 'The' : 'No strong match; the'} ${o.operations.length} best-ranked tool(s) you may call, best first: ${list}${denied}${how}`;
};

export const findOperationTool = defineTool({
  name: NAME,
  title: 'Find the right tool',
  description:
    'Describe a task or question in plain words ("bill customer 12 for last week\'s orders", "who owes us money?") and get the best matching tools you may call, with their descriptions and input schemas. score is calibrated in [0, 1]; match says whether the best is a good or weak match, or none; not_allowed names better matches your role cannot call. Policy and how-to questions point to search_documents.',
  toolset: 'router',
  input: z.strictObject({ query: text(1000, 'query'), limit: z.number().int().min(1).max(20).default(5) }),
  output: z.object({
    operations: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        description: z.string(),
        score: z.number(),
        input_schema: z.record(z.string(), z.unknown()),
      }),
    ),
    match: z.enum(['good', 'weak', 'none']),
    not_allowed: z.array(z.object({ name: z.string(), reason: z.string() })),
    ranking: z.enum(['model', 'keywords']),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: summaryOf,
  run: async (ctx, input) => {
    const tools = ctx.catalogue.filter((t) => t.name !== NAME);
    const { ranked: order, ranking } = await ranked(ctx.rag?.embedder, tools.map(entryOf), input.query);
    const byName = new Map(tools.map((t) => [t.name, t]));
    const allowed = order.filter((r) => canCall(ctx.user, byName.get(r.entry.name)!));
    const match = matchLevel(allowed[0]?.score);
    const bar = Math.max(allowed[0]?.score ?? 0, NO_MATCH);
    const notAllowed = order
      .slice(0, input.limit)
      .filter((r) => r.score >= bar && !canCall(ctx.user, byName.get(r.entry.name)!))
      .map((r) => ({ name: r.entry.name, reason: whyNot(ctx.user, byName.get(r.entry.name)!) }));
    const operations = match === 'none' ? [] : allowed.slice(0, input.limit);
    return {
      operations: operations.map(({ entry, score }) => ({
        name: entry.name,
        title: entry.title,
        description: entry.description,
        score,
        input_schema: describe(byName.get(entry.name)!).inputSchema as Record<string, unknown>,
      })),
      match,
      not_allowed: notAllowed,
      ranking,
    };
  },
});

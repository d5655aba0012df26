// router toolset: find_operation — which of my tools does this task need?
import { z } from 'zod';
import { DomainError } from '../domain/shared/errors.js';
import { rankOperations } from '../rag/catalogue.js';
import { canCall } from './access.js';
import { defineTool } from './define.js';
import { describe } from './describe.js';
import { text } from './schemas.js';

export const findOperationTool = defineTool({
  name: 'find_operation',
  title: 'Find the right tool',
  description: 'Describe a task in plain words ("bill customer 12 for last week\'s orders") and get the best matching tools you may call, with their descriptions and input schemas.',
  toolset: 'router',
  input: z.strictObject({ query: text(1000, 'query'), limit: z.number().int().min(1).max(20).default(5) }),
  output: z.object({
    operations: z.array(z.object({ name: z.string(), title: z.string(), description: z.string(), score: z.number(), input_schema: z.record(z.string(), z.unknown()) })),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => (o.operations.length
    ? `The ${o.operations.length} best-ranked tool(s) you may call, best first: ${o.operations.map((op) => `${op.name} (${op.score})`).join(', ')}`
    : 'No tool you may call matches'),
  run: async (ctx, input) => {
    if (!ctx.rag) throw new DomainError('CONFLICT', 'find_operation needs the embedding model, which is not configured on this server');
    const visible = ctx.catalogue.filter((t) => canCall(ctx.user, t));
    const ranked = await rankOperations(ctx.rag.embedder, visible, input.query, input.limit);
    return {
      operations: ranked.map(({ entry, score }) => ({
        name: entry.name, title: entry.title, description: entry.description, score,
        input_schema: describe(visible.find((t) => t.name === entry.name)!).inputSchema as Record<string, unknown>,
      })),
    };
  },
});

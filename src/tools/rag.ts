// rag toolset: company documents — ingest, hybrid search with citations, list, delete.
import { z } from 'zod';
import { DomainError } from '../domain/shared/errors.js';
import { DEFAULT_READ_LIMITS, formatBytes, openDocumentFile } from '../rag/files.js';
import { ingestDocument } from '../rag/ingest.js';
import { deleteDocument, listDocuments } from '../domain/documents/search.js';
import { searchDocuments } from '../rag/search.js';
import { defineTool, type RagServices, type ToolContext } from './define.js';
import { id, pageInput, pageOutput, text, timestamp } from './schemas.js';

function rag(ctx: ToolContext): RagServices {
  if (!ctx.rag)
    throw new DomainError('UNAVAILABLE', 'Document search is not configured on this server (no embedding model)');
  return ctx.rag;
}

const tag = z.string().trim().min(1).max(50);
const source = z
  .enum(['file', 'text'])
  .describe('file: read from the documents folder by path; text: sent by a client (its own namespace)');
const moduleName = z.string().trim().min(1).max(50).describe('business area, e.g. sales, finance, inventory, policies');
const docSummary = z.object({
  id: z.number().int(),
  module: z.string(),
  source,
  path: z.string(),
  title: z.string().nullable(),
  tags: z.array(z.string()),
  chunks: z.number().int(),
  model: z.string().nullable(),
  updated_at: timestamp,
});

export const ingestDocumentTool = defineTool({
  name: 'ingest_document',
  title: 'Ingest document',
  description: `Adds a document to the searchable library: a regular file by path (Markdown, text or PDF, at most ${formatBytes(DEFAULT_READ_LIMITS.maxBytes)}, under the server's documents folder), or text given directly (then path only names it: text uploads are a namespace of their own and never replace a file). It is chunked, embedded locally and indexed; re-ingesting the same path replaces it, unchanged content is skipped. Replacing a document someone else ingested needs the admin role. Sends progress notifications when the client passes a progressToken.`,
  toolset: 'rag',
  input: z
    .strictObject({
      path: z.string().trim().min(1).max(500).optional(),
      text: z.string().max(5_000_000).optional(),
      module: moduleName,
      tags: z.array(tag).max(20).optional(),
      title: text(300, 'title').optional(),
    })
    .refine((v) => v.path !== undefined || v.text !== undefined, 'pass path, text, or both'),
  output: z.object({
    document_id: z.number().int(),
    source,
    path: z.string(),
    title: z.string(),
    chunks: z.number().int(),
    skipped: z.boolean(),
    model: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summary: (r) => {
    const name = `${r.source === 'text' ? 'text upload ' : ''}${r.path}`;
    return r.skipped
      ? `${name} is unchanged (${r.chunks} chunks kept)`
      : `Ingested ${name} as document ${r.document_id}: ${r.chunks} chunks`;
  },
  links: (r) => [{ uri: `erp://documents/${r.document_id}`, name: r.title, mimeType: 'text/markdown' }],
  run: async (ctx, input) => {
    const services = rag(ctx);
    const common = { module: input.module, tags: input.tags, title: input.title, actor: ctx.user };
    const document =
      input.text === undefined
        ? {
            ...common,
            source: 'file' as const,
            ...(await openDocumentFile({ root: services.docsRoot, dataDir: services.dataDir }, input.path!)),
          }
        : { ...common, source: 'text' as const, path: input.path, text: input.text };
    return ingestDocument(ctx.tx, services.embedder, document, {}, ctx.progress);
  },
});

export const searchDocumentsTool = defineTool({
  name: 'search_documents',
  title: 'Search documents',
  description:
    'Finds the passages of company documents (policies, price lists, manuals, terms) that answer a question: hybrid semantic + keyword search. Optional module and tags (all must match). Each hit cites document_id, source (file, or text upload), path, chunk_index, the text and a resource link to open the whole document.',
  toolset: 'rag',
  input: z.strictObject({
    query: text(1000, 'query'),
    module: moduleName.optional(),
    tags: z.array(tag).max(20).optional(),
    limit: z.number().int().min(1).max(50).default(5),
  }),
  output: z.object({
    hits: z.array(
      z.object({
        document_id: z.number().int(),
        source,
        path: z.string(),
        title: z.string().nullable(),
        module: z.string(),
        chunk_index: z.number().int(),
        heading: z.string().nullable(),
        text: z.string(),
        score: z.number(),
        vector_rank: z.number().int().nullable(),
        text_rank: z.number().int().nullable(),
        resource_uri: z.string(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (r) =>
    r.hits.length
      ? `The ${r.hits.length} best-matching passage(s); the best is ${r.hits[0]!.title ?? r.hits[0]!.path} §${r.hits[0]!.chunk_index}`
      : 'No matching passages',
  links: (r) => [
    ...new Map(
      r.hits.map((h) => [h.document_id, { uri: h.resource_uri, name: h.title ?? h.path, mimeType: 'text/markdown' }]),
    ).values(),
  ],
  run: async (ctx, input) => ({ hits: await searchDocuments(ctx.tx, rag(ctx).embedder, input) }),
});

export const listDocumentsTool = defineTool({
  name: 'list_documents',
  title: 'List documents',
  description:
    'Lists ingested documents, optionally by module or tag, with their chunk count and embedding model. Paginated.',
  toolset: 'rag',
  input: z.strictObject({ module: moduleName.optional(), tag: tag.optional(), ...pageInput }),
  output: pageOutput(docSummary),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => `${o.items.length} document(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listDocuments(ctx.tx, input),
});

export const deleteDocumentTool = defineTool({
  name: 'delete_document',
  title: 'Delete document',
  description:
    'Removes a document and its chunks from the library (the file itself is not touched). Deleting a document someone else ingested needs the admin role.',
  toolset: 'rag',
  input: z.strictObject({ document_id: id() }),
  output: docSummary,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  summary: (d) => `Deleted document ${d.id}: ${d.path}`,
  run: (ctx, input) => deleteDocument(ctx.tx, input.document_id, ctx.user),
});

export const ragTools = [ingestDocumentTool, searchDocumentsTool, listDocumentsTool, deleteDocumentTool];

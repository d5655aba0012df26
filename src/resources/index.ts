// MCP resources: the live schema, and ERP records (documents, customers, orders, invoices) a
// client can open, cite and complete. resources/list is paginated across all record kinds.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListResourcesRequestSchema, type Resource } from '@modelcontextprotocol/sdk/types.js';
import type { Db } from '../db/types.js';
import { describeSchema } from '../domain/platform/schema.js';
import { DomainError } from '../domain/shared/errors.js';
import { decodeCursor, encodeCursor } from '../domain/shared/pagination.js';
import type { User } from '../domain/platform/users.js';
import { ROLE_MATRIX } from '../tools/access.js';
import { RECORD_KINDS, type RecordKind } from './records.js';

const PAGE = 100;
const SCHEMA: Resource = { uri: 'erp://schema', name: 'Database schema', mimeType: 'text/markdown', description: 'Every table and column of the ERP database, as Markdown.' };

const mayRead = (user: User, kind: RecordKind) => {
  const grant = ROLE_MATRIX[user.role];
  return grant.read.includes(kind.toolset) || grant.write.includes(kind.toolset);
};

/** One page of resources: the schema first, then each readable record kind in id order. */
async function listPage(db: Db, user: User, cursor: string | undefined): Promise<{ resources: Resource[]; nextCursor?: string }> {
  const [kindIndex, afterId] = (decodeCursor(cursor, ['number', 'number']) ?? [-1, 0]) as [number, number];
  const resources: Resource[] = kindIndex < 0 ? [SCHEMA] : [];
  for (let k = Math.max(0, kindIndex); k < RECORD_KINDS.length; k++) {
    const kind = RECORD_KINDS[k]!;
    if (!mayRead(user, kind)) continue;
    const room = PAGE - resources.length;
    const rows = await kind.list(db, k === kindIndex ? afterId : 0, room + 1);
    for (const r of rows.slice(0, room)) resources.push({ uri: `erp://${kind.segment}/${r.id}`, name: r.label, mimeType: kind.mimeType });
    if (rows.length > room) return { resources, nextCursor: encodeCursor([k, rows[room - 1]!.id]) };
  }
  return { resources };
}

export function registerResources(server: McpServer, db: Db, user: User): void {
  server.registerResource('schema', SCHEMA.uri, { title: SCHEMA.name, description: SCHEMA.description, mimeType: 'text/markdown' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await describeSchema(db) }] }));
  for (const kind of RECORD_KINDS) {
    const template = new ResourceTemplate(`erp://${kind.segment}/{id}`, {
      list: undefined,
      complete: { id: async (value) => (mayRead(user, kind) ? (await kind.complete(db, value)).map((r) => String(r.id)) : []) },
    });
    server.registerResource(kind.segment, template, { title: kind.title, mimeType: kind.mimeType, description: `One ${kind.title.toLowerCase()} by id.` },
      async (uri, variables) => {
        if (!mayRead(user, kind)) throw new DomainError('FORBIDDEN', `Role ${user.role} may not read ${kind.segment}`);
        const id = Number(variables.id);
        if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('INVALID_INPUT', `${uri.href}: the id must be a positive integer`);
        return { contents: [{ uri: uri.href, mimeType: kind.mimeType, text: await db.transaction((tx) => kind.read(tx, id)) }] };
      });
  }
  // The SDK lists every resource at once; ours pages through them.
  server.server.setRequestHandler(ListResourcesRequestSchema, (request) => listPage(db, user, request.params?.cursor));
}

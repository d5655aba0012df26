// MCP resources: read-only views of the ERP a client can open and cite.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Db } from '../db/types.js';
import { describeSchema } from '../domain/platform/schema.js';

export function registerResources(server: McpServer, db: Db): void {
  server.registerResource(
    'schema',
    'erp://schema',
    { title: 'Database schema', description: 'Every table and column of the ERP database, with types and references, as Markdown.', mimeType: 'text/markdown' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await describeSchema(db) }] }),
  );
}

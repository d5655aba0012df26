// Builds the MCP server for one acting user: the selected toolsets, filtered by the user's role,
// every request going through the gate (src/gate.ts): tools/call via tools/call.ts, resources and
// prompts via their modules. It is the SDK's low-level Server, not McpServer: every list, call,
// read, get and completion is ours to answer through the gate, so McpServer's registries (and
// handlers that would bypass the gate) have nothing to add. The SDK answers initialize (2025
// revisions) and server/discover (2026-07-28) from the capabilities declared here.
import { readFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import type { Db } from './db/types.js';
import type { Toolset } from './domain/platform/roles.js';
import type { User } from './domain/platform/users.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources/index.js';
import type { ToolMode } from './tool-mode.js';
import { canCall } from './tools/access.js';
import { callTool } from './tools/call.js';
import { CALL_OPERATION, callOperation } from './tools/call-operation.js';
import type { RagServices } from './tools/define.js';
import { listedTools, selectTools } from './tools/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export interface ServerOptions {
  db: Db;
  user: User;
  toolsets: readonly Toolset[];
  /** full (the default): tools/list offers every tool the user may call; discover: see listedTools. */
  toolMode?: ToolMode;
  rag?: RagServices;
  log?: (message: string, error?: unknown) => void;
}

const INSTRUCTIONS = `erp-mcp runs a small-business ERP: customers, products, orders, stock, invoices, payments and a double-entry ledger.
Call whoami first to see your role and tools. Ids are integers, dates are YYYY-MM-DD, money is a decimal string like "12.50".
Every call is audited. Errors start with a code (NOT_FOUND, INVALID_INPUT, CONFLICT, FORBIDDEN, …) and change nothing.`;

const DISCOVER_INSTRUCTIONS = `${INSTRUCTIONS}
Only a few tools are listed: find the tool for a task with find_operation, then run it with call_operation(name, arguments).`;

// One validator for every server: over HTTP a server is built per request, and a new Ajv per
// request was a tenth of the request's CPU time.
const jsonSchemaValidator = new AjvJsonSchemaValidator();

export function createMcpServer(options: ServerOptions): Server {
  const server = new Server(
    { name: 'erp-mcp', title: 'erp-mcp', version: pkg.version },
    {
      instructions: options.toolMode === 'discover' ? DISCOVER_INSTRUCTIONS : INSTRUCTIONS,
      jsonSchemaValidator,
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
        completions: {},
      },
    },
  );
  const offered = selectTools(options.toolsets);
  const tools = new Map(offered.map((t) => [t.name, t]));
  const visible = listedTools(
    offered.filter((t) => canCall(options.user, t)),
    options.toolMode ?? 'full',
  );

  server.setRequestHandler('tools/list', () => ({ tools: visible }));
  server.setRequestHandler('tools/call', (request, ctx) => {
    const token = request.params._meta?.progressToken;
    const progress = async (done: number, total: number, message?: string) => {
      if (token === undefined) return;
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken: token, progress: done, total, message },
      });
    };
    const env = { db: options.db, user: options.user, tools, rag: options.rag, progress, log: options.log };
    const { name, arguments: args, _meta: meta } = request.params;
    return name === CALL_OPERATION && options.toolMode === 'discover'
      ? callOperation(env, args, meta)
      : callTool(env, name, args, meta);
  });
  const gate = { db: options.db, user: options.user, log: options.log };
  registerResources(server, gate);
  registerPrompts(server, gate);
  return server;
}

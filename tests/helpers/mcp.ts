// A real MCP client connected to a real server over the in-memory transport.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Db } from '../../src/db/types.js';
import { freshDb, type DbKind, type TestDb } from './db.js';
import { createUser, DEFAULT_ADMIN_EMAIL, requireUserByEmail, type Role } from '../../src/domain/platform/users.js';
import { fileURLToPath } from 'node:url';
import { createEmbedder } from '../../src/rag/embedder.js';
import { createMcpServer } from '../../src/server.js';
import { TOOLSETS, type Toolset } from '../../src/domain/platform/roles.js';
import type { ToolMode } from '../../src/tool-mode.js';
import type { RagServices } from '../../src/tools/define.js';

/** The offline test model from ../shared/models (see its README); never downloaded. */
export const testModelDir = fileURLToPath(new URL('../../../shared/models', import.meta.url));
export const testEmbedder = createEmbedder({ modelDir: testModelDir, model: 'local/glove-100d-sif' });
export const testDocsRoot = fileURLToPath(new URL('../fixtures/documents', import.meta.url));
const testRag = { embedder: testEmbedder, docsRoot: testDocsRoot };

export interface TestClient {
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls a tool that must succeed and returns its structuredContent. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must fail and returns its error code and message. */
  fail(name: string, args?: Record<string, unknown>): Promise<{ code: string; message: string }>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  email?: string;
  role?: Role;
  toolsets?: Toolset[];
  toolMode?: ToolMode;
  /** The test model and documents by default; null for a server with no embedding model. */
  rag?: RagServices | null;
}

export async function connect(db: Db, options: ConnectOptions = {}): Promise<TestClient> {
  const email = options.email ?? (options.role ? `${options.role}@test.local` : DEFAULT_ADMIN_EMAIL);
  const user = options.role
    ? await createUser(db, { name: `Test ${options.role}`, email, role: options.role })
    : await requireUserByEmail(db, email);
  const server = createMcpServer({
    db,
    user,
    toolsets: options.toolsets ?? [...TOOLSETS],
    toolMode: options.toolMode,
    rag: options.rag === null ? undefined : (options.rag ?? testRag),
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'erp-mcp-tests', version: '0.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    client,
    call,
    async ok<T>(name: string, args: Record<string, unknown> = {}) {
      const result = await call(name, args);
      expect(result.isError, `${name} failed: ${JSON.stringify(result.content)}`).toBeFalsy();
      return result.structuredContent as T;
    },
    async fail(name: string, args: Record<string, unknown> = {}) {
      const result = await call(name, args);
      expect(result.isError, `${name} should have failed`).toBe(true);
      const error = (result._meta?.['erp-mcp/error'] ?? {}) as { code: string; message: string };
      const text = (result.content[0] as { text: string }).text;
      expect(text).toBe(`${error.code}: ${error.message}`);
      expect(text).not.toContain('\n');
      return error;
    },
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export interface Served {
  db: TestDb;
  /** The administrator's client (with `admin`'s options, if given). */
  mcp: TestClient;
  /** Another client on this database (a role, a user, other toolsets), closed after the block's tests. */
  connect(options?: ConnectOptions): Promise<TestClient>;
}

/**
 * A fresh database of this kind with an admin MCP client, for the enclosing describe block:
 * opened (then setup run) before its tests; it and every client opened by connect are closed
 * after them.
 */
export function useServer(kind: DbKind, setup?: (served: Served) => Promise<void>, admin: ConnectOptions = {}): Served {
  const clients: TestClient[] = [];
  const served = {
    async connect(options: ConnectOptions = {}) {
      const client = await connect(served.db, options);
      clients.push(client);
      return client;
    },
  } as Served;
  beforeAll(async () => {
    served.db = await freshDb(kind);
    served.mcp = await connect(served.db, admin);
    await setup?.(served);
  });
  afterAll(async () => {
    await Promise.all([served.mcp, ...clients].map((c) => c?.close()));
    await served.db?.close();
  });
  return served;
}

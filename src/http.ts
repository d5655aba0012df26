// `erp-mcp http`: MCP over Streamable HTTP for a team. Stateless: every POST /mcp authenticates
// its bearer token (an erp-mcp API token, or an OAuth access token: src/auth/), builds a server for
// that user and answers, so any number of instances can share one PostgreSQL. The SDK's
// createMcpHandler serves protocol 2026-07-28 (no initialize, no session) and the 2025 revisions
// (stateless) from one endpoint. Host and Origin are checked against DNS rebinding; bodies are capped.
// The built-in authorization server (sign-in pages, tokens) lives under /oauth when it is on.
import { createServer } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { hostHeaderValidation, localhostHostValidation } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';
import { authorizationServerRoutes } from './auth/interactions.js';
import type { OAuthOptions } from './auth/issuers.js';
import { checkBearer, metadataRoutes, resourceServer, type ResourceServer } from './auth/resource-server.js';
import { withinTime } from './db/lost-connection.js';
import type { Db } from './db/types.js';
import type { Toolset } from './domain/platform/roles.js';
import type { User } from './domain/platform/users.js';
import { CONNECTION_LOST, isConnectionLost } from './domain/shared/errors.js';
import { jsonRpcProblem, parseError } from './jsonrpc.js';
import { createMcpServer } from './server.js';
import type { ToolMode } from './tool-mode.js';
import type { RagServices } from './tools/define.js';

export interface HttpOptions {
  db: Db;
  host: string;
  port: number;
  toolsets: readonly Toolset[];
  toolMode?: ToolMode;
  rag?: RagServices;
  /** Hostnames accepted in the Host header when not bound to localhost. */
  allowedHosts?: string[];
  /** Browser origins allowed to call; requests without an Origin header (non-browser clients) pass. */
  allowedOrigins?: string[];
  bodyLimit?: string;
  /** ERP_PUBLIC_URL: the origin clients reach this server at; the bound address when unset. */
  publicUrl?: string;
  /** Authorization servers whose access tokens are accepted besides API tokens (src/auth/issuers.ts), the built-in one included. */
  oauth?: OAuthOptions;
  /** ERP_HTTP_TRUST_PROXY: Express's "trust proxy" (hops, addresses or loopback), for client IPs and https behind a proxy. */
  trustProxy?: boolean | number | string;
  log?: (message: string, error?: unknown) => void;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '::1'];

function rpcError(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  res
    .status(status)
    .set(headers)
    .json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

/** JSON-RPC 2.0's own rules (src/jsonrpc.ts) before the SDK sees a body: answered 400. */
function checkJsonRpc(req: Request, res: Response, next: NextFunction): void {
  const problem = jsonRpcProblem(req.body);
  if (problem) return void res.status(400).json(problem);
  next();
}

function checkOrigin(allowed: string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && !allowed.includes(origin)) return rpcError(res, 403, `Origin ${origin} is not allowed`);
    next();
  };
}

/** The bearer check (src/auth/resource-server.ts); a refusal keeps its status and challenge, with a JSON-RPC body. */
function authenticate(db: Db, rs: ResourceServer, log: HttpOptions['log']) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const check = await checkBearer(db, rs, req.headers.authorization);
      if (!check.ok) {
        if (check.cause) log?.('bearer token could not be checked', check.cause);
        return rpcError(res, check.status, check.message, check.headers);
      }
      res.locals.user = check.user;
      res.locals.auth = check.auth;
      next();
    } catch (error) {
      next(error);
    }
  };
}

function userOf(authInfo: AuthInfo | undefined): User {
  const user = authInfo?.extra?.user as User | undefined;
  if (!user) throw new Error('an MCP request reached the server without an authenticated user');
  return user;
}

export function createHttpApp(options: HttpOptions): express.Express {
  const rs = resourceServer(options.db, options);
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  if (options.allowedHosts?.length) app.use(hostHeaderValidation(options.allowedHosts));
  else if (LOCAL_HOSTS.includes(options.host)) app.use(localhostHostValidation());
  app.use(metadataRoutes(rs)); // public documents, read by browsers from any origin
  // The built-in authorization server: browser clients call its endpoints from their own origins
  // (CORS by client), and its pages check their own forms' origin and CSRF token.
  if (rs.authorizationServer) app.use(authorizationServerRoutes(rs.authorizationServer, options.db, options.log));
  const port = options.port;
  app.use(checkOrigin(options.allowedOrigins ?? [`http://localhost:${port}`, `http://127.0.0.1:${port}`]));

  app.get('/healthz', async (_req, res) => {
    // A health check answers within two seconds: a database that does not answer is down.
    try {
      await withinTime(options.db.query('select 1'), 2000);
      res.json({ status: 'ok', database: 'up' });
    } catch {
      res.status(503).json({ status: 'error', database: 'down' });
    }
  });

  // One handler for the app: it builds a server per request for the user the bearer token named.
  const mcp = createMcpHandler(
    ({ authInfo }) =>
      createMcpServer({
        db: options.db,
        user: userOf(authInfo),
        toolsets: options.toolsets,
        toolMode: options.toolMode,
        rag: options.rag,
        log: options.log,
      }),
    {
      onerror: (error) => options.log?.('MCP HTTP request failed', error),
    },
  );
  const serve = toNodeHandler(mcp, { onerror: (error) => options.log?.('MCP HTTP request failed', error) });
  app.post(
    '/mcp',
    authenticate(options.db, rs, options.log),
    express.json({ limit: options.bodyLimit ?? '1mb', strict: false }),
    checkJsonRpc,
    async (req, res, next) => {
      const user = res.locals.user as User;
      const { clientId, scopes, expiresAt, resource } = res.locals.auth as AuthInfo;
      try {
        // The token itself stays here: nothing past this point needs it, and nothing sends it on.
        await serve(
          Object.assign(req, {
            auth: { token: '[verified]', clientId, scopes, expiresAt, resource, extra: { user } } satisfies AuthInfo,
          }),
          res,
          req.body,
        );
      } catch (error) {
        next(error);
      }
    },
  );
  app.all('/mcp', (_req, res) =>
    rpcError(res, 405, 'This server is stateless: POST JSON-RPC requests to /mcp', { Allow: 'POST' }),
  );

  app.use(
    (
      error: { status?: number; type?: string; message?: string },
      _req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      if (error.type === 'entity.too.large')
        return rpcError(res, 413, `Request body is larger than ${options.bodyLimit ?? '1mb'}`);
      if (error.type === 'entity.parse.failed') return void res.status(400).json(parseError);
      if (error.status && error.status < 500) return rpcError(res, error.status, error.message ?? 'Bad request');
      if (isConnectionLost(error))
        return rpcError(res, 503, `The server cannot reach its database: ${CONNECTION_LOST}`, { 'Retry-After': '2' });
      options.log?.('HTTP request failed', error);
      rpcError(res, 500, 'Internal error; it was logged');
    },
  );
  return app;
}

export async function startHttpServer(options: HttpOptions): Promise<RunningHttpServer> {
  // Listening comes first: with port 0 the resource URL (the bound address) is known only then.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${options.port} on ${options.host} is in use; choose another with --port or ERP_HTTP_PORT`)
          : error,
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  // Idle keep-alive sockets outlive the clients' (undici keeps one 4 s): a client never reuses a
  // socket the server is closing at that moment, which it would see as ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : options.port;
  try {
    server.on('request', createHttpApp({ ...options, port: actualPort }));
  } catch (error) {
    server.close();
    throw error;
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${actualPort}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

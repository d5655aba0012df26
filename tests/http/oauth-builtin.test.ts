// The built-in authorization server end to end: an SDK client discovers it, registers, signs a
// user in through the pages in headless Chromium and lists that user's tools; then the attacks
// and the ways access ends (refresh reuse, revocation, a disabled user, a token for elsewhere).
import { createHash } from 'node:crypto';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { importJWK, SignJWT, type JWK } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableUser } from '../../src/domain/platform/user-admin.js';
import { setPassword } from '../../src/domain/platform/passwords.js';
import { createUser } from '../../src/domain/platform/users.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { TOOLSETS } from '../../src/tools/define.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { launchBrowser, pkce, signInThroughPages, startCallbackServer, TestOAuthProvider, type CallbackServer } from '../helpers/oauth-browser.js';
import { rpcBody } from '../helpers/rpc.js';

const PASSWORD = 'correct horse battery staple';
const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(dbKinds)('built-in authorization server on %s', (kind) => {
  let db: TestDb;
  let server: RunningHttpServer;
  let callback: CallbackServer;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  let issuer: string;

  const mcp = async (token?: string) => {
    const res = await fetch(server.url, {
      method: 'POST', body: listTools,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await rpcBody<{ result?: { tools: { name: string }[] }; error?: { message: string } }>(res) };
  };

  const tokenRequest = async (params: Record<string, string>) => {
    const res = await fetch(`${issuer}/token`, { method: 'POST', body: new URLSearchParams(params) });
    return { status: res.status, body: await res.json() as Record<string, string> };
  };

  /** A public client registered through DCR, redirecting to the callback server. */
  const register = async (metadata: Record<string, unknown> = {}) => {
    const res = await fetch(`${issuer}/reg`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Test client', redirect_uris: [callback.url], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', application_type: 'native', ...metadata }),
    });
    expect(res.status).toBe(201);
    return (await res.json() as { client_id: string }).client_id;
  };

  const authorizeUrl = (clientId: string, extra: Record<string, string | undefined> = {}) => {
    const params = { response_type: 'code', client_id: clientId, redirect_uri: callback.url, scope: 'erp:read erp:write', resource: server.url, state: 'st', ...extra };
    return `${issuer}/auth?${new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined))}`;
  };

  /** Signs email in (the browser's session may already know them) for a new client; its tokens. */
  const signInFor = async (email: string, p: Page = page) => {
    const clientId = await register();
    const { verifier, challenge } = pkce();
    const arrived = callback.next();
    await signInThroughPages(p, authorizeUrl(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }), { email, password: PASSWORD, callback: callback.url });
    const code = (await arrived).get('code')!;
    const { status, body } = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: callback.url, client_id: clientId, code_verifier: verifier, resource: server.url });
    expect(status).toBe(200);
    return { clientId, access: body.access_token!, refresh: body.refresh_token! };
  };

  const auditRows = (toolName: string) => db.query<{ status: string; error_code: string | null; user_id: number | null; input_json: Record<string, unknown>; output_json: unknown }>(
    "select status, error_code, user_id, input_json, output_json from tool_calls where agent = 'oauth' and tool_name = $1 order by id", [toolName]);

  /** Audit rows of provider events are written just after the response: wait for them. */
  const eventually = async <T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> => {
    for (let i = 0; ; i++) {
      const value = await read();
      if (ok(value) || i > 50) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    db = await freshDb(kind);
    for (const [email, role] of [['sales@oauth.test', 'sales'], ['leaver@oauth.test', 'sales'], ['brute@oauth.test', 'viewer']] as const) {
      const user = await createUser(db, { name: email, email, role });
      await db.transaction((tx) => setPassword(tx, user.id, PASSWORD));
    }
    server = await startHttpServer({ db, host: '127.0.0.1', port: 0, toolsets: [...TOOLSETS], oauth: { builtin: {} } });
    origin = new URL(server.url).origin;
    issuer = `${origin}/oauth`;
    callback = await startCallbackServer();
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await callback?.close();
    await server?.close();
    await db?.close();
  });

  it('names itself in the protected-resource metadata and publishes RFC 8414 metadata at the path-inserted URL', async () => {
    const prm = await (await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`)).json() as { authorization_servers: string[] };
    expect(prm.authorization_servers).toEqual([issuer]);
    const res = await fetch(`${origin}/.well-known/oauth-authorization-server/oauth`);
    expect(res.status).toBe(200);
    const as = await res.json() as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, registration_endpoint: `${issuer}/reg`,
      revocation_endpoint: `${issuer}/token/revocation`, code_challenge_methods_supported: ['S256'], response_types_supported: ['code'],
      client_id_metadata_document_supported: true,
    });
    expect(as.scopes_supported).toEqual(expect.arrayContaining(['erp:read', 'erp:write']));
    expect((await (await fetch(`${issuer}/.well-known/openid-configuration`)).json() as { issuer: string }).issuer).toBe(issuer);
  });

  it('lets an SDK client discover, register, sign a user in through the pages with PKCE and list their tools', async () => {
    const provider = new TestOAuthProvider(callback.url);
    const client = new Client({ name: 'oauth-builtin-test', version: '0.0.0' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }))).rejects.toBeInstanceOf(UnauthorizedError);
    const url = provider.authorizationUrl!;
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('resource')).toBe(server.url);
    const arrived = callback.next();
    await signInThroughPages(page, url.href, { email: 'sales@oauth.test', password: PASSWORD, callback: callback.url, screenshots: kind });
    const params = await arrived;
    expect(params.get('state')).toBe(provider.lastState);
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider });
    await transport.finishAuth(params);
    const tokens = provider.tokens()!;
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.expires_in).toBeLessThanOrEqual(600);

    const signedIn = new Client({ name: 'oauth-builtin-test', version: '0.0.0' });
    await signedIn.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }));
    const names = (await signedIn.listTools()).tools.map((t) => t.name);
    expect(names).toContain('create_order');
    expect(names).not.toContain('create_user');
    await signedIn.close();

    const [sales] = await db.query<{ id: number }>("select id from users where email = 'sales@oauth.test'");
    expect((await auditRows('sign_in')).at(-1)).toMatchObject({ status: 'ok', user_id: sales!.id });
    expect((await auditRows('consent')).at(-1)).toMatchObject({ status: 'ok', user_id: sales!.id });
    expect((await eventually(() => auditRows('token'), (r) => r.length > 0)).at(-1)).toMatchObject({ status: 'ok', user_id: sales!.id });
    const everything = JSON.stringify(await db.query("select input_json, output_json from tool_calls where agent = 'oauth'"));
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(tokens.access_token);
    expect(everything).not.toContain(tokens.refresh_token!);
  });
});

// erp-mcp as an OAuth protected resource, against a small OpenID-like issuer run in the test
// (discovery document, JWKS, tokens signed with its key): metadata, challenges, audience binding,
// scopes narrowing a role, e-mail mapping to users, and API tokens still working beside it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport, type CallToolResult } from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createToken } from '../../src/domain/platform/tokens.js';
import { createUser, DEFAULT_ADMIN_EMAIL, requireUserByEmail } from '../../src/domain/platform/users.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { rpcBody } from '../helpers/rpc.js';

interface TestIssuer {
  issuer: string;
  /** expiresIn null: a token without exp. */
  sign(
    claims: JWTPayload,
    options?: { key?: CryptoKey | Uint8Array; expiresIn?: string | number | null; alg?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

/** An issuer publishing only OpenID discovery (not RFC 8414 metadata) and one ES256 key. */
async function startIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const send = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration')
      return send({
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
      });
    if (req.url === '/jwks') return send({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    sign: (claims, options = {}) => {
      const token = new SignJWT({ scope: 'erp:read erp:write', ...claims })
        .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: 'test-key', typ: 'at+jwt' })
        .setIssuer(claims.iss ?? issuer)
        .setIssuedAt();
      if (options.expiresIn !== null) token.setExpirationTime(options.expiresIn ?? '5m');
      return token.sign(options.key ?? privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

async function post(url: string, token?: string, body = listTools) {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    body: await rpcBody<{
      result?: { tools: { name: string; annotations?: { readOnlyHint?: boolean } }[] };
      error?: { message: string };
    }>(res),
  };
}

async function mcpClient(url: string, token: string, version: '2026-07-28' | '2025-11-25'): Promise<Client> {
  const options =
    version === '2026-07-28'
      ? ({ versionNegotiation: { mode: { pin: version } } } as const)
      : { supportedProtocolVersions: [version] };
  const client = new Client({ name: 'oauth-test', version: '0.0.0' }, options);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  );
  return client;
}

describe('OAuth configuration', () => {
  it('takes the public URL as an origin and the issuer as written, https unless on localhost', () => {
    const c = loadConfig({
      ERP_PUBLIC_URL: 'https://erp.example.com/',
      ERP_OAUTH_ISSUER: 'https://id.example.com/tenant/',
    });
    expect(c.publicUrl).toBe('https://erp.example.com');
    expect(c.oauthIssuer).toBe('https://id.example.com/tenant/');
    expect(c.oauthEmailClaim).toBe('email');
    expect(
      loadConfig({ ERP_OAUTH_ISSUER: 'http://localhost:8080', ERP_OAUTH_EMAIL_CLAIM: 'upn' }).oauthEmailClaim,
    ).toBe('upn');
    expect(() => loadConfig({ ERP_OAUTH_ISSUER: 'http://id.example.com' })).toThrow(/ERP_OAUTH_ISSUER must use https/);
    expect(() => loadConfig({ ERP_PUBLIC_URL: 'https://erp.example.com/erp' })).toThrow(
      /ERP_PUBLIC_URL must be an origin/,
    );
    expect(() => loadConfig({ ERP_PUBLIC_URL: 'erp.example.com' })).toThrow(/ERP_PUBLIC_URL must be a URL/);
  });
});

describe.each(dbKinds)('OAuth protected resource on %s', (kind) => {
  let db: TestDb;
  let idp: TestIssuer;
  let server: RunningHttpServer;
  let resource: string;
  let origin: string;
  const apiTokens: Record<string, string> = {};
  const jwt = (claims: JWTPayload, options?: Parameters<TestIssuer['sign']>[1]) =>
    idp.sign({ aud: resource, ...claims }, options);

  beforeAll(async () => {
    db = await freshDb(kind);
    idp = await startIssuer();
    await createUser(db, { name: 'OAuth Sales', email: 'sales@oauth.test', role: 'sales' });
    await db.transaction(async (tx) => {
      apiTokens.sales = (await createToken(tx, (await requireUserByEmail(tx, 'sales@oauth.test')).id, 'tests')).token;
      apiTokens.admin = (await createToken(tx, (await requireUserByEmail(tx, DEFAULT_ADMIN_EMAIL)).id, 'tests')).token;
    });
    server = await startHttpServer({
      db,
      host: '127.0.0.1',
      port: 0,
      toolsets: [...TOOLSETS],
      oauth: { issuer: idp.issuer },
    });
    resource = server.url;
    origin = new URL(server.url).origin;
  });
  afterAll(async () => {
    await server.close();
    await idp.close();
    await db.close();
  });

  it('publishes protected-resource metadata at both well-known paths, naming the issuer', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const res = await fetch(origin + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.json()).toEqual({
        resource,
        authorization_servers: [idp.issuer],
        scopes_supported: ['erp:read', 'erp:write'],
        bearer_methods_supported: ['header'],
        resource_name: 'erp-mcp',
      });
    }
  });

  it('answers a request without a token 401 with resource_metadata and no error code', async () => {
    const res = await post(resource);
    expect(res.status).toBe(401);
    expect(res.challenge).toBe(
      `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp", scope="erp:read erp:write"`,
    );
    expect(res.body.error!.message).toMatch(
      /^Missing bearer token: sign in through your MCP client .* or send an API token made with "erp-mcp token create/,
    );
  });

  it("a valid access token lists exactly the tools of its user's role", async () => {
    const viaJwt = await post(resource, await jwt({ email: 'sales@oauth.test' }));
    const viaApiToken = await post(resource, apiTokens.sales);
    const admin = await post(resource, apiTokens.admin);
    expect(viaJwt.status).toBe(200);
    const names = viaJwt.body.result!.tools.map((t) => t.name);
    expect(names).toEqual(viaApiToken.body.result!.tools.map((t) => t.name));
    expect(names).toContain('create_order');
    expect(names.length).toBeLessThan(admin.body.result!.tools.length);
  });

  it('refuses a token issued for another resource, 401 invalid_token', async () => {
    for (const aud of ['https://other.example.com/mcp', `${origin}/other`]) {
      const res = await post(resource, await jwt({ email: 'sales@oauth.test', aud }));
      expect(res.status).toBe(401);
      expect(res.challenge).toContain('error="invalid_token"');
      expect(res.challenge).toContain(`resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`);
      expect(res.body.error!.message).toBe('Token was not issued for this resource');
    }
  });

  it('accepts the resource in a resource claim when aud names something else as well', async () => {
    expect((await post(resource, await jwt({ email: 'sales@oauth.test', aud: ['account', resource] }))).status).toBe(
      200,
    );
    expect((await post(resource, await jwt({ email: 'sales@oauth.test', aud: 'account', resource }))).status).toBe(200);
  });

  it('refuses an expired token and one without an expiry', async () => {
    const expired = await post(
      resource,
      await jwt({ email: 'sales@oauth.test' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    );
    expect(expired.status).toBe(401);
    expect(expired.body.error!.message).toBe('The token has expired');
    const forever = await post(resource, await jwt({ email: 'sales@oauth.test' }, { expiresIn: null }));
    expect(forever.status).toBe(401);
    expect(forever.body.error!.message).toMatch(/"exp" claim/);
  });

  it('refuses a token from another issuer, a forged signature and a shared-secret algorithm', async () => {
    const foreign = await post(resource, await jwt({ email: 'sales@oauth.test', iss: 'https://evil.example.com' }));
    expect(foreign.status).toBe(401);
    expect(foreign.body.error!.message).toContain(`nor an access token issued by ${idp.issuer}`);
    const forged = await post(
      resource,
      await jwt({ email: 'sales@oauth.test' }, { key: (await generateKeyPair('ES256')).privateKey }),
    );
    expect(forged.status).toBe(401);
    expect(forged.body.error!.message).toBe("The token's signature does not match the issuer's keys");
    const hs256 = await post(
      resource,
      await jwt({ email: 'sales@oauth.test' }, { alg: 'HS256', key: new TextEncoder().encode('x'.repeat(32)) }),
    );
    expect(hs256.status).toBe(401);
    expect(hs256.body.error!.message).toMatch(/signing algorithm is not one of/);
  });

  it('an erp:read token sees only read-only tools and prompts, and a write call is FORBIDDEN', async () => {
    const token = await jwt({ email: DEFAULT_ADMIN_EMAIL, scope: 'erp:read' });
    const client = await mcpClient(resource, token, '2026-07-28');
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(10);
    expect(tools.every((t) => t.annotations?.readOnlyHint)).toBe(true);
    expect(tools.map((t) => t.name)).toContain('list_orders');
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['customer_briefing']);
    const denied = (await client.callTool({ name: 'create_customer', arguments: { name: 'Nope' } })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect((denied.content[0] as { text: string }).text).toMatch(
      /^FORBIDDEN: create_customer changes data, and this connection's token allows reads only \(scope erp:read\)/,
    );
    expect((await client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    await client.close();
    const [row] = await db.query<{ n: number }>("select count(*)::int as n from customers where name = 'Nope'");
    expect(row!.n).toBe(0);
  });

  it('a token with no erp scope is 403 insufficient_scope naming the scopes', async () => {
    const res = await post(resource, await jwt({ email: 'sales@oauth.test', scope: 'openid profile' }));
    expect(res.status).toBe(403);
    expect(res.challenge).toMatch(
      /^Bearer error="insufficient_scope", error_description="[^"]+", scope="erp:read erp:write", resource_metadata="/,
    );
    expect(res.body.error!.message).toMatch(/grants no erp-mcp scope/);
  });

  it('a genuine token for an unknown, unverified or missing e-mail is 403 with a clear message', async () => {
    const unknown = await post(resource, await jwt({ email: 'stranger@oauth.test' }));
    expect(unknown.status).toBe(403);
    expect(unknown.challenge).toBeNull();
    expect(unknown.body.error!.message).toBe(
      'stranger@oauth.test is not an erp-mcp user; ask an erp-mcp admin to add a user with this e-mail address',
    );
    const unverified = await post(resource, await jwt({ email: 'sales@oauth.test', email_verified: false }));
    expect(unverified.status).toBe(403);
    expect(unverified.body.error!.message).toMatch(/has not verified the e-mail address sales@oauth.test/);
    const anonymous = await post(resource, await jwt({ sub: 'u-1' }));
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.error!.message).toMatch(/names no e-mail address/);
  });

  it('API tokens keep working beside OAuth, and a bad one is 401 invalid_token', async () => {
    expect((await post(resource, apiTokens.sales)).status).toBe(200);
    const bad = await post(resource, 'erp_nope');
    expect(bad.status).toBe(401);
    expect(bad.challenge).toMatch(
      /^Bearer error="invalid_token", error_description="Invalid or revoked API token", resource_metadata="/,
    );
  });

  it.each(['2026-07-28', '2025-11-25'] as const)(
    'an MCP client speaking %s works with an access token',
    async (version) => {
      const client = await mcpClient(resource, await jwt({ email: 'sales@oauth.test' }), version);
      expect(client.getNegotiatedProtocolVersion()).toBe(version);
      const me = (await client.callTool({ name: 'whoami', arguments: {} })) as CallToolResult;
      expect((me.structuredContent as { user: { email: string; role: string } }).user).toMatchObject({
        email: 'sales@oauth.test',
        role: 'sales',
      });
      const created = (await client.callTool({
        name: 'create_customer',
        arguments: { name: `OAuth ${version}` },
      })) as CallToolResult;
      expect(created.isError).toBeFalsy();
      await client.close();
      const [row] = await db.query<{ email: string }>(
        `select u.email from tool_calls t join users u on u.id = t.user_id where t.tool_name = 'create_customer' and t.input_json->>'name' = $1`,
        [`OAuth ${version}`],
      );
      expect(row!.email).toBe('sales@oauth.test');
    },
  );

  it('a server with ERP_PUBLIC_URL names that URL as the resource and refuses tokens for its bound address', async () => {
    const proxied = await startHttpServer({
      db,
      host: '127.0.0.1',
      port: 0,
      toolsets: ['router'],
      publicUrl: 'https://erp.example.com',
      oauth: { issuer: idp.issuer },
    });
    try {
      const local = new URL(proxied.url).origin;
      expect(
        ((await (await fetch(`${local}/.well-known/oauth-protected-resource/mcp`)).json()) as { resource: string })
          .resource,
      ).toBe('https://erp.example.com/mcp');
      const none = await post(proxied.url);
      expect(none.challenge).toContain(
        'resource_metadata="https://erp.example.com/.well-known/oauth-protected-resource/mcp"',
      );
      expect((await post(proxied.url, await jwt({ email: 'sales@oauth.test' }))).status).toBe(401);
      expect(
        (await post(proxied.url, await jwt({ email: 'sales@oauth.test', aud: 'https://erp.example.com/mcp' }))).status,
      ).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('an issuer that cannot be reached makes its tokens 503, not 401', async () => {
    const gone = 'http://127.0.0.1:9';
    const lonely = await startHttpServer({
      db,
      host: '127.0.0.1',
      port: 0,
      toolsets: ['router'],
      oauth: { issuer: gone },
    });
    try {
      const res = await post(lonely.url, await idp.sign({ email: 'sales@oauth.test', aud: lonely.url, iss: gone }));
      expect(res.status).toBe(503);
      expect(res.body.error!.message).toMatch(/^The identity provider http:\/\/127\.0\.0\.1:9 could not be reached/);
    } finally {
      await lonely.close();
    }
  });

  it('without an authorization server there is no metadata, and the 401 names API tokens only', async () => {
    const plain = await startHttpServer({ db, host: '127.0.0.1', port: 0, toolsets: ['router'] });
    try {
      const local = new URL(plain.url).origin;
      expect((await fetch(`${local}/.well-known/oauth-protected-resource`)).status).toBe(404);
      expect((await fetch(`${local}/.well-known/oauth-protected-resource/mcp`)).status).toBe(404);
      const none = await post(plain.url);
      expect(none.challenge).toBe('Bearer realm="erp-mcp"');
      expect(none.body.error!.message).toBe(
        'Missing bearer token: send an API token made with "erp-mcp token create --user EMAIL"',
      );
      const jwtThere = await post(plain.url, await idp.sign({ email: 'sales@oauth.test', aud: plain.url }));
      expect(jwtThere.status).toBe(401);
      expect(jwtThere.challenge).not.toContain('resource_metadata');
      expect((await post(plain.url, apiTokens.sales)).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});

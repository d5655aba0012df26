// The built-in authorization server end to end: an SDK client discovers it, registers, signs a
// user in through the pages in headless Chromium and lists that user's tools; then the attacks
// and the ways access ends (refresh reuse, revocation, a disabled user, a token for elsewhere).
import { mkdir } from 'node:fs/promises';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { importJWK, SignJWT, type JWK } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { disableUser } from '../../src/domain/platform/user-admin.js';
import { setPassword } from '../../src/domain/platform/passwords.js';
import { createUser } from '../../src/domain/platform/users.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import {
  launchBrowser,
  pkce,
  SCREENSHOTS,
  signInThroughPages,
  startCallbackServer,
  TestOAuthProvider,
  type CallbackServer,
} from '../helpers/oauth-browser.js';
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

describe('built-in authorization server configuration', () => {
  it('is on by default, off with ERP_OAUTH=off or when an external issuer is named alone, and takes token lifetimes', () => {
    expect(loadConfig({}).oauthBuiltin).toBe(true);
    expect(loadConfig({ ERP_OAUTH: 'off' }).oauthBuiltin).toBe(false);
    expect(loadConfig({ ERP_OAUTH_ISSUER: 'https://id.example.com' }).oauthBuiltin).toBe(false);
    expect(loadConfig({ ERP_OAUTH_ISSUER: 'https://id.example.com', ERP_OAUTH: 'builtin' }).oauthBuiltin).toBe(true);
    expect(() => loadConfig({ ERP_OAUTH: 'maybe' })).toThrow(/ERP_OAUTH must be builtin or off/);
    const c = loadConfig({
      ERP_OAUTH_ACCESS_TOKEN_TTL: '5m',
      ERP_OAUTH_REFRESH_TOKEN_TTL: '7d',
      ERP_HTTP_TRUST_PROXY: 'loopback',
    });
    expect([c.oauthAccessTokenTtl, c.oauthRefreshTokenTtl, c.httpTrustProxy]).toEqual([300, 604800, 'loopback']);
    expect(() => loadConfig({ ERP_OAUTH_ACCESS_TOKEN_TTL: '2h' })).toThrow(
      /ERP_OAUTH_ACCESS_TOKEN_TTL must be a duration from 60 s to 3600 s/,
    );
  });
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
      method: 'POST',
      body: listTools,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    return {
      status: res.status,
      challenge: res.headers.get('www-authenticate'),
      body: await rpcBody<{ result?: { tools: { name: string }[] }; error?: { message: string } }>(res),
    };
  };

  const tokenRequest = async (params: Record<string, string>) => {
    const res = await fetch(`${issuer}/token`, { method: 'POST', body: new URLSearchParams(params) });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };

  /** A public client registered through DCR, redirecting to the callback server. */
  const register = async (metadata: Record<string, unknown> = {}) => {
    const res = await fetch(`${issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Test client',
        redirect_uris: [callback.url],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        ...metadata,
      }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { client_id: string }).client_id;
  };

  const authorizeUrl = (clientId: string, extra: Record<string, string | undefined> = {}) => {
    const params = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callback.url,
      scope: 'erp:read erp:write',
      resource: server.url,
      state: 'st',
      ...extra,
    };
    return `${issuer}/auth?${new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined))}`;
  };

  /** Signs email in (the browser's session may already know them) for a new client; its tokens. */
  const signInFor = async (email: string, p: Page = page) => {
    const clientId = await register();
    const { verifier, challenge } = pkce();
    const arrived = callback.next();
    await signInThroughPages(p, authorizeUrl(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }), {
      email,
      password: PASSWORD,
      callback: callback.url,
    });
    const code = (await arrived).get('code')!;
    const { status, body } = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback.url,
      client_id: clientId,
      code_verifier: verifier,
      resource: server.url,
    });
    expect({ status, body }).toMatchObject({ status: 200 });
    return { clientId, access: body.access_token!, refresh: body.refresh_token! };
  };

  const auditRows = (toolName: string) =>
    db.query<{
      status: string;
      error_code: string | null;
      user_id: number | null;
      input_json: Record<string, unknown>;
      output_json: unknown;
    }>(
      "select status, error_code, user_id, input_json, output_json from tool_calls where agent = 'oauth' and tool_name = $1 order by id",
      [toolName],
    );

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
    for (const [email, role] of [
      ['sales@oauth.test', 'sales'],
      ['leaver@oauth.test', 'sales'],
      ['brute@oauth.test', 'viewer'],
    ] as const) {
      const user = await createUser(db, { name: email, email, role });
      await db.transaction((tx) => setPassword(tx, user.id, PASSWORD));
    }
    server = await startHttpServer({
      db,
      host: '127.0.0.1',
      port: 0,
      toolsets: [...TOOLSETS],
      oauth: { builtin: {} },
      log: (message, error) => console.error(message, error),
    });
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
    const prm = (await (await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`)).json()) as {
      authorization_servers: string[];
    };
    expect(prm.authorization_servers).toEqual([issuer]);
    const res = await fetch(`${origin}/.well-known/oauth-authorization-server/oauth`);
    expect(res.status).toBe(200);
    const as = (await res.json()) as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      registration_endpoint: `${issuer}/reg`,
      revocation_endpoint: `${issuer}/token/revocation`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      client_id_metadata_document_supported: true,
    });
    expect(as.scopes_supported).toEqual(expect.arrayContaining(['erp:read', 'erp:write']));
    expect(
      ((await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string }).issuer,
    ).toBe(issuer);
  });

  it('lets an SDK client discover, register, sign a user in through the pages with PKCE and list their tools', async () => {
    const provider = new TestOAuthProvider(callback.url);
    const client = new Client({ name: 'oauth-builtin-test', version: '0.0.0' });
    await expect(
      client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const url = provider.authorizationUrl!;
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('resource')).toBe(server.url);
    const arrived = callback.next();
    await signInThroughPages(page, url.href, {
      email: 'sales@oauth.test',
      password: PASSWORD,
      callback: callback.url,
      screenshots: kind,
    });
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
    expect(
      (
        await eventually(
          () => auditRows('token'),
          (r) => r.length > 0,
        )
      ).at(-1),
    ).toMatchObject({ status: 'ok', user_id: sales!.id });
    const everything = JSON.stringify(
      await db.query("select input_json, output_json from tool_calls where agent = 'oauth'"),
    );
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(tokens.access_token);
    expect(everything).not.toContain(tokens.refresh_token!);
  });

  it("keeps its tables out of run_query's reach", async () => {
    for (const table of ['oauth_store', 'oauth_keys', 'sign_in_failures']) {
      await expect(
        db.transaction(async (tx) => {
          await tx.query('set local role erp_reader_admin');
          await tx.query(`select 1 from public.${table}`);
        }),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('serves its pages with strict security headers and escapes what a client registered', async () => {
    const clientId = await register({ client_name: '<script>alert(1)</script><img src=x onerror=alert(2)>' });
    const fresh = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    const p = await fresh.newPage();
    const response = await p.goto(
      authorizeUrl(clientId, { code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
      { waitUntil: 'load' },
    );
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['content-security-policy']).not.toMatch(/script-src|unsafe-inline/);
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(await p.locator('meta[name=viewport]').count()).toBe(1);
    expect(await p.locator('script, img').count()).toBe(0);
    expect(await p.textContent('main')).toContain('<script>alert(1)</script>');
    // Readable on a phone: nothing wider than the screen.
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await mkdir(SCREENSHOTS, { recursive: true });
    await p.screenshot({ path: `${SCREENSHOTS}/${kind}-sign-in-phone.png`, fullPage: true });
    await fresh.close();
  });

  it('rotates the refresh token on every use, and a reused one revokes the whole grant', async () => {
    const { clientId, access, refresh } = await signInFor('sales@oauth.test');
    const first = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBeTruthy();
    expect(first.body.refresh_token).not.toBe(refresh);
    expect((await mcp(first.body.access_token)).status).toBe(200);

    const reused = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The grant is gone: the newest refresh token and every access token of it are refused.
    expect(
      (
        await tokenRequest({
          grant_type: 'refresh_token',
          refresh_token: first.body.refresh_token!,
          client_id: clientId,
        })
      ).body.error,
    ).toBe('invalid_grant');
    expect((await mcp(first.body.access_token)).status).toBe(401);
    expect((await mcp(access)).status).toBe(401);
    const rows = await eventually(
      () => auditRows('refresh_reuse'),
      (r) => r.length > 0,
    );
    expect(rows.at(-1)).toMatchObject({ status: 'denied', error_code: 'REUSED', input_json: { client_id: clientId } });
  });

  it('revokes a refresh token and, with its grant, the access tokens issued under it', async () => {
    const { clientId, access, refresh } = await signInFor('sales@oauth.test');
    expect((await mcp(access)).status).toBe(200);
    const res = await fetch(`${issuer}/token/revocation`, {
      method: 'POST',
      body: new URLSearchParams({ token: refresh, token_type_hint: 'refresh_token', client_id: clientId }),
    });
    expect(res.status).toBe(200);
    const refused = await mcp(access);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.message).toMatch(/revoked or has ended/);
    expect(
      (await tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId })).body.error,
    ).toBe('invalid_grant');
    expect(
      await eventually(
        () => auditRows('revoke'),
        (r) => r.some((row) => row.input_json.client_id === clientId),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          status: 'ok',
          input_json: expect.objectContaining({ client_id: clientId, route: 'revocation' }),
        }),
      ]),
    );
  });

  it('refuses a disabled user on the very next request and ends their sessions, grants and refresh tokens', async () => {
    const leaverContext = await browser.newContext();
    const { clientId, access, refresh } = await signInFor('leaver@oauth.test', await leaverContext.newPage());
    expect((await mcp(access)).status).toBe(200);
    const [leaver] = await db.query<{ id: number }>("select id from users where email = 'leaver@oauth.test'");
    expect(
      Number(
        (
          await db.query<{ n: number }>('select count(*)::int as n from oauth_store where user_id = $1', [leaver!.id])
        )[0]!.n,
      ),
    ).toBeGreaterThan(0);

    const done = await db.transaction((tx) => disableUser(tx, { email: 'leaver@oauth.test' }));
    expect(done.sessions_ended).toBeGreaterThanOrEqual(2); // the browser session and the grant
    expect((await db.query('select 1 from oauth_store where user_id = $1', [leaver!.id])).length).toBe(0);
    expect([401, 403]).toContain((await mcp(access)).status);
    expect(
      (await tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId })).body.error,
    ).toBe('invalid_grant');
    await leaverContext.close();
  });

  it('refuses a token signed with its own key for another audience, and refuses to issue one', async () => {
    const [keys] = await db.owner.query<{ secret: { keys: JWK[] } }>(
      "select secret from oauth_keys where purpose = 'signing'",
    );
    const jwk = keys!.secret.keys[0]!;
    const [sales] = await db.query<{ id: number }>("select id from users where email = 'sales@oauth.test'");
    const forged = await new SignJWT({
      scope: 'erp:read erp:write',
      email: 'sales@oauth.test',
      client_id: 'x',
      grant_id: 'none',
    })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid!, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setSubject(String(sales!.id))
      .setAudience('https://elsewhere.example/mcp')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(await importJWK(jwk, 'ES256'));
    const refused = await mcp(forged);
    expect(refused.status).toBe(401);
    expect(refused.challenge).toMatch(/invalid_token/);

    const clientId = await register();
    const res = await fetch(
      authorizeUrl(clientId, {
        resource: 'https://elsewhere.example/mcp',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }),
      { redirect: 'manual' },
    );
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_target');
  });

  it('refuses an authorization request without PKCE or with the plain method', async () => {
    const clientId = await register();
    for (const extra of [{}, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }]) {
      const res = await fetch(authorizeUrl(clientId, extra), { redirect: 'manual' });
      const location = new URL(res.headers.get('location')!);
      expect(location.href.startsWith(callback.url)).toBe(true);
      expect(location.searchParams.get('error')).toBe('invalid_request');
    }
  });

  it('never redirects to a URI the client did not register', async () => {
    const clientId = await register();
    for (const redirect of [
      'https://evil.example/callback',
      `${callback.url}/../evil`,
      `${callback.url}?next=https://evil.example`,
      callback.url.replace('127.0.0.1', 'localhost'),
    ]) {
      const res = await fetch(
        authorizeUrl(clientId, {
          redirect_uri: redirect,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
        }),
        { redirect: 'manual' },
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toMatch(/redirect_uri/);
    }
    const evil = await fetch(`${issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['javascript:alert(1)'], token_endpoint_auth_method: 'none' }),
    });
    expect(evil.status).toBe(400);
  });

  it('refuses a consent form posted without its CSRF token or with a wrong one', async () => {
    const clientId = await register({ client_name: 'CSRF target' });
    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }), {
      waitUntil: 'load',
    });
    const action = new URL((await page.getAttribute('form', 'action')) as string, origin).href;
    expect(action).toMatch(/\/consent$/);
    for (const form of [{ decision: 'approve' }, { decision: 'approve', csrf: 'forged' }] as Record<string, string>[]) {
      const res = await context.request.post(action, { form, headers: { origin }, maxRedirects: 0 });
      expect(res.status()).toBe(403);
    }
    // Posted from another site, even with the right token: refused by the Origin check.
    const csrf = (await page.getAttribute('input[name=csrf]', 'value')) as string;
    expect(
      (
        await context.request.post(action, {
          form: { decision: 'approve', csrf },
          headers: { origin: 'https://evil.example' },
          maxRedirects: 0,
        })
      ).status(),
    ).toBe(403);
    expect((await auditRows('consent')).filter((r) => r.error_code === 'CSRF').length).toBeGreaterThanOrEqual(3);
    // The page's own form still works.
    const arrived = callback.next();
    await Promise.all([page.waitForURL((u) => u.href.startsWith(callback.url)), page.click('button[value=approve]')]);
    const code = (await arrived).get('code')!;
    expect(
      (
        await tokenRequest({
          grant_type: 'authorization_code',
          code,
          redirect_uri: callback.url,
          client_id: clientId,
          code_verifier: verifier,
          resource: server.url,
        })
      ).status,
    ).toBe(200);
  });

  it('locks an e-mail address out after 5 failed sign-ins, even for the right password', async () => {
    const fresh = await browser.newContext();
    const p = await fresh.newPage();
    const clientId = await register();
    await p.goto(authorizeUrl(clientId, { code_challenge: pkce().challenge, code_challenge_method: 'S256' }), {
      waitUntil: 'load',
    });
    const statuses: number[] = [];
    for (const password of ['wrong-1', 'wrong-2', 'wrong-3', 'wrong-4', 'wrong-5', PASSWORD]) {
      await p.fill('input[name=email]', 'brute@oauth.test');
      await p.fill('input[name=password]', password);
      const [response] = await Promise.all([
        p.waitForNavigation({ waitUntil: 'load' }),
        p.click('button[type=submit]'),
      ]);
      statuses.push(response!.status());
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await p.textContent('[role=alert]')).toMatch(/Too many failed sign-ins/);
    const rows = await auditRows('sign_in');
    expect(rows.filter((r) => r.input_json.email === 'brute@oauth.test').map((r) => r.error_code)).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'LOCKED_OUT',
    ]);
    const [lock] = await db.query<{ locked: boolean }>(
      "select locked_until > now() as locked from sign_in_failures where subject = 'email:brute@oauth.test'",
    );
    expect(lock?.locked).toBe(true);
    await fresh.close();
  });
});

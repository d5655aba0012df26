// Driving the built-in authorization server like a person would: a callback server standing in
// for an MCP client's redirect URI, an in-memory OAuthClientProvider for the SDK client, and
// headless Chromium (Debian's /usr/bin/chromium through playwright-core) filling the pages.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  OAuthTokens,
} from '@modelcontextprotocol/client';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = 'test-artifacts/oauth';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

export interface CallbackServer {
  /** The redirect URI: http://127.0.0.1:PORT/callback */
  url: string;
  /** The query of the next request to the redirect URI. */
  next(): Promise<URLSearchParams>;
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const waiting: ((params: URLSearchParams) => void)[] = [];
  const arrived: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') return void res.writeHead(404).end(); // the browser's favicon request
    const params = url.searchParams;
    const waiter = waiting.shift();
    if (waiter) waiter(params);
    else arrived.push(params);
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>done</title><p>You can close this window.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    next: () =>
      new Promise((resolve) => {
        const early = arrived.shift();
        if (early) resolve(early);
        else waiting.push(resolve);
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The SDK's OAuth hooks, kept in memory; the authorization URL is left for the test to open. */
export class TestOAuthProvider implements OAuthClientProvider {
  authorizationUrl?: URL;
  lastState?: string;
  private client?: OAuthClientInformationMixed;
  private saved?: OAuthTokens;
  private verifier?: string;
  private discovery?: OAuthDiscoveryState;

  constructor(
    readonly redirectUrl: string,
    readonly clientName = 'erp-mcp OAuth test',
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    } as OAuthClientMetadata;
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  state() {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error('no code verifier');
    return this.verifier;
  }
}

export interface Pkce {
  verifier: string;
  challenge: string;
}
export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

/**
 * Opens an authorization URL and answers whatever page comes (sign-in, consent) until the browser
 * lands on the callback; screenshots of the pages when a name is given.
 */
export async function signInThroughPages(
  page: Page,
  url: string,
  o: { email: string; password: string; callback: string; decision?: 'approve' | 'deny'; screenshots?: string },
): Promise<void> {
  if (o.screenshots) await mkdir(SCREENSHOTS, { recursive: true });
  await page.goto(url, { waitUntil: 'load' });
  for (let step = 0; step < 4; step++) {
    if (page.url().startsWith(o.callback)) return;
    if (await page.locator('input[name=password]').count()) {
      if (o.screenshots) await page.screenshot({ path: `${SCREENSHOTS}/${o.screenshots}-sign-in.png`, fullPage: true });
      await page.fill('input[name=email]', o.email);
      await page.fill('input[name=password]', o.password);
      await clickAndWait(page, 'button[type=submit]');
    } else if (await page.locator('button[name=decision]').count()) {
      if (o.screenshots) await page.screenshot({ path: `${SCREENSHOTS}/${o.screenshots}-consent.png`, fullPage: true });
      await clickAndWait(page, `button[value=${o.decision ?? 'approve'}]`);
    } else {
      throw new Error(`unexpected page at ${page.url()}: ${(await page.textContent('body'))?.slice(0, 500)}`);
    }
  }
  if (!page.url().startsWith(o.callback)) throw new Error(`the sign-in did not reach the callback: ${page.url()}`);
}

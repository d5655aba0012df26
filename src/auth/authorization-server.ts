// The built-in authorization server (issue 16): oidc-provider, configured for MCP clients and
// nothing else. Authorization code with PKCE S256 only, access tokens as short-lived JWTs for
// this server's /mcp (RFC 8707), refresh tokens rotated on every use (a reused one revokes its
// grant), revocation, Dynamic Client Registration and Client ID Metadata Documents. Its state and
// keys live in our database (oauth-store.ts, oauth-keys.ts); it is built on first use.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Db } from '../db/types.js';
import { findActiveUserById } from '../domain/platform/sign-in.js';
import type { AccessTokenLike, Client, KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { claimedIssuer, verifyIssuerJwt } from './external-issuer.js';
import type { TrustedIssuer } from './issuer.js';
import { auditProviderEvents } from './oauth-audit.js';
import { loadOAuthKeys, publicKeys, SIGNING_ALG } from './oauth-keys.js';
import { grantIsLive, oauthStore } from './oauth-store.js';
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import { errorPage, pageHeaders } from './pages.js';
import { SCOPES_SUPPORTED } from './scopes.js';

/** Where the authorization server lives under the public URL: its issuer is `<public URL>/oauth`. */
export const OAUTH_PATH = '/oauth';
/** The private claim naming the grant an access token came from, checked on every request. */
const GRANT_CLAIM = 'grant_id';

export interface BuiltinOptions {
  db: Db;
  /** The MCP endpoint: the one resource tokens are issued for. */
  resource: URL;
  /** Seconds. */
  accessTokenTtl: number;
  /** Seconds: how long a grant (and the refresh tokens of one sign-in) lasts at most. */
  refreshTokenTtl: number;
  /** Behind a TLS-terminating proxy: trust its X-Forwarded-* headers. */
  proxy: boolean;
  log?: (message: string, error?: unknown) => void;
}

export interface LoadedServer {
  provider: Provider;
  /** oidc-provider's request handler (its koa app). */
  handler: ReturnType<Provider['callback']>;
  /** The per-interaction CSRF token: an HMAC of the interaction's uid under a server secret. */
  csrfToken(uid: string): string;
  csrfMatches(uid: string, token: unknown): boolean;
}

export interface BuiltinAuthorizationServer {
  issuer: TrustedIssuer;
  /** The provider, made on first call (keys read or created in the database). */
  load(): Promise<LoadedServer>;
  resource: URL;
}

/** Browser sign-in sessions: long enough for a working day, short enough that a shared browser forgets. */
const SESSION_TTL_S = 12 * 60 * 60;
const INTERACTION_TTL_S = 10 * 60;
const CODE_TTL_S = 60;

function clientBasedCORS(_ctx: KoaContextWithOIDC, origin: string, client: Client): boolean {
  // Browser-based public clients (MCP Inspector) call the token endpoint from their own origin.
  return (
    origin !== 'null' &&
    client.clientAuthMethod === 'none' &&
    client.redirectUris.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin)
  );
}

async function providerConfig(
  o: BuiltinOptions,
  keys: Awaited<ReturnType<typeof loadOAuthKeys>>,
  errors: typeof import('oidc-provider').errors,
) {
  const resource = o.resource.href;
  const basePath = new URL(OAUTH_PATH, o.resource).pathname;
  return {
    adapter: oauthStore(o.db, () => new errors.InvalidGrant('the code or refresh token was already used')),
    jwks: keys.signing,
    cookies: {
      keys: keys.cookies,
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    async findAccount(_ctx: unknown, sub: string) {
      const user = /^\d{1,9}$/.test(sub) ? await findActiveUserById(o.db, Number(sub)) : undefined;
      return user && { accountId: sub, claims: async () => ({ sub }) };
    },
    scopes: ['openid', ...SCOPES_SUPPORTED],
    responseTypes: ['code'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: SIGNING_ALG,
    },
    // A client names its redirect URI on every request, and it must equal a registered one.
    allowOmittingSingleRegisteredRedirectUri: false,
    pkce: { required: () => true }, // oidc-provider 9 knows S256 only: plain is refused as unsupported
    clientBasedCORS,
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false }, // the resource server checks bearer tokens only
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      revocation: { enabled: true },
      registration: { enabled: true, issueRegistrationAccessToken: false },
      clientIdMetadataDocument: {
        enabled: true,
        ack: 'draft-02', // an experimental feature in oidc-provider 9: its draft is named so an update that changes it fails loudly
        // Only https client_id URLs (oidc-provider refuses others, and addresses that resolve to
        // loopback or private networks); the document is fetched once and cached.
        allowFetch: async (_ctx: unknown, clientId: string) => clientId.startsWith('https://'),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`this server issues tokens only for ${resource}`);
          return {
            scope: SCOPES_SUPPORTED.join(' '),
            audience: resource,
            accessTokenTTL: o.accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    // Every authorization-code client gets a refresh token, rotated on each use; offline_access
    // is not needed (oidc-provider drops it from requests without prompt=consent).
    issueRefreshToken: async (_ctx: unknown, client: Client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    expiresWithSession: async () => false,
    async extraTokenClaims(_ctx: unknown, token: AccessTokenLike) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const user = await findActiveUserById(o.db, Number(token.accountId));
      return { email: user?.email, [GRANT_CLAIM]: token.grantId };
    },
    ttl: {
      AccessToken: o.accessTokenTtl,
      AuthorizationCode: CODE_TTL_S,
      IdToken: o.accessTokenTtl,
      RefreshToken: o.refreshTokenTtl,
      Grant: o.refreshTokenTtl,
      Session: SESSION_TTL_S,
      Interaction: INTERACTION_TTL_S,
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) => `${basePath}/interaction/${interaction.uid}`,
    },
    async renderError(ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }) {
      for (const [name, value] of Object.entries(pageHeaders())) ctx.set(name, value);
      ctx.type = 'html';
      ctx.body = errorPage(
        'Sign-in failed',
        out.error_description ?? out.error ?? 'The request could not be completed',
      );
    },
  };
}

async function loadServer(o: BuiltinOptions, issuerUrl: string): Promise<LoadedServer & { getKey: JWTVerifyGetKey }> {
  // Imported here: oidc-provider (and koa) load only when OAuth is used.
  const { default: Provider, errors } = await import('oidc-provider');
  const keys = await loadOAuthKeys(o.db);
  const provider = new Provider(issuerUrl, await providerConfig(o, keys, errors));
  provider.proxy = o.proxy;
  auditProviderEvents(provider, o.db, o.log);
  const csrfKey = Buffer.from(keys.cookies[0]!, 'base64url');
  const csrfToken = (uid: string) => createHmac('sha256', csrfKey).update(`csrf:${uid}`).digest('base64url');
  return {
    provider,
    handler: provider.callback(),
    getKey: createLocalJWKSet(publicKeys(keys)),
    csrfToken,
    csrfMatches: (uid, token) => {
      if (typeof token !== 'string') return false;
      const expected = Buffer.from(csrfToken(uid));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export function builtinAuthorizationServer(o: BuiltinOptions): BuiltinAuthorizationServer {
  const issuerUrl = new URL(OAUTH_PATH, o.resource).href;
  let loading: ReturnType<typeof loadServer> | undefined;
  // A failed start (database away) is forgotten, so the next request tries again.
  const load = () =>
    (loading ??= loadServer(o, issuerUrl).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
  return {
    resource: o.resource,
    load,
    issuer: {
      issuer: issuerUrl,
      async verify(token) {
        if (claimedIssuer(token) !== issuerUrl) return undefined;
        const { getKey } = await load();
        const { identity, payload } = await verifyIssuerJwt(token, getKey, {
          issuer: issuerUrl,
          emailClaim: 'email',
          algorithms: [SIGNING_ALG],
          typ: 'at+jwt',
        });
        // A JWT stays valid until it expires; its grant is gone once revoked, reused or ended.
        const grant = payload[GRANT_CLAIM];
        if (typeof grant !== 'string' || !(await grantIsLive(o.db, grant))) {
          throw new OAuthError(
            OAuthErrorCode.InvalidToken,
            'The sign-in behind this token was revoked or has ended; sign in again',
          );
        }
        return identity;
      },
    },
  };
}

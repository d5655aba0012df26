// Who a bearer token names, in two steps. Verification (OAuth): is it genuine, current and issued
// for this resource — an erp-mcp API token, or an access token of a trusted issuer. Then the
// principal: the erp-mcp user it names (the role always comes from the users table) and what the
// token's scopes leave of that role. A token is only ever checked here, never sent anywhere.
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { withinTime } from '../db/lost-connection.js';
import type { Db } from '../db/types.js';
import { isApiToken, userForToken } from '../domain/platform/tokens.js';
import { DomainError } from '../domain/shared/errors.js';
import { requireUserByEmail, type User } from '../domain/platform/users.js';
import type { Identity, TrustedIssuer } from './issuer.js';
import { accessOf, READ_SCOPE, SCOPES_SUPPORTED, WRITE_SCOPE } from './scopes.js';

/** A genuine token that names no one allowed in: HTTP 403, with no scope to ask for. */
export class NotAllowed extends Error {
  override name = 'NotAllowed';
}

/** API tokens do not expire (they are revoked) and are checked on every request: a verdict stands for this request. */
const API_TOKEN_VERDICT_S = 60;
/** The user lookups are single statements outside a transaction: never wait longer for the database. */
const DATABASE_WAIT_MS = 5000;

/** What the verifier leaves in AuthInfo.extra for the principal step. */
interface Verified {
  user?: User;
  identity?: Identity;
}

const comparable = (value: string) => value.replace(/#.*$/, '').replace(/\/$/, '');

/** The audience entry naming this resource, else the first one: verifyBearerToken refuses any but this resource. */
function resourceOf(audience: readonly string[], resource: URL): URL | undefined {
  const named = audience.find((a) => comparable(a) === comparable(resource.href)) ?? audience[0];
  return named && URL.canParse(named) ? new URL(named) : undefined;
}

export function tokenVerifier(db: Db, issuers: readonly TrustedIssuer[], resource: URL): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      if (isApiToken(token)) {
        const user = await withinTime(userForToken(db, token), DATABASE_WAIT_MS);
        if (!user) throw new OAuthError(OAuthErrorCode.InvalidToken, 'Invalid or revoked API token');
        // Made by this server for this server: it is for this resource, and the role is all it grants.
        return {
          token,
          clientId: 'erp-mcp-api-token',
          scopes: [...SCOPES_SUPPORTED],
          resource,
          expiresAt: Math.floor(Date.now() / 1000) + API_TOKEN_VERDICT_S,
          extra: { user } satisfies Verified,
        };
      }
      for (const issuer of issuers) {
        const identity = await issuer.verify(token);
        if (!identity) continue;
        return {
          token,
          clientId: identity.clientId,
          scopes: identity.scopes,
          resource: resourceOf(identity.audience, resource),
          expiresAt: identity.expiresAt,
          extra: { identity } satisfies Verified,
        };
      }
      throw new OAuthError(
        OAuthErrorCode.InvalidToken,
        issuers.length
          ? `The token is neither an erp-mcp API token nor an access token issued by ${issuers.map((i) => i.issuer).join(' or ')}`
          : 'Invalid token: this server accepts erp-mcp API tokens (erp_…), made with "erp-mcp token create --user EMAIL"',
      );
    },
  };
}

async function userForIdentity(db: Db, identity: Identity): Promise<User> {
  if (!identity.email)
    throw new NotAllowed(
      'The token names no e-mail address (the claim ERP_OAUTH_EMAIL_CLAIM names, email by default); have the identity provider put it into access tokens',
    );
  if (identity.emailVerified === false)
    throw new NotAllowed(`The identity provider has not verified the e-mail address ${identity.email}`);
  // Unknown and disabled users alike are refused by name (a disabled one is told so).
  return withinTime(requireUserByEmail(db, identity.email), DATABASE_WAIT_MS).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'NOT_FOUND')
      throw new NotAllowed(
        `${identity.email} is not an erp-mcp user; ask an erp-mcp admin to add a user with this e-mail address`,
      );
    if (error instanceof DomainError && error.code === 'FORBIDDEN') throw new NotAllowed(error.message);
    throw error;
  });
}

/**
 * The user a verified token acts as, narrowed to the role's read-only part by a token with
 * erp:read alone. A token with no erp scope is refused as insufficient_scope (HTTP 403).
 */
export async function principalFor(db: Db, auth: AuthInfo): Promise<User> {
  const access = accessOf(auth.scopes);
  if (access === 'none') {
    throw new OAuthError(
      OAuthErrorCode.InsufficientScope,
      `The token grants no erp-mcp scope: sign in again granting ${READ_SCOPE} (reads) or ${WRITE_SCOPE} (everything your role allows)`,
    );
  }
  const verified = (auth.extra ?? {}) as Verified;
  const user = verified.user ?? (await userForIdentity(db, verified.identity!));
  return access === 'read' ? { ...user, readOnly: true } : user;
}

// The one list of authorization servers whose access tokens erp-mcp accepts. Their issuers are
// what the protected-resource metadata names as authorization_servers, in this order, and tokens
// are offered to them in this order: an external identity provider the operator named first,
// then the built-in authorization server (src/auth/authorization-server.ts).
import { externalIssuer } from './external-issuer.js';
import type { TrustedIssuer } from './issuer.js';

export interface OAuthOptions {
  /** ERP_OAUTH_ISSUER: an external identity provider's issuer identifier. */
  issuer?: string;
  /** ERP_OAUTH_EMAIL_CLAIM: the access-token claim holding the user's e-mail address. */
  emailClaim?: string;
  /** ERP_OAUTH=builtin: the built-in authorization server at <public URL>/oauth; off when absent. */
  builtin?: BuiltinSettings;
}

export interface BuiltinSettings {
  /** ERP_OAUTH_ACCESS_TOKEN_TTL, seconds. */
  accessTokenTtl?: number;
  /** ERP_OAUTH_REFRESH_TOKEN_TTL, seconds: the longest a sign-in lasts without signing in again. */
  refreshTokenTtl?: number;
}

export function trustedIssuers(options: OAuthOptions = {}, builtin?: TrustedIssuer): TrustedIssuer[] {
  const issuers: TrustedIssuer[] = [];
  if (options.issuer) issuers.push(externalIssuer(options.issuer, options.emailClaim ?? 'email'));
  if (builtin) issuers.push(builtin);
  return issuers;
}

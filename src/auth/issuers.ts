// The one list of authorization servers whose access tokens erp-mcp accepts. Their issuers are
// what the protected-resource metadata names as authorization_servers, in this order, and tokens
// are offered to them in this order. A new authorization server (the built-in one) joins here.
import { externalIssuer } from './external-issuer.js';
import type { TrustedIssuer } from './issuer.js';

export interface OAuthOptions {
  /** ERP_OAUTH_ISSUER: an external identity provider's issuer identifier. */
  issuer?: string;
  /** ERP_OAUTH_EMAIL_CLAIM: the access-token claim holding the user's e-mail address. */
  emailClaim?: string;
}

export function trustedIssuers(options: OAuthOptions = {}): TrustedIssuer[] {
  const issuers: TrustedIssuer[] = [];
  if (options.issuer) issuers.push(externalIssuer(options.issuer, options.emailClaim ?? 'email'));
  return issuers;
}

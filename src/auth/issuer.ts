// What an authorization server whose tokens erp-mcp accepts must provide: its issuer identifier
// (listed in the protected-resource metadata) and a check of its own access tokens.

/** What a verified access token says, before it is matched to an erp-mcp user. */
export interface Identity {
  /** The e-mail address that names the erp-mcp user (users.email). */
  email?: string;
  /** False when the issuer says it has not verified the address; undefined when it does not say. */
  emailVerified?: boolean;
  scopes: string[];
  /** The resources the token was issued for (its aud claim, and a resource claim if present). */
  audience: string[];
  clientId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export interface TrustedIssuer {
  /** The issuer identifier, exactly as in its tokens' iss claim. */
  issuer: string;
  /**
   * The identity in an access token this issuer issued; undefined when the token is not this
   * issuer's (another issuer's JWT, an opaque token it does not know). Throws OAuthError
   * (invalid_token) for its own token that fails a check, IssuerUnavailable when it cannot check.
   */
  verify(token: string): Promise<Identity | undefined>;
}

/** The issuer's keys or metadata could not be fetched: the token can be neither accepted nor refused. */
export class IssuerUnavailable extends Error {
  override name = 'IssuerUnavailable';
  constructor(issuer: string, why: string, options?: { cause?: unknown }) {
    super(`The identity provider ${issuer} could not be reached to check the token: ${why}`, options);
  }
}

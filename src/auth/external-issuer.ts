// An external identity provider (ERP_OAUTH_ISSUER): its JWT access tokens are checked here, against
// the keys it publishes (its JWKS, found through its metadata document, both cached), for issuer,
// signature, algorithm and expiry. The audience and the user are checked by the caller.
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { IssuerUnavailable, type Identity, type TrustedIssuer } from './issuer.js';

/** Asymmetric signatures only: a shared-secret (HS*) or unsigned token is never accepted. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
/** Hosts kept in step by NTP disagree by far less; a minute would stretch every token's life. */
const CLOCK_TOLERANCE_S = 10;
const FETCH_TIMEOUT_MS = 5000;

/** Failures that are the token's fault (401); any other failure means its keys could not be read. */
const TOKEN_FAULTS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'The token has expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "The token's signature does not match the issuer's keys",
  ERR_JWKS_NO_MATCHING_KEY: 'The token was signed with a key the issuer does not publish',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'The token names no single key of the issuer',
  ERR_JOSE_ALG_NOT_ALLOWED: `The token's signing algorithm is not one of ${ALGORITHMS.join(', ')}`,
  ERR_JOSE_NOT_SUPPORTED: "The token's signing algorithm is not supported",
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'The token failed a claim check',
  ERR_JWS_INVALID: 'The token is not a well-formed signed JWT',
  ERR_JWT_INVALID: 'The token is not a well-formed JWT',
};

const metadataSchema = z.object({ issuer: z.string(), jwks_uri: z.string().url() });

/** Where an issuer may publish its metadata: RFC 8414 §3.1, then OpenID Connect Discovery. */
function metadataUrls(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  const urls = [
    `/.well-known/oauth-authorization-server${path}`,
    `/.well-known/openid-configuration${path}`,
    `${path}/.well-known/openid-configuration`,
  ];
  return [...new Set(urls)].map((p) => new URL(p, url.origin));
}

async function discoverJwksUri(issuer: string): Promise<URL> {
  const tried: string[] = [];
  for (const url of metadataUrls(issuer)) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new IssuerUnavailable(issuer, `${url.href} did not answer`, { cause: error });
    }
    if (!response.ok) {
      tried.push(`${url.pathname} answered ${response.status}`);
      continue;
    }
    const metadata = metadataSchema.safeParse(await response.json().catch(() => null));
    if (!metadata.success)
      throw new IssuerUnavailable(issuer, `${url.href} is not a metadata document with a jwks_uri`);
    // RFC 8414 §3.3: a document naming another issuer must not be used.
    if (metadata.data.issuer !== issuer)
      throw new IssuerUnavailable(issuer, `${url.href} names the issuer ${metadata.data.issuer}`);
    return new URL(metadata.data.jwks_uri);
  }
  throw new IssuerUnavailable(issuer, `it publishes no metadata (${tried.join(', ')})`);
}

/** The iss claim of something that looks like a JWT, read without trusting it: only to pick the issuer. */
export function claimedIssuer(token: string): string | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : [];

function identityOf(payload: JWTPayload, emailClaim: string): Identity {
  const email = payload[emailClaim];
  const verified = payload.email_verified;
  return {
    email: typeof email === 'string' ? email : undefined,
    // Some providers send the flag as a string.
    emailVerified: verified === false || verified === 'false' ? false : verified === undefined ? undefined : true,
    // RFC 9068 `scope` is space-separated; Entra ID and Okta send `scp` (a list or a string).
    scopes: [...strings(payload.scope), ...strings(payload.scp)].flatMap((s) => s.split(' ')).filter(Boolean),
    audience: [...strings(payload.aud), ...strings(payload.resource)],
    clientId: strings(payload.client_id)[0] ?? strings(payload.azp)[0] ?? payload.sub ?? 'unknown',
    expiresAt: payload.exp!,
  };
}

export interface JwtCheck {
  issuer: string;
  emailClaim: string;
  algorithms?: string[];
  /** The JWT header's typ, when the issuer always sets one (RFC 9068 at+jwt). */
  typ?: string;
}

/**
 * Verifies one of an issuer's JWTs with its keys: signature, algorithm, issuer, expiry (and typ).
 * A failure that is the token's fault is OAuthError invalid_token; any other means the keys could
 * not be read (IssuerUnavailable).
 */
export async function verifyIssuerJwt(
  token: string,
  getKey: JWTVerifyGetKey,
  check: JwtCheck,
): Promise<{ identity: Identity; payload: JWTPayload }> {
  try {
    const { payload } = await jwtVerify(token, getKey, {
      issuer: check.issuer,
      algorithms: check.algorithms ?? ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp'],
      typ: check.typ,
    });
    return { identity: identityOf(payload, check.emailClaim), payload };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const fault = typeof code === 'string' ? TOKEN_FAULTS[code] : undefined;
    if (!fault) throw new IssuerUnavailable(check.issuer, 'its key set could not be read', { cause: error });
    const detail = code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? `: ${(error as Error).message}` : '';
    throw new OAuthError(OAuthErrorCode.InvalidToken, `${fault}${detail}`);
  }
}

export function externalIssuer(issuer: string, emailClaim: string): TrustedIssuer {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  // Discovered once; a failed discovery is forgotten so that the next request tries again.
  const jwks = () =>
    (keys ??= discoverJwksUri(issuer)
      .then((uri) => createRemoteJWKSet(uri, { timeoutDuration: FETCH_TIMEOUT_MS }))
      .catch((error: unknown) => {
        keys = undefined;
        throw error;
      }));
  return {
    issuer,
    async verify(token) {
      if (claimedIssuer(token) !== issuer) return undefined;
      return (await verifyIssuerJwt(token, await jwks(), { issuer, emailClaim })).identity;
    },
  };
}

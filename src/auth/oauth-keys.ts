// The built-in authorization server's keys, kept in the database (sql/012 oauth_keys): the ES256
// key pair that signs access tokens and the secrets that sign its cookies. Made with jose and
// node:crypto by whichever instance needs them first; the others read the same rows. The private
// key never leaves the database and this process: only the public half is published (JWKS).
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Db } from '../db/types.js';

export const SIGNING_ALG = 'ES256';

export interface OAuthKeys {
  /** Private JWKs, for oidc-provider's `jwks`. */
  signing: { keys: JWK[] };
  /** Cookie signing secrets, newest first, for oidc-provider's `cookies.keys`. */
  cookies: string[];
}

async function newSigningKeys(): Promise<{ keys: JWK[] }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { keys: [{ ...jwk, kid: randomBytes(8).toString('base64url'), alg: SIGNING_ALG, use: 'sig' }] };
}

/** The stored secret of a purpose, made and stored first when missing; the first writer wins a race. */
async function secretFor<T>(db: Db, purpose: 'signing' | 'cookies', make: () => Promise<T>): Promise<T> {
  const [stored] = await db.query<{ secret: T }>('select secret from oauth_keys where purpose = $1', [purpose]);
  if (stored) return stored.secret;
  await db.query('insert into oauth_keys (purpose, secret) values ($1, $2::jsonb) on conflict (purpose) do nothing', [
    purpose,
    JSON.stringify(await make()),
  ]);
  const [row] = await db.query<{ secret: T }>('select secret from oauth_keys where purpose = $1', [purpose]);
  return row!.secret;
}

export async function loadOAuthKeys(db: Db): Promise<OAuthKeys> {
  return {
    signing: await secretFor(db, 'signing', newSigningKeys),
    cookies: await secretFor(db, 'cookies', async () => [randomBytes(32).toString('base64url')]),
  };
}

/** The public half of the signing keys: what the JWKS endpoint shows and tokens are checked with. */
export function publicKeys(keys: OAuthKeys): { keys: JWK[] } {
  return { keys: keys.signing.keys.map(({ kty, crv, x, y, kid, alg, use }) => ({ kty, crv, x, y, kid, alg, use })) };
}

// erp-mcp as an OAuth protected resource (RFC 9728, RFC 6750, the MCP authorization spec): the
// metadata document naming the authorization servers, and the bearer check in front of POST /mcp
// with the challenges clients act on. With no authorization server configured there is no
// metadata document (the MCP spec requires one to name at least one server): API tokens are then
// the only way in, and a client is told so in the 401's message rather than sent into OAuth.
import {
  bearerAuthChallengeResponse,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  verifyBearerToken,
  type AuthInfo,
  type OAuthProtectedResourceMetadata,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import express, { type Router } from 'express';
import { ConfigError } from '../config.js';
import type { Db } from '../db/types.js';
import type { User } from '../domain/platform/users.js';
import { builtinAuthorizationServer, type BuiltinAuthorizationServer } from './authorization-server.js';
import { IssuerUnavailable, type TrustedIssuer } from './issuer.js';
import { trustedIssuers, type OAuthOptions } from './issuers.js';
import { SCOPES_SUPPORTED } from './scopes.js';
import { NotAllowed, principalFor, tokenVerifier } from './verifier.js';

export interface ResourceServer {
  /** The MCP endpoint's canonical URL: the resource tokens must be issued for (RFC 8707). */
  resource: URL;
  issuers: readonly TrustedIssuer[];
  /** The metadata document's URL, when there is one (an authorization server is configured). */
  metadataUrl?: string;
  verifier: OAuthTokenVerifier;
  /** The built-in authorization server, when it is on (ERP_OAUTH=builtin). */
  authorizationServer?: BuiltinAuthorizationServer;
}

/** Defaults of the built-in authorization server's token lifetimes (README "Sign in with OAuth"). */
export const ACCESS_TOKEN_TTL_S = 10 * 60;
export const REFRESH_TOKEN_TTL_S = 30 * 24 * 60 * 60;

const WILDCARD_HOSTS = ['0.0.0.0', '::', '[::]'];

/**
 * The resource server for an HTTP server bound at host:port. Its public URL is ERP_PUBLIC_URL, or
 * the bound address; a wildcard address names no host a token could be issued for.
 */
export function resourceServer(
  db: Db,
  where: {
    publicUrl?: string;
    host: string;
    port: number;
    oauth?: OAuthOptions;
    trustProxy?: unknown;
    log?: (message: string, error?: unknown) => void;
  },
): ResourceServer {
  const oauth = where.oauth ?? {};
  if ((oauth.issuer || oauth.builtin) && !where.publicUrl && WILDCARD_HOSTS.includes(where.host)) {
    throw new ConfigError(
      `Set ERP_PUBLIC_URL to the address clients use (e.g. https://erp.example.com): with OAuth, tokens must name it, and ${where.host} is every address (or turn the built-in sign-in off with ERP_OAUTH=off)`,
    );
  }
  const host = where.host.includes(':') && !where.host.startsWith('[') ? `[${where.host}]` : where.host;
  const resource = new URL('/mcp', where.publicUrl ?? `http://${host}:${where.port}`);
  const authorizationServer =
    oauth.builtin &&
    builtinAuthorizationServer({
      db,
      resource,
      log: where.log,
      proxy: Boolean(where.trustProxy),
      accessTokenTtl: oauth.builtin.accessTokenTtl ?? ACCESS_TOKEN_TTL_S,
      refreshTokenTtl: oauth.builtin.refreshTokenTtl ?? REFRESH_TOKEN_TTL_S,
    });
  const issuers = trustedIssuers(oauth, authorizationServer ? authorizationServer.issuer : undefined);
  return {
    resource,
    issuers,
    metadataUrl: issuers.length ? getOAuthProtectedResourceMetadataUrl(resource) : undefined,
    verifier: tokenVerifier(db, issuers, resource),
    authorizationServer: authorizationServer || undefined,
  };
}

export function protectedResourceMetadata(rs: ResourceServer): OAuthProtectedResourceMetadata {
  return {
    resource: rs.resource.href,
    authorization_servers: rs.issuers.map((i) => i.issuer),
    scopes_supported: [...SCOPES_SUPPORTED],
    bearer_methods_supported: ['header'],
    resource_name: 'erp-mcp',
  };
}

/**
 * GET /.well-known/oauth-protected-resource and the path-suffixed form for /mcp (RFC 9728 §3.1),
 * which clients try first. Public and read by browsers, so any origin may read it.
 */
export function metadataRoutes(rs: ResourceServer): Router {
  const paths = [
    '/.well-known/oauth-protected-resource',
    new URL(getOAuthProtectedResourceMetadataUrl(rs.resource)).pathname,
  ];
  const router = express.Router();
  router.options(paths, (req, res) => {
    res.status(204).set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS' });
    const asked = req.headers['access-control-request-headers'];
    if (asked) res.set({ 'Access-Control-Allow-Headers': asked, Vary: 'Access-Control-Request-Headers' });
    res.end();
  });
  router.get(paths, (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    if (!rs.metadataUrl) {
      res.status(404).json({
        error: 'not_found',
        error_description:
          'This server names no OAuth authorization server (ERP_OAUTH=off and no ERP_OAUTH_ISSUER); clients send an erp-mcp API token',
      });
      return;
    }
    res.json(protectedResourceMetadata(rs));
  });
  router.all(
    paths,
    (_req, res) => void res.status(405).set({ Allow: 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Origin': '*' }).end(),
  );
  return router;
}

export type BearerCheck =
  | { ok: true; user: User; auth: AuthInfo }
  | { ok: false; status: number; message: string; headers: Record<string, string>; cause?: unknown };

const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** A request without credentials: RFC 6750 §3.1 puts no error code into its challenge. */
function missingToken(rs: ResourceServer): BearerCheck {
  const apiToken = 'an API token made with "erp-mcp token create --user EMAIL"';
  if (!rs.metadataUrl)
    return {
      ok: false,
      status: 401,
      message: `Missing bearer token: send ${apiToken}`,
      headers: { 'WWW-Authenticate': 'Bearer realm="erp-mcp"' },
    };
  return {
    ok: false,
    status: 401,
    message: `Missing bearer token: sign in through your MCP client (OAuth, with ${rs.issuers.map((i) => i.issuer).join(' or ')}) or send ${apiToken}`,
    headers: {
      'WWW-Authenticate': `Bearer resource_metadata=${quoted(rs.metadataUrl)}, scope=${quoted(SCOPES_SUPPORTED.join(' '))}`,
    },
  };
}

/**
 * The bearer check of one request: 401 for a missing or invalid token (invalid_token, also for
 * a token issued for another resource), 403 insufficient_scope for a token with no erp scope,
 * 403 for a genuine token naming no erp-mcp user, 503 when the issuer's keys cannot be read.
 * Anything else (the database away) is thrown for the app's error handler.
 */
export async function checkBearer(db: Db, rs: ResourceServer, authorization: string | undefined): Promise<BearerCheck> {
  if (!authorization) return missingToken(rs);
  try {
    const auth = await verifyBearerToken(authorization, {
      verifier: rs.verifier,
      expectedResource: rs.resource,
      resourceMetadataUrl: rs.metadataUrl,
    });
    return { ok: true, user: await principalFor(db, auth), auth };
  } catch (error) {
    if (error instanceof OAuthError) {
      const requiredScopes = error.code === OAuthErrorCode.InsufficientScope ? SCOPES_SUPPORTED : [];
      const answer = bearerAuthChallengeResponse(error, { requiredScopes, resourceMetadataUrl: rs.metadataUrl });
      const challenge = answer.headers.get('WWW-Authenticate');
      return {
        ok: false,
        status: answer.status,
        message: error.message,
        headers: challenge ? { 'WWW-Authenticate': challenge } : {},
      };
    }
    if (error instanceof NotAllowed) return { ok: false, status: 403, message: error.message, headers: {} };
    if (error instanceof IssuerUnavailable)
      return { ok: false, status: 503, message: error.message, headers: { 'Retry-After': '5' }, cause: error };
    throw error;
  }
}

// The audit rows of the built-in authorization server (tool_calls, agent 'oauth'): tokens issued
// and refreshed, refused token requests, a reused code or refresh token, grants revoked, clients
// registered, authorization requests refused. Never a token, code, secret or password: client
// ids, grant types, scopes, the user, and the error the client was told.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/types.js';
import { recordToolCall, type CallStatus } from '../domain/platform/audit.js';

export interface OAuthEvent {
  tool_name: string;
  status: CallStatus;
  error_code?: string | null;
  user_id?: number | null;
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
}

const userIdOf = (accountId: string | undefined) =>
  accountId && /^\d{1,9}$/.test(accountId) ? Number(accountId) : null;

/** One audit row, in its own statement: the OAuth request it describes has already been answered or is on its way. */
export async function recordOAuthEvent(db: Db, event: OAuthEvent): Promise<void> {
  await recordToolCall(db, {
    agent: 'oauth',
    tool_name: event.tool_name,
    input: event.input,
    output: event.output ?? {},
    status: event.status,
    error_code: event.error_code ?? null,
    duration_ms: 0,
    user_id: event.user_id ?? null,
  });
}

interface ProviderError {
  error?: string;
  error_description?: string;
  error_detail?: string;
}

const clientOf = (ctx: KoaContextWithOIDC) => ({ client_id: ctx.oidc.client?.clientId ?? null });

export function auditProviderEvents(
  provider: Provider,
  db: Db,
  log?: (message: string, error?: unknown) => void,
): void {
  const record = (event: OAuthEvent) =>
    void recordOAuthEvent(db, event).catch((error: unknown) => log?.('an OAuth audit row could not be written', error));
  const on = (name: string, listener: (ctx: KoaContextWithOIDC, extra: unknown) => void) =>
    provider.on(name, listener as (ctx: KoaContextWithOIDC, ...rest: never[]) => void);

  on('grant.success', (ctx) => {
    const grantType = String(ctx.oidc.params?.grant_type ?? '');
    const token = ctx.oidc.entities.AccessToken;
    record({
      tool_name: grantType === 'refresh_token' ? 'refresh' : 'token',
      status: 'ok',
      user_id: userIdOf(ctx.oidc.entities.Account?.accountId ?? token?.accountId),
      input: { ...clientOf(ctx), grant_type: grantType },
      output: { scope: token?.scope ?? null },
    });
  });
  on('grant.error', (ctx, error) => {
    const e = error as ProviderError;
    const reused = /already used/.test(e.error_detail ?? '');
    record({
      tool_name: reused ? 'refresh_reuse' : 'token',
      status: 'denied',
      error_code: reused ? 'REUSED' : (e.error ?? 'error'),
      user_id: userIdOf(ctx.oidc.entities.RefreshToken?.accountId),
      input: { ...clientOf(ctx), grant_type: String(ctx.oidc.params?.grant_type ?? '') },
      output: { error: e.error ?? null, error_description: e.error_description ?? null, grant_revoked: reused },
    });
  });
  on('grant.revoked', (ctx, grantId) => {
    record({
      tool_name: 'revoke',
      status: 'ok',
      user_id: userIdOf(ctx.oidc.entities.RefreshToken?.accountId ?? ctx.oidc.entities.Grant?.accountId),
      input: { ...clientOf(ctx), grant_id: grantId, route: ctx.oidc.route ?? null },
    });
  });
  on('registration_create.success', (ctx) => {
    const client = ctx.oidc.entities.Client;
    record({
      tool_name: 'register_client',
      status: 'ok',
      input: {
        client_id: client?.clientId ?? null,
        client_name: client?.clientName ?? null,
        redirect_uris: client?.redirectUris ?? [],
      },
    });
  });
  on('authorization.error', (ctx, error) => {
    const e = error as ProviderError;
    record({
      tool_name: 'authorize',
      status: 'denied',
      error_code: e.error ?? 'error',
      input: {
        ...clientOf(ctx),
        redirect_uri:
          typeof ctx.oidc.params?.redirect_uri === 'string' ? ctx.oidc.params.redirect_uri.slice(0, 500) : null,
      },
      output: { error: e.error ?? null, error_description: e.error_description ?? null },
    });
  });
}

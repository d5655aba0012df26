// The built-in authorization server on the HTTP app: its RFC 8414 metadata at the path-inserted
// well-known URL, the sign-in and consent pages (oidc-provider's interactions), and everything else
// under /oauth handed to oidc-provider. A page's form carries a per-interaction CSRF token, checked
// on POST besides oidc-provider's interaction cookie (SameSite=Lax) and the Origin header.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Interaction } from 'oidc-provider';
import type { Db } from '../db/types.js';
import { findActiveUserById, signIn } from '../domain/platform/sign-in.js';
import { OAUTH_PATH, type BuiltinAuthorizationServer, type LoadedServer } from './authorization-server.js';
import { recordOAuthEvent } from './oauth-audit.js';
import { consentPage, errorPage, pageHeaders, signInPage, type ClientView } from './pages.js';

const FORM_LIMIT = '8kb';

function send(res: Response, status: number, html: string, formTargets: string[] = []): void {
  res.status(status).set(pageHeaders(formTargets)).send(html);
}

const originOf = (uri: string | undefined) => (uri && URL.canParse(uri) ? [new URL(uri).origin] : []);

async function clientView(server: LoadedServer, details: Interaction): Promise<ClientView> {
  const clientId = details.params.client_id ?? '';
  const client = await server.provider.Client.find(clientId);
  return { clientId, clientName: client?.clientName, redirectUri: details.params.redirect_uri ?? '' };
}

/** The scopes the pending consent asks for: OpenID ones and this resource's, as oidc-provider lists them. */
function requestedScopes(details: Interaction): { oidc: string[]; resources: Record<string, string[]> } {
  const d = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
  return { oidc: d.missingOIDCScope ?? [], resources: d.missingResourceScopes ?? {} };
}

export function authorizationServerRoutes(
  as: BuiltinAuthorizationServer,
  db: Db,
  log?: (message: string, error?: unknown) => void,
): Router {
  const router = express.Router();
  const base = new URL(OAUTH_PATH, as.resource).pathname;
  const issuerOrigin = new URL(as.issuer.issuer).origin;
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 10 });

  // Every handler: a missing or expired interaction is a page, not a stack trace.
  const handle =
    (fn: (req: Request, res: Response, server: LoadedServer) => Promise<void>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        await fn(req, res, await as.load());
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'SessionNotFound' || name === 'InvalidRequest')
          return send(
            res,
            400,
            errorPage(
              'Sign-in expired',
              'This sign-in page is no longer valid (it expired, or cookies are blocked for this site).',
            ),
          );
        log?.('OAuth page failed', error);
        next(error);
      }
    };

  /** The interaction behind a POST, after its CSRF token and Origin are checked; undefined when refused (the page is sent). */
  async function checkedInteraction(
    req: Request,
    res: Response,
    server: LoadedServer,
    prompt: string,
  ): Promise<Interaction | undefined> {
    const uid = String(req.params.uid);
    const origin = req.headers.origin;
    if (
      (origin && origin !== issuerOrigin && origin !== `${req.protocol}://${req.headers.host}`) ||
      !server.csrfMatches(uid, (req.body as Record<string, unknown> | undefined)?.csrf)
    ) {
      // Audited before the answer, like every refused request: the row is there when the client hears no.
      await recordOAuthEvent(db, {
        tool_name: prompt === 'login' ? 'sign_in' : 'consent',
        status: 'denied',
        error_code: 'CSRF',
        input: { ip: req.ip ?? null, origin: origin ?? null },
      }).catch((error: unknown) => log?.('an OAuth audit row could not be written', error));
      send(
        res,
        403,
        errorPage('Request refused', 'This form was not sent from its sign-in page. Start again from your MCP client.'),
      );
      return undefined;
    }
    const details = await server.provider.interactionDetails(req, res);
    if (details.uid !== uid || details.prompt.name !== prompt) {
      send(
        res,
        400,
        errorPage('Sign-in expired', 'This step of the sign-in is over. Start again from your MCP client.'),
      );
      return undefined;
    }
    return details;
  }

  const forward = (wellKnown: string) =>
    handle(async (req, res, server) => {
      req.url = wellKnown;
      req.originalUrl = `${base}${wellKnown}`; // oidc-provider derives its endpoints' mount path from it
      server.handler(req, res);
    });
  for (const wellKnown of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    router.all(`${wellKnown}${base}`, forward(wellKnown));
  }

  router.get(
    `${base}/interaction/:uid`,
    handle(async (req, res, server) => {
      const details = await server.provider.interactionDetails(req, res);
      const client = await clientView(server, details);
      const action = `${base}/interaction/${details.uid}/${details.prompt.name}`;
      const csrf = server.csrfToken(details.uid);
      // A form answer redirects, possibly straight on to the client: its origin is a form target too.
      if (details.prompt.name === 'login')
        return send(
          res,
          200,
          signInPage({ action, csrf, client, email: details.params.login_hint }),
          originOf(client.redirectUri),
        );
      const user = details.session?.accountId
        ? await findActiveUserById(db, Number(details.session.accountId))
        : undefined;
      if (details.prompt.name !== 'consent' || !user)
        return send(
          res,
          400,
          errorPage('Sign-in failed', 'This sign-in cannot continue. Start again from your MCP client.'),
        );
      const scopes = Object.values(requestedScopes(details).resources).flat();
      send(
        res,
        200,
        consentPage({ action, csrf, client, email: user.email, role: user.role, scopes }),
        originOf(client.redirectUri),
      );
    }),
  );

  router.post(
    `${base}/interaction/:uid/login`,
    form,
    handle(async (req, res, server) => {
      const details = await checkedInteraction(req, res, server, 'login');
      if (!details) return;
      const body = req.body as Record<string, unknown>;
      const email = typeof body.email === 'string' ? body.email.slice(0, 320) : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const result = await db.transaction((tx) =>
        signIn(tx, { email, password, ip: req.ip ?? 'unknown', client_id: details.params.client_id ?? '' }),
      );
      if (result.ok) {
        await server.provider.interactionFinished(
          req,
          res,
          { login: { accountId: String(result.user.id) } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const error =
        result.reason === 'locked'
          ? `Too many failed sign-ins. Try again in ${result.retry_after_minutes} minute(s).`
          : 'Wrong e-mail or password (or the user is disabled).';
      const action = `${base}/interaction/${details.uid}/login`;
      if (result.reason === 'locked') res.set('Retry-After', String(result.retry_after_minutes * 60));
      const client = await clientView(server, details);
      send(
        res,
        result.reason === 'locked' ? 429 : 401,
        signInPage({ action, csrf: server.csrfToken(details.uid), client, email, error }),
        originOf(client.redirectUri),
      );
    }),
  );

  router.post(
    `${base}/interaction/:uid/consent`,
    form,
    handle(async (req, res, server) => {
      const details = await checkedInteraction(req, res, server, 'consent');
      if (!details) return;
      const accountId = details.session?.accountId;
      const user = accountId ? await findActiveUserById(db, Number(accountId)) : undefined;
      if (!user) return send(res, 403, errorPage('Sign-in failed', 'This user can no longer sign in.'));
      const clientId = details.params.client_id ?? '';
      const { oidc, resources } = requestedScopes(details);
      const approved = (req.body as Record<string, unknown>).decision === 'approve';
      await recordOAuthEvent(db, {
        tool_name: 'consent',
        status: approved ? 'ok' : 'denied',
        error_code: approved ? null : 'ACCESS_DENIED',
        user_id: user.id,
        input: {
          client_id: clientId,
          redirect_uri: details.params.redirect_uri ?? null,
          scopes: Object.values(resources).flat(),
        },
      });
      if (!approved) {
        await server.provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'The user denied access' },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const grant =
        (details.grantId ? await server.provider.Grant.find(details.grantId) : undefined) ??
        new server.provider.Grant({ accountId: accountId!, clientId });
      if (oidc.length) grant.addOIDCScope(oidc.join(' '));
      for (const [indicator, scopes] of Object.entries(resources)) grant.addResourceScope(indicator, scopes.join(' '));
      await server.provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    }),
  );

  router.use(
    base,
    handle(async (req, res, server) => server.handler(req, res)),
  );
  return router;
}

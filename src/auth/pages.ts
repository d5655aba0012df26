// The built-in authorization server's pages: sign-in, consent and errors. Server-rendered HTML
// that works without JavaScript and on a phone; no script at all, no external asset, one inline
// style block allowed by its hash. Every value is escaped: client names and redirect URIs come
// from whoever registered the client.
import { createHash } from 'node:crypto';
import { READ_SCOPE, WRITE_SCOPE } from './scopes.js';

const CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#f6f7f9;--card:#fff;--muted:#5b6470;--accent:#0b5cad;--line:#d6dae0;--bad:#a4161a}
@media (prefers-color-scheme:dark){:root{--fg:#e8eaed;--bg:#15181c;--card:#1f2329;--muted:#a2aab4;--accent:#6cb2ff;--line:#3a4049;--bad:#ff8a8a}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:var(--card);border:1px solid var(--line);border-radius:.75rem}
h1{font-size:1.35rem;margin:0 0 1rem}p{margin:.5rem 0}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=email],input[type=password]{width:100%;padding:.7rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--line);border-radius:.5rem}
button{width:100%;margin-top:1rem;padding:.75rem;font:inherit;font-weight:600;border-radius:.5rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:transparent;color:var(--accent)}
.error{color:var(--bad);font-weight:600}.muted{color:var(--muted);font-size:.9rem}
code{overflow-wrap:anywhere;font-size:.9rem}ul{padding-left:1.2rem}li{margin:.4rem 0}
@media (max-width:30rem){main{margin:0;border-radius:0;border-width:0 0 1px}}
`;

const STYLE_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The headers of every page: never cached, never framed, no script, forms posting only here and
 * (after the redirect a form answer causes) to the client's redirect URI's origin.
 */
export function pageHeaders(formTargets: readonly string[] = []): Record<string, string> {
  const forms = ["'self'", ...formTargets.filter((t) => /^https?:\/\/[^\s;,']+$/.test(t))].join(' ');
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Content-Security-Policy': `default-src 'none'; style-src '${STYLE_HASH}'; form-action ${forms}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on the form's POST.
    'Referrer-Policy': 'same-origin',
  };
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · erp-mcp</title><style>${CSS}</style></head>
<body><main>${body}</main></body></html>`;
}

/** How a page names the client: its name and, because anyone can choose a name, its client_id. */
export interface ClientView {
  clientId: string;
  clientName?: string;
  redirectUri: string;
}

function clientLine(client: ClientView): string {
  const name = client.clientName?.trim()
    ? `<strong>${escapeHtml(client.clientName.trim().slice(0, 200))}</strong>`
    : `<code>${escapeHtml(client.clientId)}</code>`;
  return `${name}${client.clientName?.trim() ? ` <span class="muted">(client <code>${escapeHtml(client.clientId)}</code>)</span>` : ''}`;
}

export function signInPage(input: {
  action: string;
  csrf: string;
  client: ClientView;
  email?: string;
  error?: string;
}): string {
  return page(
    'Sign in',
    `<h1>Sign in to erp-mcp</h1>
<p>${clientLine(input.client)} asks to use erp-mcp for you.</p>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${escapeHtml(input.email ?? '')}"${input.email ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${input.email ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>
<p class="muted">No password yet? An erp-mcp operator sets one with <code>erp-mcp user password EMAIL --password-stdin</code>.</p>`,
  );
}

const SCOPE_TEXT: Record<string, (role: string) => string> = {
  [READ_SCOPE]: (role) => `Read your ERP data: the read-only part of your role (${role})`,
  [WRITE_SCOPE]: (role) => `Act in the ERP as you: everything your role (${role}) allows, including changes`,
};

export function consentPage(input: {
  action: string;
  csrf: string;
  client: ClientView;
  email: string;
  role: string;
  scopes: string[];
}): string {
  const scopes = input.scopes
    .map(
      (s) =>
        `<li>${escapeHtml(SCOPE_TEXT[s]?.(input.role) ?? s)} <span class="muted">(<code>${escapeHtml(s)}</code>)</span></li>`,
    )
    .join('');
  return page(
    'Allow access',
    `<h1>Allow access?</h1>
<p>${clientLine(input.client)} asks to use erp-mcp as <strong>${escapeHtml(input.email)}</strong>.</p>
<p>It will be sent back to:<br><code>${escapeHtml(input.client.redirectUri)}</code></p>
<p>It asks to:</p><ul>${scopes}</ul>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>
<p class="muted">Only allow clients you set up yourself. An erp-mcp admin can end this access by disabling your user.</p>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
<p class="muted">Start again from your MCP client.</p>`,
  );
}

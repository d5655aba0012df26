// Configuration: environment variables and command-line flags, parsed once with zod.
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_ADMIN_EMAIL } from './domain/platform/users.js';
import { TOOLSETS, type Toolset } from './domain/platform/roles.js';
import { TOOL_MODES, type ToolMode } from './tool-mode.js';

const toolsetList = z.string().transform((value, ctx): Toolset[] => {
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0 || names.includes('all')) return [...TOOLSETS];
  const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (unknown.length) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown toolset ${unknown.join(', ')}; choose from ${TOOLSETS.join(', ')} or all`,
    });
    return z.NEVER;
  }
  return names as Toolset[];
});

const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** The model users get without ERP_EMBED_MODEL; transformers.js fetches it once where there is network. */
export const DEFAULT_EMBED_MODEL = 'Xenova/all-MiniLM-L6-v2';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** An http(s) URL without query or fragment; plain http only on a loopback host unless `http` is allowed. */
const webUrl = (name: string, opts: { http: boolean; originOnly: boolean }) =>
  z
    .string()
    .trim()
    .transform((value, ctx): string => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be a URL like https://erp.example.com` });
        return z.NEVER;
      }
      const problem = !['https:', 'http:'].includes(url.protocol)
        ? 'must start with https://'
        : url.protocol === 'http:' && !opts.http && !LOOPBACK.includes(url.hostname)
          ? 'must use https:// (plain http only on localhost)'
          : url.search || url.hash || value.includes('#')
            ? 'must not have a query or fragment'
            : opts.originOnly && url.pathname !== '/'
              ? 'must be an origin like https://erp.example.com, without a path: the MCP endpoint is its /mcp'
              : null;
      if (problem) {
        ctx.addIssue({ code: 'custom', message: `${name} ${problem}` });
        return z.NEVER;
      }
      // An issuer is compared character for character with tokens' iss claim: kept exactly as written.
      return opts.originOnly ? url.origin : value;
    });

/** A duration in seconds between min and max, written as a number of seconds or with s, m, h or d. */
const seconds = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .transform((value, ctx): number => {
      const match = /^(\d+)\s*([smhd]?)$/.exec(value);
      const n = match
        ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd']
        : NaN;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a duration from ${min} s to ${max} s, like 600, 10m, 12h or 30d (got ${JSON.stringify(value.slice(0, 40))})`,
        });
        return z.NEVER;
      }
      return n;
    });

/** Express's "trust proxy": true/false, a hop count, or addresses and names like loopback. */
const trustProxy = z
  .string()
  .trim()
  .transform((value): boolean | number | string =>
    value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value,
  );

const schema = z.object({
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
      .optional(),
  ),
  ERP_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./.erp-data')),
  ERP_USER: z.preprocess(
    emptyToUndefined,
    z.string().trim().toLowerCase().email('ERP_USER must be an e-mail address').default(DEFAULT_ADMIN_EMAIL),
  ),
  ERP_TOOLSETS: z.preprocess(emptyToUndefined, toolsetList.default([...TOOLSETS])),
  ERP_TOOL_MODE: z.preprocess(
    emptyToUndefined,
    z.enum(TOOL_MODES, { message: `ERP_TOOL_MODE (--tools) must be ${TOOL_MODES.join(' or ')}` }).default('full'),
  ),
  ERP_HTTP_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  ERP_HTTP_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  ERP_HTTP_ALLOWED_HOSTS: z.preprocess(emptyToUndefined, commaList.optional()),
  ERP_HTTP_ALLOWED_ORIGINS: z.preprocess(emptyToUndefined, commaList.optional()),
  ERP_MODEL_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
  ERP_EMBED_MODEL: z.preprocess(emptyToUndefined, z.string().default(DEFAULT_EMBED_MODEL)),
  ERP_DOCS_DIR: z.preprocess(emptyToUndefined, z.string().default('.')),
  // Plain http is allowed for the public URL: TLS may end at a proxy in front, or it is a LAN.
  ERP_PUBLIC_URL: z.preprocess(emptyToUndefined, webUrl('ERP_PUBLIC_URL', { http: true, originOnly: true }).optional()),
  ERP_OAUTH_ISSUER: z.preprocess(
    emptyToUndefined,
    webUrl('ERP_OAUTH_ISSUER', { http: false, originOnly: false }).optional(),
  ),
  ERP_OAUTH_EMAIL_CLAIM: z.preprocess(emptyToUndefined, z.string().trim().default('email')),
  ERP_OAUTH: z.preprocess(
    emptyToUndefined,
    z.enum(['builtin', 'off'], { message: 'ERP_OAUTH must be builtin or off' }).optional(),
  ),
  ERP_OAUTH_ACCESS_TOKEN_TTL: z.preprocess(
    emptyToUndefined,
    seconds('ERP_OAUTH_ACCESS_TOKEN_TTL', 60, 3600).optional(),
  ),
  ERP_OAUTH_REFRESH_TOKEN_TTL: z.preprocess(
    emptyToUndefined,
    seconds('ERP_OAUTH_REFRESH_TOKEN_TTL', 3600, 365 * 24 * 3600).optional(),
  ),
  ERP_HTTP_TRUST_PROXY: z.preprocess(emptyToUndefined, trustProxy.optional()),
});

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  user: string;
  toolsets: Toolset[];
  /** What tools/list offers: every tool (full), or whoami, find_operation and call_operation (discover). */
  toolMode: ToolMode;
  httpHost: string;
  httpPort: number;
  httpAllowedHosts?: string[];
  httpAllowedOrigins?: string[];
  modelDir?: string;
  embedModel: string;
  docsDir: string;
  /** The origin clients reach the HTTP server at (behind a proxy, the proxy's); the MCP endpoint is its /mcp. */
  publicUrl?: string;
  /** An external identity provider whose access tokens the HTTP server accepts. */
  oauthIssuer?: string;
  /** The access-token claim holding the user's e-mail address. */
  oauthEmailClaim: string;
  /** The built-in authorization server: on unless ERP_OAUTH=off, or an external issuer is set without ERP_OAUTH=builtin. */
  oauthBuiltin: boolean;
  /** Seconds; undefined = the defaults of src/auth/resource-server.ts. */
  oauthAccessTokenTtl?: number;
  oauthRefreshTokenTtl?: number;
  /** Express's "trust proxy" for the HTTP server (client IPs and https from X-Forwarded-*). */
  httpTrustProxy?: boolean | number | string;
}

/** Flags win over the environment; both use the environment variable names' meaning. */
export interface ConfigFlags {
  databaseUrl?: string;
  dataDir?: string;
  user?: string;
  toolsets?: string;
  tools?: string;
  host?: string;
  port?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}): Config {
  const parsed = schema.safeParse({
    DATABASE_URL: flags.databaseUrl ?? env.DATABASE_URL,
    ERP_DATA_DIR: flags.dataDir ?? env.ERP_DATA_DIR,
    ERP_USER: flags.user ?? env.ERP_USER,
    ERP_TOOLSETS: flags.toolsets ?? env.ERP_TOOLSETS,
    ERP_TOOL_MODE: flags.tools ?? env.ERP_TOOL_MODE,
    ERP_HTTP_HOST: flags.host ?? env.ERP_HTTP_HOST,
    ERP_HTTP_PORT: flags.port ?? env.ERP_HTTP_PORT,
    ERP_HTTP_ALLOWED_HOSTS: env.ERP_HTTP_ALLOWED_HOSTS,
    ERP_HTTP_ALLOWED_ORIGINS: env.ERP_HTTP_ALLOWED_ORIGINS,
    ERP_MODEL_DIR: env.ERP_MODEL_DIR,
    ERP_EMBED_MODEL: env.ERP_EMBED_MODEL,
    ERP_DOCS_DIR: env.ERP_DOCS_DIR,
    ERP_PUBLIC_URL: env.ERP_PUBLIC_URL,
    ERP_OAUTH_ISSUER: env.ERP_OAUTH_ISSUER,
    ERP_OAUTH_EMAIL_CLAIM: env.ERP_OAUTH_EMAIL_CLAIM,
    ERP_OAUTH: env.ERP_OAUTH,
    ERP_OAUTH_ACCESS_TOKEN_TTL: env.ERP_OAUTH_ACCESS_TOKEN_TTL,
    ERP_OAUTH_REFRESH_TOKEN_TTL: env.ERP_OAUTH_REFRESH_TOKEN_TTL,
    ERP_HTTP_TRUST_PROXY: env.ERP_HTTP_TRUST_PROXY,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    dataDir: resolve(c.ERP_DATA_DIR),
    user: c.ERP_USER,
    toolsets: c.ERP_TOOLSETS,
    toolMode: c.ERP_TOOL_MODE,
    httpHost: c.ERP_HTTP_HOST,
    httpPort: c.ERP_HTTP_PORT,
    httpAllowedHosts: c.ERP_HTTP_ALLOWED_HOSTS,
    httpAllowedOrigins: c.ERP_HTTP_ALLOWED_ORIGINS,
    modelDir: c.ERP_MODEL_DIR ? resolve(c.ERP_MODEL_DIR) : undefined,
    embedModel: c.ERP_EMBED_MODEL,
    docsDir: resolve(c.ERP_DOCS_DIR),
    publicUrl: c.ERP_PUBLIC_URL,
    oauthIssuer: c.ERP_OAUTH_ISSUER,
    oauthEmailClaim: c.ERP_OAUTH_EMAIL_CLAIM,
    oauthBuiltin: c.ERP_OAUTH ? c.ERP_OAUTH === 'builtin' : !c.ERP_OAUTH_ISSUER,
    oauthAccessTokenTtl: c.ERP_OAUTH_ACCESS_TOKEN_TTL,
    oauthRefreshTokenTtl: c.ERP_OAUTH_REFRESH_TOKEN_TTL,
    httpTrustProxy: c.ERP_HTTP_TRUST_PROXY,
  };
}

/**
 * The environment that makes another process, started elsewhere (an MCP client starts the server
 * from its own working directory), serve this same configuration: the database, the model, the
 * acting user, the toolsets and the tool mode. Paths are absolute; defaults are left out.
 */
export function clientEnv(cfg: Config): Record<string, string> {
  const env: Record<string, string> = cfg.databaseUrl
    ? { DATABASE_URL: cfg.databaseUrl }
    : { ERP_DATA_DIR: cfg.dataDir };
  if (cfg.modelDir) env.ERP_MODEL_DIR = cfg.modelDir;
  if (cfg.modelDir || cfg.embedModel !== DEFAULT_EMBED_MODEL) env.ERP_EMBED_MODEL = cfg.embedModel;
  if (cfg.user !== DEFAULT_ADMIN_EMAIL) env.ERP_USER = cfg.user;
  if (cfg.toolsets.length < TOOLSETS.length) env.ERP_TOOLSETS = cfg.toolsets.join(',');
  if (cfg.toolMode !== 'full') env.ERP_TOOL_MODE = cfg.toolMode;
  return env;
}

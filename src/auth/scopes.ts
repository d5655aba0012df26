// The OAuth scopes erp-mcp understands. A token's scopes narrow what the user's role allows; the
// role itself always comes from erp-mcp's users table, so no scope can widen it.
export const READ_SCOPE = 'erp:read';
export const WRITE_SCOPE = 'erp:write';
export const SCOPES_SUPPORTED = [READ_SCOPE, WRITE_SCOPE];

/**
 * What a token's scopes leave of the role: all of it (erp:write), its read-only part (erp:read
 * alone: read-only tools, resources, prompts that only read), or nothing (no erp scope at all).
 */
export function accessOf(scopes: readonly string[]): 'all' | 'read' | 'none' {
  if (scopes.includes(WRITE_SCOPE)) return 'all';
  return scopes.includes(READ_SCOPE) ? 'read' : 'none';
}
